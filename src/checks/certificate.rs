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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Inventory, NotAsked};
    use crate::model::Action;

    const ARN: &str = "arn:aws:acm:us-east-1:111111111111:certificate/abc";

    fn run(r: Resource, facts: &Facts) -> Vec<Finding> {
        let resources = [r];
        let claims = crate::input::claims(&resources);
        let mut out = Vec::new();
        check(&resources, &claims, facts, &mut out);
        out
    }

    fn site(certificate: CertificateUse) -> Resource {
        let mut r = Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &["www.example.com", "a.b.example.com", "*.example.com"],
        );
        r.certificate = certificate;
        r
    }

    fn acm(names: Option<&[&str]>) -> CertificateUse {
        CertificateUse::Acm {
            arn: Some(ARN.into()),
            resource: None,
            names: names.map(|n| n.iter().map(|s| DomainName::new(s)).collect()),
        }
    }

    #[test]
    fn the_default_certificate_covers_no_alias() {
        let found = run(
            site(CertificateUse::CloudFrontDefault),
            &Facts::not_asked(NotAsked::Offline),
        );
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|f| f.code == Code::CertificateMissing));
    }

    #[test]
    fn names_one_label_below_a_wildcard_are_covered_and_deeper_ones_are_not() {
        let found = run(
            site(acm(Some(&["example.com", "*.example.com"]))),
            &Facts::not_asked(NotAsked::Offline),
        );
        let codes: Vec<(Code, Option<&str>)> =
            found.iter().map(|f| (f.code, f.alias.as_deref())).collect();
        assert_eq!(
            codes,
            [(Code::CertificateDoesNotCover, Some("a.b.example.com"))]
        );
        assert!(
            found[0]
                .help
                .contains("`a.b.example.com` (or `*.b.example.com`)")
        );
    }

    #[test]
    fn a_certificate_known_only_by_arn_is_checked_with_the_names_acm_gave() {
        // Without ACM's answer nothing can be said.
        assert!(run(site(acm(None)), &Facts::not_asked(NotAsked::Offline)).is_empty());
        let mut inventory = Inventory::default();
        inventory
            .certificates
            .insert(ARN.into(), Ok(vec![DomainName::new("www.example.com")]));
        let facts = Facts {
            aws: AwsFacts::Asked(inventory),
            dns: crate::facts::DnsFacts::NotAsked(NotAsked::NoDns),
        };
        let found = run(site(acm(None)), &facts);
        let uncovered: Vec<&str> = found.iter().filter_map(|f| f.alias.as_deref()).collect();
        assert_eq!(uncovered, ["a.b.example.com", "*.example.com"]);
    }

    #[test]
    fn a_sensitive_alias_is_not_suggested_by_name() {
        assert_eq!(
            suggested_name(&DomainName::new("secret.example.com"), true),
            "the alias"
        );
        assert_eq!(
            suggested_name(&DomainName::new("example.com"), false),
            "`example.com`"
        );
    }
}
