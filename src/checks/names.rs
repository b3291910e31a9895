//! The alias strings themselves: `invalid-alias`, `too-many-aliases`,
//! `alias-unknown`.

use super::about_claim;
use crate::diag::{Code, Finding};
use crate::model::{Action, AliasValue, Claim, DomainName, Resource};

/// CloudFront's default quota of alternate domain names per distribution.
const ALIAS_QUOTA: usize = 100;

pub(super) fn check(resources: &[Resource], claims: &[Claim], out: &mut Vec<Finding>) {
    for claim in claims {
        let r = &resources[claim.resource];
        match &claim.alias {
            AliasValue::Known { raw, .. } => {
                if let Err(why) = DomainName::validate(raw) {
                    let shown = claim.shown();
                    let fix = if claim.sensitive {
                        "use a lowercase DNS name without a trailing dot".to_string()
                    } else {
                        why.fix(raw)
                    };
                    out.push(about_claim(
                        Code::InvalidAlias,
                        claim,
                        r,
                        format!("`{shown}` is not a valid alias: {}", why.reason()),
                        "invalid alias",
                        format!("{fix} in the aliases of `{}`", r.address),
                    ));
                }
            }
            AliasValue::Unknown { reason } => {
                out.push(if r.origin.is_configuration() {
                    about_claim(
                        Code::AliasUnknown,
                        claim,
                        r,
                        format!(
                            "an alias of `{}` cannot be worked out from the configuration",
                            r.address
                        ),
                        "not known without a plan",
                        format!(
                            "{reason}; give the value (`--var`, `--var-file`, a `.tfvars` \
                             file), or check the plan instead: `terraform show -json tfplan \
                             > plan.json && cname-preflight check plan.json`"
                        ),
                    )
                } else {
                    about_claim(
                        Code::AliasUnknown,
                        claim,
                        r,
                        format!("an alias of `{}` is not known until apply", r.address),
                        "known after apply",
                        format!(
                            "{reason}, so it cannot be checked now; make it known at plan time \
                             (a variable or constant instead of a resource attribute), or apply \
                             what it depends on first and check again"
                        ),
                    )
                });
            }
        }
    }

    for r in resources {
        if !matches!(
            r.action,
            Action::Create | Action::Update | Action::Replace(_)
        ) {
            continue;
        }
        let count = r.after.iter().filter(|e| e.value.name().is_some()).count();
        if count <= ALIAS_QUOTA {
            continue;
        }
        let Some(span) = r.after_span else { continue };
        out.push(Finding {
            code: Code::TooManyAliases,
            severity: Code::TooManyAliases.default_severity(),
            message: format!(
                "`{}` would have {count} aliases; the default quota is {ALIAS_QUOTA} per distribution",
                r.address
            ),
            alias: None,
            address: Some(r.address.clone()),
            input: Some(r.file.clone()),
            span,
            label: format!("{count} aliases"),
            show_source: true,
            related: Vec::new(),
            holder: None,
            fix: None,
            dns: None,
            suppressed: None,
            caveat: None,
            party: None,
            help: "check the quota \"Alternate domain names (CNAMEs) per distribution\" in \
                   Service Quotas and request an increase, or cover the subdomains with one \
                   wildcard alias (`*.example.com`), or split the names across distributions"
                .to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AliasEntry, Origin, Span};

    fn run(resources: &[Resource]) -> Vec<Finding> {
        let claims = crate::input::claims(resources);
        let mut out = Vec::new();
        check(resources, &claims, &mut out);
        out
    }

    #[test]
    fn invalid_names_say_why_and_the_fix() {
        let r = Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &["Shop.Example.com", "www.example.com", "a..example.com"],
        );
        let found = run(&[r]);
        let codes: Vec<Code> = found.iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::InvalidAlias, Code::InvalidAlias]);
        assert!(
            found[0].message.contains("uppercase"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].help.starts_with("use `shop.example.com`"),
            "{}",
            found[0].help
        );
    }

    #[test]
    fn unknown_aliases_are_explained_by_where_they_come_from() {
        let mut r = Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &[],
        );
        r.after.push(AliasEntry {
            value: AliasValue::Unknown {
                reason: "`aws_route53_zone.main.name` is known after apply".into(),
            },
            span: Span {
                source: 0,
                offset: 0,
                len: 1,
            },
            sensitive: false,
        });
        let from_plan = run(std::slice::from_ref(&r));
        assert_eq!(from_plan[0].code, Code::AliasUnknown);
        assert_eq!(from_plan[0].label, "known after apply");
        r.origin = Origin::Configuration;
        let from_config = run(&[r]);
        assert_eq!(from_config[0].label, "not known without a plan");
        assert!(from_config[0].help.contains("--var-file"));
    }

    #[test]
    fn the_quota_counts_known_aliases_of_changed_distributions() {
        let names: Vec<String> = (0..=ALIAS_QUOTA)
            .map(|i| format!("n{i}.example.com"))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut r = Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Update,
            &[],
            &names,
        );
        r.after_span = Some(Span {
            source: 0,
            offset: 0,
            len: 1,
        });
        let over: Vec<Code> = run(std::slice::from_ref(&r))
            .iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(over, [Code::TooManyAliases]);
        r.after.pop();
        assert!(run(std::slice::from_ref(&r)).is_empty());
        r.after.push(r.after[0].clone());
        r.action = Action::Delete;
        assert!(run(&[r]).is_empty());
    }
}
