//! The certificate a distribution serves its aliases with:
//! `certificate-missing`, `certificate-does-not-cover`.

use super::about_claim;
use crate::diag::{Code, Finding};
use crate::facts::{AwsFacts, Facts};
use crate::model::{AliasValue, CertificateUse, Claim, DomainName, Resource, ResourceKind};

pub(super) fn check(
    resources: &[Resource],
    claims: &[Claim],
    facts: &Facts,
    out: &mut Vec<Finding>,
) {
    // Names of certificates the plan names only by ARN, as ACM gave them.
    let described = |arn: &str| match &facts.aws {
        AwsFacts::Asked(inventory) => inventory
            .certificates
            .get(arn)
            .and_then(|names| names.as_ref().ok())
            .cloned(),
        _ => None,
    };
    for claim in claims {
        let r = &resources[claim.resource];
        if r.kind != ResourceKind::Distribution {
            continue;
        }
        let AliasValue::Known { name, .. } = &claim.alias else {
            continue;
        };
        let shown = claim.shown();
        match &r.certificate {
            CertificateUse::CloudFrontDefault => out.push(about_claim(
                Code::CertificateMissing,
                claim,
                r,
                format!(
                    "`{}` adds `{shown}` but uses the default CloudFront certificate",
                    r.address
                ),
                "needs a certificate that covers it",
                format!(
                    "CloudFront adds an alias only with a certificate that covers it: in \
                     `{}`, set `viewer_certificate {{ acm_certificate_arn = <an ACM certificate \
                     in us-east-1 covering `{shown}`>, ssl_support_method = \"sni-only\" }}` \
                     instead of `cloudfront_default_certificate = true`",
                    r.address
                ),
            )),
            CertificateUse::Acm {
                names,
                resource,
                arn,
            } => {
                let Some(names) = names.clone().or_else(|| arn.as_deref().and_then(described))
                else {
                    continue;
                };
                if claim.alias.checkable().is_none() || names.iter().any(|n| name.is_covered_by(n))
                {
                    continue;
                }
                let cert = resource
                    .as_deref()
                    .or(arn.as_deref())
                    .unwrap_or("the certificate");
                let listed = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let cover = suggested_name(name, claim.sensitive);
                out.push(about_claim(
                    Code::CertificateDoesNotCover,
                    claim,
                    r,
                    format!(
                        "the certificate of `{}` does not cover `{shown}`",
                        r.address
                    ),
                    format!("not covered by `{cert}`"),
                    format!(
                        "`{cert}` covers {listed}; add {cover} to its \
                         `subject_alternative_names` (a new certificate is issued and must \
                         validate), or attach a certificate that covers it"
                    ),
                ));
            }
            _ => {}
        }
    }
}

/// What to add to a certificate: the alias itself, or for a name one label
/// below a wildcard the user may prefer, both.
fn suggested_name(name: &DomainName, sensitive: bool) -> String {
    if sensitive {
        return "the alias".to_string();
    }
    if name.is_wildcard() {
        return format!("`{name}`");
    }
    match name.as_str().split_once('.') {
        Some((_, parent)) if parent.contains('.') => format!("`{name}` (or `*.{parent}`)"),
        _ => format!("`{name}`"),
    }
}
