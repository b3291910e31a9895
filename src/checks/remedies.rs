//! Which documented fix applies to an alias another distribution holds, as
//! a typed [`Fix`]: the remedy, its steps (each verified, not met, not
//! verified or to do, with its command) and the alternatives with when they
//! apply. Sources: the knowledge-center article (`../shared/seeds/000-002`),
//! the seed Q&A (`003`), the developer guide's AssociateAlias and
//! UpdateDomainAssociation references.
//!
//! - Same account: AssociateAlias (the source may keep serving; it should be
//!   Deployed; GetDistribution, ListConflictingAliases, AssociateAlias and
//!   UpdateDistribution on both distributions), then DNS to the target.
//! - Another reachable account: disable the source (every alias on it goes
//!   offline), then AssociateAlias from the target's account; or, if it must
//!   keep serving and the name is not an apex, the Q&A's order (DNS to the
//!   target, remove from the source, add to the target); the wildcard move
//!   (allowed across accounts since July 2021), never for a wildcard alias
//!   or an apex; or AWS Support. A source that is disabled already is
//!   moved at once from the target's account.
//! - A holder no provider reaches (masked IDs): with its owner, the same
//!   ways; without access, AWS Support; if an AWS service owns it (API
//!   Gateway, Cognito, Amplify custom domains), remove it there.
//! - Tenants on either side: UpdateDomainAssociation after disabling the
//!   source.

use crate::diag::{Alternative, Fix, Remedy, Step, StepStatus, shell_quote};
use crate::facts::{
    AccountFacts, Conflict, DistributionFacts, DnsFacts, Inventory, ResourceType, TxtAnswer,
    masked_matches,
};
use crate::model::{CertificateUse, DomainName, Resource, ResourceKind};

/// The target's ID and CloudFront domain, or placeholders with the step
/// that makes them real when the target is being created.
#[derive(Clone)]
pub(super) struct TargetNames {
    pub id: String,
    pub domain: String,
    /// Whether `domain` is the real one (not a placeholder).
    pub known: bool,
    pub create_first: Option<Step>,
}

pub(super) fn target_names(r: &Resource, inventory: &Inventory) -> TargetNames {
    // A tenant's CloudFront name is its connection group's routing
    // endpoint (the TXT record's value and where its DNS points), never its
    // multi-tenant distribution's domain.
    let listed_domain = r
        .distribution_id
        .as_deref()
        .and_then(|id| inventory.by_id(id))
        .map(|(_, d)| d.domain_name.clone())
        .filter(|d| !d.is_empty())
        .or_else(|| {
            (r.kind == ResourceKind::Tenant)
                .then(|| {
                    inventory.tenant_endpoint(
                        r.provider_key.as_deref(),
                        r.connection_group_id.as_deref(),
                    )
                })
                .flatten()
                .map(|e| e.to_string())
        });
    match &r.distribution_id {
        Some(id) => {
            let domain = r.domain_name.clone().or(listed_domain);
            TargetNames {
                id: id.clone(),
                known: domain.is_some(),
                domain: domain.unwrap_or_else(|| "TARGET.cloudfront.net".into()),
                create_first: None,
            }
        }
        // A new tenant already has its connection group's endpoint.
        None => TargetNames {
            id: "TARGET_ID".to_string(),
            known: listed_domain.is_some(),
            domain: listed_domain.unwrap_or_else(|| "TARGET.cloudfront.net".to_string()),
            create_first: Some(Step::new(
                StepStatus::NotMet,
                format!(
                    "`{}` does not exist yet: create it first without the alias (apply), and use \
                     its ID and domain name below",
                    r.address
                ),
            )),
        },
    }
}

fn associate_command(target_id: &str, alias: &str) -> String {
    format!(
        "aws cloudfront associate-alias --target-distribution-id {} --alias {}",
        shell_quote(target_id),
        shell_quote(alias)
    )
}

/// The TXT record AssociateAlias needs, checked against DNS.
pub(super) fn txt_step(shown: &str, name: &DomainName, t: &TargetNames, dns: &DnsFacts) -> Step {
    let forms = name.txt_names();
    let text = format!(
        "the DNS TXT record `_{shown}. 300 IN TXT \"{}\"`{} (Terraform: `resource \
         \"aws_route53_record\" \"move\" {{ name = \"_{shown}\", type = \"TXT\", ttl = 300, \
         records = [\"{}\"], zone_id = ... }}`)",
        t.domain,
        if forms.len() > 1 {
            format!(
                "; for an apex AWS also documents `_.{shown}`, or a TXT record on `{shown}` itself"
            )
        } else {
            String::new()
        },
        t.domain
    );
    let status = match dns {
        DnsFacts::Asked(answers) => match answers.txt.get(name) {
            Some(TxtAnswer::Values(values)) if !t.known => StepStatus::NotVerified(format!(
                "the target has no domain name yet; `_{shown}` holds {}",
                found(values)
            )),
            Some(TxtAnswer::Values(values))
                if values
                    .iter()
                    .any(|v| DomainName::new(v) == DomainName::new(&t.domain)) =>
            {
                StepStatus::Verified
            }
            Some(TxtAnswer::Values(values)) => {
                return Step::new(
                    StepStatus::NotMet,
                    format!("{text}; DNS has {}", found(values)),
                );
            }
            Some(TxtAnswer::Failed(reason)) => {
                StepStatus::NotVerified(format!("DNS could not be asked: {reason}"))
            }
            Some(TxtAnswer::NotAsked(why)) => {
                StepStatus::NotVerified(format!("the TXT record was not asked: {why}"))
            }
            None => StepStatus::NotVerified("DNS was not asked about it".into()),
        },
        DnsFacts::NotAsked(why) => {
            StepStatus::NotVerified(format!("DNS was not asked ({})", why.reason()))
        }
        DnsFacts::Failed(_) => StepStatus::NotVerified("DNS could not be asked".into()),
    };
    Step::new(status, text)
}

/// What DNS holds, as it may be printed: TXT values are anyone's text, so
/// each is escaped and shortened, and at most five are named.
fn found(values: &[String]) -> String {
    const SHOWN: usize = 5;
    if values.is_empty() {
        return "no TXT record".to_string();
    }
    let mut out: Vec<String> = values
        .iter()
        .take(SHOWN)
        .map(|v| format!("`{}`", crate::display::shown(v)))
        .collect();
    if values.len() > SHOWN {
        out.push(format!("{} more", values.len() - SHOWN));
    }
    out.join(", ")
}

/// Whether the target's certificate covers the alias, as far as the plan
/// and ACM tell.
pub(super) fn certificate_step(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    inventory: &Inventory,
) -> Step {
    let names = match &r.certificate {
        CertificateUse::Acm { names: Some(n), .. } => Some(n.clone()),
        CertificateUse::Acm { arn: Some(arn), .. } => inventory
            .certificates
            .get(arn)
            .and_then(|n| n.as_ref().ok())
            .cloned(),
        CertificateUse::CloudFrontDefault => {
            return Step::new(
                StepStatus::NotMet,
                format!(
                    "`{}` uses the default CloudFront certificate: attach an ACM certificate in \
                     us-east-1 that covers `{shown}`",
                    r.address
                ),
            );
        }
        _ => None,
    };
    match names {
        Some(n) if n.iter().any(|c| name.is_covered_by(c)) => Step::new(
            StepStatus::Verified,
            format!("the certificate of `{}` covers `{shown}`", r.address),
        ),
        Some(_) => Step::new(
            StepStatus::NotMet,
            format!(
                "the certificate of `{}` does not cover `{shown}`: add it to the certificate (see \
                 certificate-does-not-cover)",
                r.address
            ),
        ),
        None => Step::new(
            StepStatus::NotVerified("the certificate's names are not known".into()),
            format!("the certificate of `{}` must cover `{shown}`", r.address),
        ),
    }
}

/// The source must be Deployed before the move (the article: it may fail
/// until then).
fn deployed_step(holder: &DistributionFacts) -> Step {
    if holder.status == "Deployed" {
        Step::new(StepStatus::Verified, format!("`{}` is Deployed", holder.id))
    } else {
        Step::new(
            StepStatus::NotMet,
            format!(
                "`{}` is {}: wait until it is Deployed (`aws cloudfront wait \
                 distribution-deployed --id {}`)",
                holder.id,
                holder.status,
                shell_quote(&holder.id)
            ),
        )
        .with_command(format!(
            "aws cloudfront wait distribution-deployed --id {}",
            shell_quote(&holder.id)
        ))
    }
}

fn remove_step(shown: &str, holder_id: &str) -> Step {
    Step::todo(format!(
        "remove `{shown}` from the configuration of `{holder_id}` wherever it is managed, so the \
         next plan agrees"
    ))
}

fn point_dns_step(shown: &str, t: &TargetNames) -> Step {
    Step::todo(format!(
        "point `{shown}` at `{}` (CNAME, or a Route 53 alias record) and wait for the record's TTL",
        t.domain
    ))
    .pointing_dns()
}

fn support_steps(shown: &str, t: &TargetNames, account: &str, holder: &str) -> Vec<Step> {
    vec![Step::todo(format!(
        "open a case with AWS Support asking to move `{shown}` to `{}` in account {account}, \
         from `{holder}`; include the CNAMEAlreadyExists error, and have the TXT record \
         `_{shown}` (value `{}`) and a certificate covering `{shown}` on the target in place",
        t.id, t.domain
    ))]
}

/// The fix for a holder the inventory lists, in the target's account or
/// another reached one.
#[allow(clippy::too_many_arguments)]
pub(super) fn for_holder(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    account: &AccountFacts,
    holder: &DistributionFacts,
    inventory: &Inventory,
    dns: &DnsFacts,
) -> Fix {
    if r.kind == ResourceKind::Tenant || holder.tenant_of.is_some() {
        return tenant_move(r, shown, name, target, holder, inventory, dns);
    }
    let t = target_names(r, inventory);
    if account.account_id == target.account_id {
        same_account(r, shown, name, target, holder, inventory, dns, &t)
    } else {
        other_account(r, shown, name, target, account, holder, inventory, dns, &t)
    }
}

#[allow(clippy::too_many_arguments)]
fn same_account(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    holder: &DistributionFacts,
    inventory: &Inventory,
    dns: &DnsFacts,
    t: &TargetNames,
) -> Fix {
    let mut steps = vec![match t.create_first.clone() {
        Some(step) => step,
        None => Step::new(
            StepStatus::Verified,
            format!("the target `{}` exists: `{}`", r.address, t.id),
        ),
    }];
    steps.push(certificate_step(r, shown, name, inventory));
    steps.push(txt_step(shown, name, t, dns));
    steps.push(deployed_step(holder));
    steps.push(
        Step::todo(format!(
            "move it (needs cloudfront:GetDistribution, cloudfront:ListConflictingAliases, \
             cloudfront:AssociateAlias and cloudfront:UpdateDistribution on `{}` and `{}` in \
             account {}):",
            holder.id, t.id, target.account_id
        ))
        .with_command(associate_command(&t.id, shown)),
    );
    steps.push(point_dns_step(shown, t));
    steps.push(remove_step(shown, &holder.id));
    Fix {
        remedy: Remedy::AssociateAlias,
        title: format!("move it from `{}` with AssociateAlias:", holder.id),
        steps,
        alternatives: Vec::new(),
    }
}

/// The ways to take an alias from a distribution in another account, as
/// the primary (disable) path and its alternatives.
#[allow(clippy::too_many_arguments)]
fn other_account(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    account: &AccountFacts,
    holder: &DistributionFacts,
    inventory: &Inventory,
    dns: &DnsFacts,
    t: &TargetNames,
) -> Fix {
    let via = account.provider_keys.join("`, `");
    let offline: Vec<String> = holder.aliases.iter().map(|a| format!("`{a}`")).collect();
    let mut steps = Vec::new();
    if let Some(step) = t.create_first.clone() {
        steps.push(step);
    }
    // A holder that is already disabled can be moved now: "The source
    // standard distribution or distribution tenant must be disabled before
    // you can move the alternate domain name"
    // (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-options.html>).
    steps.push(if holder.enabled {
        Step::todo(format!(
            "disable `{}` in account {} (reached through provider `{via}`): it then stops \
             serving every name it has ({}); wait until it is Deployed",
            holder.id,
            account.account_id,
            offline.join(", ")
        ))
    } else {
        Step::new(
            StepStatus::Verified,
            format!(
                "`{}` in account {} is disabled already (ListDistributions: enabled false)",
                holder.id, account.account_id
            ),
        )
    });
    if !holder.enabled {
        steps.push(deployed_step(holder));
    }
    steps.push(certificate_step(r, shown, name, inventory));
    steps.push(txt_step(shown, name, t, dns));
    steps.push(
        Step::todo(format!(
            "from account {} (needs cloudfront:AssociateAlias and cloudfront:UpdateDistribution \
             on `{}`):",
            target.account_id, t.id
        ))
        .with_command(associate_command(&t.id, shown)),
    );
    steps.push(point_dns_step(shown, t));
    steps.push(remove_step(shown, &holder.id));
    let mut alternatives = keep_serving(r, shown, name, &holder.id, t);
    alternatives.push(Alternative {
        remedy: Remedy::AwsSupport,
        when: format!("if `{}` can be neither disabled nor changed", holder.id),
        steps: support_steps(shown, t, &target.account_id, &holder.id),
    });
    Fix {
        remedy: Remedy::DisableThenAssociate,
        title: if holder.enabled {
            format!(
                "`{}` is in another account ({}); the target is in {}. If every name on `{}` may \
                 go offline:",
                holder.id, account.account_id, target.account_id, holder.id
            )
        } else {
            format!(
                "`{}` is in another account ({}) and disabled; move it from the target's \
                 account {}:",
                holder.id, account.account_id, target.account_id
            )
        },
        steps,
        alternatives,
    }
}

/// For a name (not an apex, not a wildcard) whose holder must keep
/// serving: the seed Q&A's order, and the knowledge-center wildcard move
/// with its caveat.
fn keep_serving(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    holder_id: &str,
    t: &TargetNames,
) -> Vec<Alternative> {
    let Some(parent) = name.parent().filter(|_| !name.is_wildcard()) else {
        return Vec::new();
    };
    let mut order = Vec::new();
    order.push(Step::todo(format!(
        "create `{}` without `{shown}` (apply)",
        r.address
    )));
    order.push(point_dns_step(shown, t));
    order.push(Step::todo(format!(
        "remove `{shown}` from `{holder_id}` and wait until it is Deployed"
    )));
    order.push(Step::todo(format!(
        "add `{shown}` to `{}` and apply; expect a few minutes of errors for `{shown}` between \
         the last two steps",
        r.address
    )));
    let wildcard = vec![
        // AWS's zero-downtime route when the source is reachable, the name
        // is not an apex and no overlapping wildcard is in use; cross-account
        // wildcards are allowed since July 2021
        // (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-options.html>).
        Step::todo(format!(
            "add `*.{parent}` to `{}` (its certificate must cover it; a wildcard in another \
             account is allowed) and wait until it is Deployed",
            r.address
        )),
        point_dns_step(shown, t),
        Step::todo(format!(
            "remove `{shown}` from `{holder_id}`, wait until it is Deployed, add `{shown}` to `{}`, \
             then drop `*.{parent}`",
            r.address
        )),
    ];
    vec![
        Alternative {
            remedy: Remedy::KeepServingMove,
            when: format!("if `{holder_id}` must keep serving its other names"),
            steps: order,
        },
        Alternative {
            remedy: Remedy::WildcardMove,
            when: format!("if `{shown}` itself must not go offline"),
            steps: wildcard,
        },
    ]
}

/// A holder no provider of the plan reaches: ListConflictingAliases shows
/// only the end of its IDs.
pub(super) fn masked(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    c: &Conflict,
    dns: &DnsFacts,
) -> Fix {
    let t = target_names(r, &Inventory::default());
    let same = masked_matches(&c.account_id, &target.account_id);
    let what = match c.resource_type {
        ResourceType::Tenant => "tenant",
        ResourceType::Distribution => "distribution",
    };
    let mut steps = Vec::new();
    if let Some(step) = t.create_first.clone() {
        steps.push(step);
    }
    steps.push(Step::todo(format!(
        "find the owner of account `{}` (AWS shows only the end of the IDs){}; if it is yours, add \
         a provider for it or pass `--provider-profile` so the next run names the {what} and the \
         exact steps",
        c.account_id,
        if same {
            ", which looks like this account"
        } else {
            ""
        }
    )));
    steps.push(Step::todo(format!(
        "with the owner: disable {what} `{}` (every name on it goes offline) and wait until it is \
         Deployed",
        c.distribution_id
    )));
    steps.push(txt_step(shown, name, &t, dns));
    steps.push(
        Step::todo(format!("then, from account {}:", target.account_id))
            .with_command(associate_command(&t.id, shown)),
    );
    let mut alternatives = keep_serving(r, shown, name, &c.distribution_id, &t);
    alternatives.push(Alternative {
        remedy: Remedy::AwsSupport,
        when: "without access to that account".into(),
        steps: support_steps(shown, &t, &target.account_id, &c.distribution_id),
    });
    alternatives.push(Alternative {
        remedy: Remedy::ServiceOwned,
        when: "if an AWS service holds it (an API Gateway edge-optimized custom domain, a Cognito \
               hosted UI domain, an Amplify custom domain)"
            .into(),
        steps: vec![Step::todo(format!(
            "remove the custom domain `{shown}` in that service (its distribution cannot be \
             disabled or changed by you), or ask AWS Support"
        ))],
    });
    Fix {
        remedy: Remedy::DisableThenAssociate,
        title: "the holder is outside the accounts this plan reaches:".into(),
        steps,
        alternatives,
    }
}

/// A tenant on either side: UpdateDomainAssociation, after disabling the
/// source (AssociateAlias supports standard distributions only).
fn tenant_move(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    holder: &DistributionFacts,
    inventory: &Inventory,
    dns: &DnsFacts,
) -> Fix {
    let t = target_names(r, inventory);
    let target_resource = match r.kind {
        ResourceKind::Tenant => format!("DistributionTenantId={}", t.id),
        ResourceKind::Distribution => format!("DistributionId={}", t.id),
    };
    let get_etag = match r.kind {
        ResourceKind::Tenant => format!(
            "aws cloudfront get-distribution-tenant --id {}",
            shell_quote(&t.id)
        ),
        ResourceKind::Distribution => format!(
            "aws cloudfront get-distribution --id {}",
            shell_quote(&t.id)
        ),
    };
    let mut steps = Vec::new();
    if let Some(step) = t.create_first.clone() {
        steps.push(step);
    }
    steps.push(Step::todo(format!(
        "disable {} (every name on it goes offline) and wait until it is Deployed",
        holder.describe()
    )));
    steps.push(txt_step(shown, name, &t, dns));
    steps.push(
        Step::todo(format!(
            "check that no other resource blocks it (needs cloudfront:ListDomainConflicts on `{}`):",
            t.id
        ))
        .with_command(format!(
            "aws cloudfront list-domain-conflicts --domain {} --domain-control-validation-resource {}",
            shell_quote(shown),
            shell_quote(&target_resource)
        )),
    );
    steps.push(Step::todo(format!("read the target's ETag: `{get_etag}`")));
    steps.push(
        Step::todo(format!(
            "move it (needs cloudfront:UpdateDomainAssociation in account {}):",
            target.account_id
        ))
        .with_command(format!(
            "aws cloudfront update-domain-association --domain {} --target-resource {} --if-match ETAG",
            shell_quote(shown),
            shell_quote(&target_resource)
        )),
    );
    steps.push(point_dns_step(shown, &t));
    steps.push(remove_step(shown, &holder.id));
    Fix {
        remedy: Remedy::UpdateDomainAssociation,
        title: format!(
            "move it from {} with UpdateDomainAssociation:",
            holder.describe()
        ),
        steps,
        alternatives: vec![Alternative {
            remedy: Remedy::AwsSupport,
            when: format!("if {} cannot be disabled", holder.describe()),
            steps: support_steps(shown, &t, &target.account_id, &holder.id),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{AccountFacts, NotAsked};
    use crate::model::Action;

    fn target(alias: &str) -> Resource {
        Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &[alias],
        )
    }

    fn account(id: &str, key: &str) -> AccountFacts {
        AccountFacts {
            account_id: id.into(),
            provider_keys: vec![key.into()],
            distributions: Ok(Vec::new()),
            connection_groups: Vec::new(),
        }
    }

    fn holder(aliases: &[&str], status: &str) -> DistributionFacts {
        DistributionFacts {
            id: "EHOLDER000001".into(),
            arn: String::new(),
            domain_name: "dholder.cloudfront.net".into(),
            status: status.into(),
            enabled: true,
            aliases: aliases.iter().map(|a| DomainName::new(a)).collect(),
            certificate_arn: None,
            tenant_of: None,
            connection_group_id: None,
            staging: false,
        }
    }

    fn fix_for(r: &Resource, holder: &DistributionFacts, same: bool) -> Fix {
        let ours = account("111111111111", "aws");
        let theirs = account("222222222222", "aws.legacy");
        let name = r.after[0].value.name().unwrap().clone();
        for_holder(
            r,
            name.as_str(),
            &name,
            &ours,
            if same { &ours } else { &theirs },
            holder,
            &Inventory::default(),
            &DnsFacts::NotAsked(NotAsked::NoDns),
        )
    }

    fn remedies(fix: &Fix) -> Vec<Remedy> {
        fix.alternatives.iter().map(|a| a.remedy).collect()
    }

    #[test]
    fn same_account_is_associate_alias_with_the_source_deployed_first() {
        let fix = fix_for(
            &target("www.example.com"),
            &holder(&["www.example.com"], "InProgress"),
            true,
        );
        assert_eq!(fix.remedy, Remedy::AssociateAlias);
        assert!(fix.alternatives.is_empty());
        let deployed = fix
            .steps
            .iter()
            .find(|s| s.text.contains("InProgress"))
            .unwrap();
        assert_eq!(deployed.status, StepStatus::NotMet);
        let mv = fix
            .steps
            .iter()
            .find(|s| {
                s.command
                    .as_deref()
                    .is_some_and(|c| c.contains("associate-alias"))
            })
            .unwrap();
        for action in [
            "GetDistribution",
            "ListConflictingAliases",
            "AssociateAlias",
            "UpdateDistribution",
        ] {
            assert!(mv.text.contains(action), "{}", mv.text);
        }
        assert!(
            fix.steps
                .iter()
                .any(|s| s.text.starts_with("point `www.example.com` at"))
        );
    }

    #[test]
    fn another_account_disables_or_keeps_serving_or_asks_support() {
        let fix = fix_for(
            &target("a.foo.com"),
            &holder(&["a.foo.com", "b.foo.com"], "Deployed"),
            false,
        );
        assert_eq!(fix.remedy, Remedy::DisableThenAssociate);
        // Disabling takes every name of the holder offline: say which.
        assert!(
            fix.steps
                .iter()
                .any(|s| s.text.contains("`a.foo.com`, `b.foo.com`"))
        );
        assert!(fix.steps.iter().any(|s| s.text.contains("certificate")));
        assert_eq!(
            remedies(&fix),
            [
                Remedy::KeepServingMove,
                Remedy::WildcardMove,
                Remedy::AwsSupport
            ]
        );
        // The Q&A's order: DNS to the target before the alias leaves the source.
        let order: Vec<&str> = fix.alternatives[0]
            .steps
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert!(order[1].starts_with("point `a.foo.com` at"), "{order:?}");
        assert!(order[2].starts_with("remove `a.foo.com`"), "{order:?}");
        // Cross-account wildcards are allowed since July 2021: no caveat
        // that CloudFront refuses the wildcard.
        let wildcard = &fix.alternatives[1].steps[0].text;
        assert!(wildcard.starts_with("add `*.foo.com` to"), "{wildcard}");
        assert!(!wildcard.contains("refuse"), "{wildcard}");
    }

    #[test]
    fn a_disabled_holder_in_another_account_is_moved_now() {
        let mut disabled = holder(&["a.foo.com"], "Deployed");
        disabled.enabled = false;
        let fix = fix_for(&target("a.foo.com"), &disabled, false);
        assert_eq!(fix.remedy, Remedy::DisableThenAssociate);
        assert!(fix.title.contains("and disabled"), "{}", fix.title);
        let disable = fix
            .steps
            .iter()
            .find(|s| s.text.contains("disabled already"))
            .unwrap_or_else(|| panic!("{:#?}", fix.steps));
        assert_eq!(disable.status, StepStatus::Verified);
        assert!(!fix.steps.iter().any(|s| s.text.starts_with("disable ")));
    }

    #[test]
    fn an_apex_or_a_wildcard_has_no_keep_serving_or_wildcard_move() {
        for alias in ["example.com", "*.foo.com"] {
            let fix = fix_for(&target(alias), &holder(&[alias], "Deployed"), false);
            assert_eq!(remedies(&fix), [Remedy::AwsSupport], "{alias}");
        }
    }

    #[test]
    fn a_masked_holder_offers_support_and_the_service_owned_way() {
        let r = target("www.example.com");
        let name = DomainName::new("www.example.com");
        let conflict = Conflict {
            alias: name.clone(),
            distribution_id: "*******TENANT1".into(),
            account_id: "********9999".into(),
            resource_type: ResourceType::Tenant,
        };
        let fix = masked(
            &r,
            "www.example.com",
            &name,
            &account("111111111111", "aws"),
            &conflict,
            &DnsFacts::NotAsked(NotAsked::NoDns),
        );
        assert_eq!(fix.remedy, Remedy::DisableThenAssociate);
        let all = remedies(&fix);
        assert!(
            all.contains(&Remedy::AwsSupport) && all.contains(&Remedy::ServiceOwned),
            "{all:?}"
        );
        // The masked holder keeps its resource type.
        assert!(
            fix.steps
                .iter()
                .any(|s| s.text.contains("tenant `*******TENANT1`"))
        );
    }

    #[test]
    fn tenants_move_with_update_domain_association() {
        let mut tenant = target("shop.example.com");
        tenant.kind = ResourceKind::Tenant;
        tenant.distribution_id = Some("dt_new".into());
        let fix = fix_for(&tenant, &holder(&["shop.example.com"], "Deployed"), true);
        assert_eq!(fix.remedy, Remedy::UpdateDomainAssociation);
        // An existing tenant has no domain name of its own, and exists.
        assert!(
            !fix.steps
                .iter()
                .any(|s| s.text.contains("does not exist yet"))
        );
        let commands: Vec<&str> = fix
            .steps
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect();
        assert!(
            commands.iter().any(|c| c.contains("update-domain-association --domain shop.example.com --target-resource DistributionTenantId=dt_new")),
            "{commands:?}"
        );
        assert!(commands.iter().any(|c| c.contains("list-domain-conflicts")
            && c.contains("--domain-control-validation-resource")));

        // A tenant holding the alias, a standard distribution asking for it.
        let mut held = holder(&["shop.example.com"], "Deployed");
        held.tenant_of = Some("EMULTI".into());
        let fix = fix_for(&target("shop.example.com"), &held, true);
        assert_eq!(fix.remedy, Remedy::UpdateDomainAssociation);
    }

    #[test]
    fn commands_quote_what_the_shell_would_expand() {
        assert_eq!(shell_quote("www.example.com"), "www.example.com");
        assert_eq!(shell_quote("*.bar.com"), "'*.bar.com'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        let fix = fix_for(
            &target("*.bar.com"),
            &holder(&["*.bar.com"], "Deployed"),
            true,
        );
        assert!(
            fix.steps
                .iter()
                .filter_map(|s| s.command.as_deref())
                .any(|c| c.ends_with("--alias '*.bar.com'"))
        );
    }

    #[test]
    fn txt_values_are_escaped_shortened_and_few() {
        let long = format!("\u{1b}[2J{}", "a".repeat(5000));
        let values: Vec<String> = std::iter::repeat_n(long, 8).collect();
        let text = found(&values);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.len() < 5 * 400, "{} bytes", text.len());
        assert!(text.ends_with("3 more"), "{text}");
    }
}
