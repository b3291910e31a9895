//! The certificate a distribution or tenant serves its aliases with:
//! `certificate-missing`, `certificate-does-not-cover`.

use super::about_claim;
use crate::diag::{Code, Finding};
use crate::display::shown;
use crate::facts::{AwsFacts, Facts, Inventory};
use crate::model::{AliasValue, CertificateUse, Claim, DomainName, Resource, ResourceKind};

pub(super) fn check(
    resources: &[Resource],
    claims: &[Claim],
    facts: &Facts,
    out: &mut Vec<Finding>,
) {
    let inventory = match &facts.aws {
        AwsFacts::Asked(inventory) => Some(inventory),
        _ => None,
    };
    for claim in claims {
        let r = &resources[claim.resource];
        let AliasValue::Known { name, .. } = &claim.alias else {
            continue;
        };
        let Some(serving) = Serving::of(r, inventory) else {
            continue;
        };
        match serving {
            Serving::Default { inherited } => out.push(missing(claim, r, inherited)),
            Serving::Acm {
                cert,
                names,
                inherited,
            } => {
                // An invalid alias is reported as `invalid-alias` instead.
                if claim.alias.checkable().is_some() && !names.iter().any(|n| name.is_covered_by(n))
                {
                    out.push(not_covered(claim, r, name, &cert, &names, inherited));
                }
            }
        }
    }
}

/// The certificate a resource serves its aliases with, where its names are
/// known: a tenant's own, else its multi-tenant distribution's
/// (`inherited`: that distribution, from the plan or as AWS describes it).
enum Serving {
    Default {
        inherited: Option<String>,
    },
    Acm {
        cert: String,
        names: Vec<DomainName>,
        inherited: Option<String>,
    },
}

impl Serving {
    fn of(r: &Resource, inventory: Option<&Inventory>) -> Option<Serving> {
        // Names of certificates the inputs name only by ARN, as ACM gave them.
        let described = |arn: &str| {
            inventory?
                .certificates
                .get(arn)
                .and_then(|names| names.as_ref().ok())
                .cloned()
        };
        match &r.certificate {
            // A tenant has the default certificate only from its
            // multi-tenant distribution in the same plan.
            CertificateUse::CloudFrontDefault => Some(Serving::Default {
                inherited: r.parent_distribution_id.as_deref().map(shown),
            }),
            CertificateUse::Acm {
                names,
                resource,
                arn,
            } => {
                let names = names
                    .clone()
                    .or_else(|| arn.as_deref().and_then(described))?;
                let cert = resource
                    .clone()
                    .or(arn.as_deref().map(shown))
                    .unwrap_or_else(|| "the certificate".into());
                Some(Serving::Acm {
                    cert,
                    names,
                    inherited: None,
                })
            }
            CertificateUse::Parent {
                distribution_id: Some(parent),
            } => {
                let arn = inventory?
                    .accounts
                    .iter()
                    .flat_map(|a| a.distributions.iter().flatten())
                    .find(|d| d.id == *parent && d.tenant_of.is_none())?
                    .certificate_arn
                    .as_deref()?;
                Some(Serving::Acm {
                    cert: shown(arn),
                    names: described(arn)?,
                    inherited: Some(shown(parent)),
                })
            }
            // A certificate CloudFront requests for the tenant's domains
            // covers them; an IAM certificate or one not known is not judged.
            _ => None,
        }
    }
}

fn missing(claim: &Claim, r: &Resource, inherited: Option<String>) -> Finding {
    let shown_alias = claim.shown();
    match (r.kind, inherited) {
        (ResourceKind::Tenant, inherited) => {
            let parent = inherited.map_or(String::new(), |id| format!(" `{id}`"));
            about_claim(
                Code::CertificateMissing,
                claim,
                r,
                format!(
                    "tenant `{}` adds `{shown_alias}` but serves it with the default CloudFront \
                     certificate of its multi-tenant distribution{parent}",
                    r.address
                ),
                "needs a certificate that covers it",
                format!(
                    "a tenant serves its domains with its multi-tenant distribution's certificate \
                     unless it has its own: {}",
                    own_certificate(r, &shown_alias)
                ),
            )
        }
        (ResourceKind::Distribution, _) => about_claim(
            Code::CertificateMissing,
            claim,
            r,
            format!(
                "`{}` adds `{shown_alias}` but uses the default CloudFront certificate",
                r.address
            ),
            "needs a certificate that covers it",
            format!(
                "CloudFront adds an alias only with a certificate that covers it: in \
                 `{}`, set `viewer_certificate {{ acm_certificate_arn = <an ACM certificate \
                 in us-east-1 covering `{shown_alias}`>, ssl_support_method = \"sni-only\" }}` \
                 instead of `cloudfront_default_certificate = true`",
                r.address
            ),
        ),
    }
}

fn not_covered(
    claim: &Claim,
    r: &Resource,
    name: &DomainName,
    cert: &str,
    names: &[DomainName],
    inherited: Option<String>,
) -> Finding {
    let shown_alias = claim.shown();
    let listed = names
        .iter()
        .map(|n| format!("`{}`", shown(n.as_str())))
        .collect::<Vec<_>>()
        .join(", ");
    let cover = suggested_name(name, claim.sensitive);
    let add = format!(
        "add {cover} to its `subject_alternative_names` (a new certificate is issued and must \
         validate)"
    );
    let (message, help) = match (r.kind, inherited) {
        (ResourceKind::Tenant, Some(parent)) => (
            format!(
                "the certificate tenant `{}` inherits from its multi-tenant distribution \
                 `{parent}` does not cover `{shown_alias}`",
                r.address
            ),
            format!(
                "`{cert}` covers {listed}; a tenant serves its domains with its multi-tenant \
                 distribution's certificate unless it has its own: {}, or {add}",
                own_certificate(r, &shown_alias)
            ),
        ),
        (ResourceKind::Tenant, None) => (
            format!(
                "the certificate of tenant `{}` does not cover `{shown_alias}`",
                r.address
            ),
            format!(
                "`{cert}` covers {listed}; {add}, or {}",
                own_certificate(r, &shown_alias)
            ),
        ),
        (ResourceKind::Distribution, _) => (
            format!(
                "the certificate of `{}` does not cover `{shown_alias}`",
                r.address
            ),
            format!("`{cert}` covers {listed}; {add}, or attach a certificate that covers it"),
        ),
    };
    about_claim(
        Code::CertificateDoesNotCover,
        claim,
        r,
        message,
        format!("not covered by `{cert}`"),
        help,
    )
}

/// How a tenant gets a certificate of its own.
fn own_certificate(r: &Resource, alias: &str) -> String {
    format!(
        "in `{}`, set `customizations {{ certificate {{ arn = <an ACM certificate in us-east-1 \
         covering `{alias}`> }} }}`, or `managed_certificate_request {{ validation_token_host = \
         \"cloudfront\" }}` to have CloudFront request one for its domains",
        r.address
    )
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
    fn a_tenant_is_judged_by_the_certificate_it_inherits_from_its_parent() {
        let mut tenant = site(CertificateUse::Parent {
            distribution_id: Some("EPARENT".into()),
        });
        tenant.kind = ResourceKind::Tenant;
        tenant.address = crate::model::Address::new("aws_cloudfront_distribution_tenant.shop");
        // Without AWS's answer nothing can be said.
        assert!(run(tenant.clone(), &Facts::not_asked(NotAsked::Offline)).is_empty());
        let mut inventory = Inventory::default();
        inventory
            .certificates
            .insert(ARN.into(), Ok(vec![DomainName::new("*.example.com")]));
        inventory.accounts.push(crate::facts::AccountFacts {
            account_id: "111111111111".into(),
            provider_keys: vec!["aws".into()],
            distributions: Ok(vec![crate::facts::DistributionFacts {
                id: "EPARENT".into(),
                arn: "arn:aws:cloudfront::111111111111:distribution/EPARENT".into(),
                domain_name: "eparent.cloudfront.net".into(),
                status: "Deployed".into(),
                enabled: true,
                aliases: Vec::new(),
                certificate_arn: Some(ARN.into()),
                tenant_of: None,
                connection_group_id: None,
                staging: false,
            }]),
            connection_groups: Vec::new(),
        });
        let facts = Facts {
            aws: AwsFacts::Asked(inventory),
            dns: crate::facts::DnsFacts::NotAsked(NotAsked::NoDns),
        };
        let found = run(tenant.clone(), &facts);
        let uncovered: Vec<&str> = found.iter().filter_map(|f| f.alias.as_deref()).collect();
        assert_eq!(uncovered, ["a.b.example.com"]);
        assert_eq!(found[0].code, Code::CertificateDoesNotCover);
        assert!(
            found[0]
                .message
                .contains("inherits from its multi-tenant distribution `EPARENT`")
        );
        assert!(found[0].help.contains("managed_certificate_request"));
        // A certificate CloudFront manages for the tenant covers its domains.
        tenant.certificate = CertificateUse::Managed;
        assert!(run(tenant, &facts).is_empty());
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
