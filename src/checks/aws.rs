//! What AWS said: `alias-taken` for aliases held by distributions the
//! inventory lists or ListConflictingAliases names, `wildcard-overlap` for
//! overlaps with wildcards, `not-verified` where AWS could not be asked.

use std::collections::HashSet;

use super::about_claim;
use crate::diag::{Code, Finding, Fix, Holder, Remedy, Severity, Step, StepStatus};
use crate::facts::{
    AccountFacts, AwsFacts, Conflict, DistributionFacts, DnsFacts, Facts, Inventory, masked_matches,
};
use crate::model::{CertificateUse, Claim, DomainName, Resource};

pub(super) fn check(
    resources: &[Resource],
    claims: &[Claim],
    facts: &Facts,
    out: &mut Vec<Finding>,
) {
    let AwsFacts::Asked(inventory) = &facts.aws else {
        return;
    };
    // Distributions this change manages: their aliases are judged from the
    // plan (duplicates, moves), not reported again as taken.
    let managed: HashSet<&str> = resources
        .iter()
        .filter_map(|r| r.distribution_id.as_deref())
        .collect();
    // Accounts whose distributions could not be listed: no alias is
    // verified against them.
    let failed: Vec<String> = inventory
        .accounts
        .iter()
        .filter_map(|a| {
            a.distributions
                .as_ref()
                .err()
                .map(|e| format!("account {}: {e}", a.account_id))
        })
        .collect();
    // Indexes built once: every claim looks its alias up in them, instead
    // of scanning every distribution and lookup per claim.
    let mut holders: std::collections::HashMap<
        &DomainName,
        Vec<(&AccountFacts, &DistributionFacts)>,
    > = std::collections::HashMap::new();
    for account in &inventory.accounts {
        for d in account.distributions.iter().flatten() {
            for alias in &d.aliases {
                let list = holders.entry(alias).or_default();
                if !list.iter().any(|(_, h)| h.id == d.id) {
                    list.push((account, d));
                }
            }
        }
    }
    let lookups: std::collections::HashMap<(&DomainName, &str), &crate::facts::AliasLookup> =
        inventory
            .lookups
            .iter()
            .map(|l| ((&l.alias, l.account_id.as_str()), l))
            .collect();
    for claim in claims {
        let Some(name) = claim.alias.checkable() else {
            continue;
        };
        let r = &resources[claim.resource];
        let shown = claim.shown();
        let Some(target) = inventory.account_of(r.provider_key.as_deref()) else {
            continue;
        };
        if !failed.is_empty() {
            out.push(about_claim(
                Code::NotVerified,
                claim,
                r,
                format!("`{shown}` was not verified: AWS could not list distributions"),
                "not verified",
                failed.join("; "),
            ));
        }
        let own = |id: &str| Some(id) == r.distribution_id.as_deref() || managed.contains(id);
        let mut reported = false;
        for &(account, holder) in holders.get(name).into_iter().flatten() {
            if own(&holder.id) {
                continue;
            }
            out.push(taken(
                claim, r, &shown, name, target, account, holder, inventory, &facts.dns,
            ));
            reported = true;
        }
        match lookups
            .get(&(name, target.account_id.as_str()))
            .map(|l| &l.result)
        {
            Some(Ok(probe)) => {
                for c in &probe.conflicts {
                    let unmasked = inventory.unmask(c);
                    if unmasked.is_some_and(|(_, d)| own(&d.id)) {
                        continue;
                    }
                    if &c.alias == name {
                        // Listed holders were reported above with full IDs.
                        if unmasked.is_none() {
                            out.push(taken_masked(claim, r, &shown, name, target, c, &facts.dns));
                        }
                    } else if c.alias.overlaps(name) {
                        out.push(overlap(claim, r, &shown, name, target, c, inventory));
                    }
                }
            }
            Some(Err(reason)) if !reported => out.push(about_claim(
                Code::NotVerified,
                claim,
                r,
                format!("`{shown}` was not verified in other accounts"),
                "not verified",
                reason.clone(),
            )),
            _ => {}
        }
    }
}

/// A holder ListConflictingAliases names with masked IDs, in an account no
/// provider of the plan reaches.
fn taken_masked(
    claim: &Claim,
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    c: &Conflict,
    dns: &DnsFacts,
) -> Finding {
    let same = masked_matches(&c.account_id, &target.account_id);
    let t = target_names(r);
    let mut steps = Vec::new();
    if let Some(step) = t.create_first.clone() {
        steps.push(step);
    }
    steps.push(Step::todo(format!(
        "find the owner of account `{}` (AWS shows only the end of the IDs); if it is yours, add \
         a provider for it or pass `--provider-profile` so the next run names the distribution \
         and the exact steps",
        c.account_id
    )));
    steps.push(Step::todo(format!(
        "with the owner: disable distribution `{}` (or remove `{shown}` from it) and wait until \
         it is Deployed",
        c.distribution_id
    )));
    steps.push(txt_step(shown, name, &t, dns));
    steps.push(
        Step::todo(format!("then, from account {}:", target.account_id))
            .with_command(associate_command(&t.id, shown)),
    );
    steps.push(Step::todo(format!(
        "without access to that account: ask AWS Support to move `{shown}`, with the TXT record \
         and a certificate covering it in place, naming `{}` in account {}",
        t.id, target.account_id
    )));
    let place = if same {
        format!("this account ({})", target.account_id)
    } else {
        format!("another account (`{}`)", c.account_id)
    };
    let fix = Fix {
        remedy: Remedy::DisableThenAssociate,
        title: "the holder is outside the accounts this plan reaches:".into(),
        steps,
    };
    let mut finding = about_claim(
        Code::AliasTaken,
        claim,
        r,
        format!(
            "`{shown}` is already held by distribution `{}` in {place}",
            c.distribution_id
        ),
        format!("held by `{}`", c.distribution_id),
        fix.render(),
    );
    finding.fix = Some(fix);
    finding.holder = Some(Holder {
        distribution_id: c.distribution_id.clone(),
        account_id: c.account_id.clone(),
        same_account: same,
        domain_name: None,
        enabled: None,
        status: None,
    });
    finding
}

/// The alias overlaps a wildcard held elsewhere, or the wildcard alias
/// overlaps a name held elsewhere.
fn overlap(
    claim: &Claim,
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    c: &Conflict,
    inventory: &Inventory,
) -> Finding {
    let unmasked = inventory.unmask(c);
    let (holder_id, holder_account) = match unmasked {
        Some((a, d)) => (d.id.clone(), a.account_id.clone()),
        None => (c.distribution_id.clone(), c.account_id.clone()),
    };
    let same = masked_matches(&c.account_id, &target.account_id);
    let (wild, specific) = if name.is_wildcard() {
        (name.as_str(), c.alias.as_str())
    } else {
        (c.alias.as_str(), name.as_str())
    };
    let (severity, meaning, place) = if same {
        (
            Severity::Note,
            format!(
                "within one account CloudFront allows this: requests for `{specific}` go to the \
                 distribution that holds the exact name, other names below the wildcard to the \
                 one with `{wild}`"
            ),
            format!("the same account {}", target.account_id),
        )
    } else {
        (
            Severity::Warning,
            format!(
                "CloudFront does not allow a wildcard and a name below it in different accounts \
                 (one account could take the other's traffic): expect CNAMEAlreadyExists; keep \
                 both names in one account, or replace `{wild}` with the exact names you serve"
            ),
            format!("account `{holder_account}`"),
        )
    };
    let mut finding = about_claim(
        Code::WildcardOverlap,
        claim,
        r,
        format!(
            "`{shown}` overlaps `{}` held by distribution `{holder_id}` in {place}",
            c.alias
        ),
        format!("overlaps `{}`", c.alias),
        meaning,
    );
    finding.severity = severity;
    finding.holder = Some(Holder {
        distribution_id: holder_id,
        account_id: holder_account,
        same_account: same,
        domain_name: unmasked.map(|(_, d)| d.domain_name.clone()),
        enabled: unmasked.map(|(_, d)| d.enabled),
        status: unmasked.map(|(_, d)| d.status.clone()),
    });
    finding
}

#[allow(clippy::too_many_arguments)]
fn taken(
    claim: &Claim,
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    account: &AccountFacts,
    holder: &DistributionFacts,
    inventory: &Inventory,
    dns: &DnsFacts,
) -> Finding {
    let same = account.account_id == target.account_id;
    let state = format!(
        "{}, {}",
        if holder.enabled {
            "enabled"
        } else {
            "disabled"
        },
        holder.status
    );
    let message = if same {
        format!(
            "`{shown}` is already held by {} ({}, {state}) in the same account {}",
            holder.describe(),
            holder.domain_name,
            account.account_id
        )
    } else {
        format!(
            "`{shown}` is already held by {} ({}, {state}) in account {}",
            holder.describe(),
            holder.domain_name,
            account.account_id
        )
    };
    let fix = if same {
        same_account_fix(r, shown, name, target, holder, inventory, dns)
    } else {
        other_account_fix(r, shown, name, target, account, holder, dns)
    };
    let mut finding = about_claim(
        Code::AliasTaken,
        claim,
        r,
        message,
        format!("held by `{}`", holder.id),
        fix.render(),
    );
    finding.fix = Some(fix);
    finding.holder = Some(Holder {
        distribution_id: holder.id.clone(),
        account_id: account.account_id.clone(),
        same_account: same,
        domain_name: Some(holder.domain_name.clone()),
        enabled: Some(holder.enabled),
        status: Some(holder.status.clone()),
    });
    // Read from configuration with no state: the holder may be this very
    // resource, already deployed.
    if same && r.from_config && !r.state_known {
        finding.severity = Severity::Note;
        finding.message = format!(
            "`{shown}` is held by {} in this account, which could be `{}` itself",
            holder.describe(),
            r.address
        );
        finding.label = format!("held by `{}` (this resource?)", holder.id);
        finding.help = format!(
            "without a plan or a state, cname-preflight cannot tell whether `{}` is `{}`; \
             check with the state (`--state state.json`, from `terraform show -json > \
             state.json`) or a plan. If it is another distribution: {}",
            holder.id, r.address, finding.help
        );
    }
    finding
}

/// The target's ID and CloudFront domain, or placeholders with the step
/// that makes them real when the target is being created.
#[derive(Clone)]
struct TargetNames {
    id: String,
    domain: String,
    /// Whether `domain` is the real one (not a placeholder).
    known: bool,
    create_first: Option<Step>,
}

fn target_names(r: &Resource) -> TargetNames {
    match (&r.distribution_id, &r.domain_name) {
        (Some(id), Some(domain)) => TargetNames {
            id: id.clone(),
            domain: domain.clone(),
            known: true,
            create_first: None,
        },
        _ => TargetNames {
            id: "TARGET_ID".to_string(),
            domain: "TARGET.cloudfront.net".to_string(),
            known: false,
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

/// `aws cloudfront associate-alias` for the target, the alias quoted for
/// the shell.
fn associate_command(target_id: &str, alias: &str) -> String {
    format!("aws cloudfront associate-alias --target-distribution-id {target_id} --alias '{alias}'")
}

/// The `_<alias>` TXT record AssociateAlias needs, checked against DNS.
fn txt_step(shown: &str, name: &DomainName, t: &TargetNames, dns: &DnsFacts) -> Step {
    let text = format!(
        "the DNS TXT record `_{shown}. 300 IN TXT \"{}\"` (Terraform: `resource \"aws_route53_record\" \
         \"move\" {{ name = \"_{shown}\", type = \"TXT\", ttl = 300, records = [\"{}\"], zone_id = ... \
         }}`)",
        t.domain, t.domain
    );
    let status = match dns {
        DnsFacts::Asked(answers) => match answers.txt.get(name) {
            Some(Ok(values)) if !t.known => StepStatus::NotVerified(format!(
                "the target has no domain name yet; `_{shown}` holds {}",
                found(values)
            )),
            Some(Ok(values))
                if values
                    .iter()
                    .any(|v| DomainName::new(v) == DomainName::new(&t.domain)) =>
            {
                StepStatus::Verified
            }
            Some(Ok(values)) => {
                return Step::new(
                    StepStatus::NotMet,
                    format!("{text}; DNS has {}", found(values)),
                );
            }
            Some(Err(reason)) => {
                StepStatus::NotVerified(format!("DNS could not be asked: {reason}"))
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

fn found(values: &[String]) -> String {
    if values.is_empty() {
        "no TXT record".to_string()
    } else {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether the target's certificate covers the alias, as far as the plan
/// and ACM tell: a checklist step that says what was verified.
fn certificate_step(r: &Resource, shown: &str, name: &DomainName, inventory: &Inventory) -> Step {
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

fn same_account_fix(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    holder: &DistributionFacts,
    inventory: &Inventory,
    dns: &DnsFacts,
) -> Fix {
    let t = target_names(r);
    let mut steps = Vec::new();
    match t.create_first.clone() {
        Some(step) => steps.push(step),
        None => steps.push(Step::new(
            StepStatus::Verified,
            format!("the target `{}` exists: `{}`", r.address, t.id),
        )),
    }
    steps.push(certificate_step(r, shown, name, inventory));
    steps.push(txt_step(shown, name, &t, dns));
    steps.push(
        Step::todo(format!(
            "move it (needs cloudfront:AssociateAlias and cloudfront:UpdateDistribution on `{}` \
             and `{}` in account {}):",
            holder.id, t.id, target.account_id
        ))
        .with_command(associate_command(&t.id, shown)),
    );
    steps.push(Step::todo(format!(
        "remove `{shown}` from the configuration of `{}` wherever it is managed, so the next plan \
         agrees",
        holder.id
    )));
    Fix {
        remedy: Remedy::AssociateAlias,
        title: format!("move it from `{}` with AssociateAlias:", holder.id),
        steps,
    }
}

fn other_account_fix(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    account: &AccountFacts,
    holder: &DistributionFacts,
    dns: &DnsFacts,
) -> Fix {
    let t = target_names(r);
    let via = account.provider_keys.join("`, `");
    let mut steps = Vec::new();
    if let Some(step) = t.create_first.clone() {
        steps.push(step);
    }
    steps.push(Step::todo(format!(
        "if `{}` can stop serving `{shown}`: disable it in account {} (reached through provider \
         `{via}`) and wait until it is Deployed",
        holder.id, account.account_id
    )));
    steps.push(txt_step(shown, name, &t, dns));
    steps.push(
        Step::todo(format!("then, from account {}:", target.account_id))
            .with_command(associate_command(&t.id, shown)),
    );
    match parent_of(name) {
        Some(parent) => steps.push(Step::todo(format!(
            "if `{}` must keep serving: add `*.{parent}` to `{}` (its certificate must cover it), \
             point `{shown}` at `{}`, remove `{shown}` from `{}`, add it to `{}`, then drop \
             the wildcard; wait for Deployed after each step",
            holder.id, r.address, t.domain, holder.id, r.address
        ))),
        None => steps.push(Step::todo(format!(
            "`{shown}` is an apex name, which the wildcard move cannot carry: if `{}` cannot be \
             disabled, ask AWS Support to move it, with the TXT record and a certificate covering \
             it in place, naming both distributions and accounts",
            holder.id
        ))),
    }
    Fix {
        remedy: Remedy::DisableThenAssociate,
        title: format!(
            "`{}` is in another account ({}); the target is in {}:",
            holder.id, account.account_id, target.account_id
        ),
        steps,
    }
}

/// `www.example.com` -> `example.com`; None for an apex such as
/// `example.com` or `example.co.uk`.
fn parent_of(name: &DomainName) -> Option<&str> {
    let labels: Vec<&str> = name.as_str().split('.').collect();
    let second_level = ["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"];
    let apex_labels = match labels.as_slice() {
        [.., sld, tld] if tld.len() == 2 && second_level.contains(sld) => 3,
        _ => 2,
    };
    if labels.len() > apex_labels {
        name.as_str().split_once('.').map(|(_, parent)| parent)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apex_names_have_no_parent_for_the_wildcard_move() {
        assert_eq!(
            parent_of(&DomainName::new("www.example.com")),
            Some("example.com")
        );
        assert_eq!(parent_of(&DomainName::new("example.com")), None);
        assert_eq!(parent_of(&DomainName::new("example.co.uk")), None);
        assert_eq!(
            parent_of(&DomainName::new("a.example.co.uk")),
            Some("example.co.uk")
        );
    }
}

#[cfg(test)]
mod check_tests {
    use super::*;
    use crate::facts::{AliasLookup, Inventory, Probe};
    use crate::model::{Action, ResourceKind};

    fn resource(alias: &str) -> Resource {
        Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &[alias],
        )
    }

    fn listed(id: &str, aliases: &[&str]) -> DistributionFacts {
        DistributionFacts {
            id: id.into(),
            arn: String::new(),
            domain_name: format!("{}.cloudfront.net", id.to_lowercase()),
            status: "Deployed".into(),
            enabled: true,
            aliases: aliases.iter().map(|a| DomainName::new(a)).collect(),
            certificate_arn: None,
            tenant_of: None,
        }
    }

    /// Our account 111111111111 (provider `aws`, one distribution) and a
    /// legacy account 222222222222 (provider `aws.legacy`), and what
    /// ListConflictingAliases said about `alias` from our account.
    fn findings(
        alias: &str,
        conflicts: &[(&str, &str, &str)],
        legacy: &[DistributionFacts],
    ) -> Vec<Finding> {
        findings_about(resource(alias), legacy, Ok(conflicts))
    }

    /// The findings about `r`'s one alias, given what the lookup from our
    /// account said: conflicts as (alias, masked distribution, masked
    /// account), or why it failed.
    fn findings_about(
        r: Resource,
        legacy: &[DistributionFacts],
        lookup: Result<&[(&str, &str, &str)], &str>,
    ) -> Vec<Finding> {
        let alias = r.after[0].value.name().unwrap().clone();
        let inventory = Inventory {
            accounts: vec![
                AccountFacts {
                    account_id: "111111111111".into(),
                    provider_keys: vec!["aws".into()],
                    distributions: Ok(vec![listed("EOURS00000001", &["ours.example.com"])]),
                },
                AccountFacts {
                    account_id: "222222222222".into(),
                    provider_keys: vec!["aws.legacy".into()],
                    distributions: Ok(legacy.to_vec()),
                },
            ],
            certificates: Default::default(),
            lookups: vec![AliasLookup {
                alias,
                account_id: "111111111111".into(),
                result: lookup
                    .map(|conflicts| Probe {
                        distribution_id: "EOURS00000001".into(),
                        conflicts: conflicts
                            .iter()
                            .map(|(a, d, acct)| Conflict {
                                alias: DomainName::new(a),
                                distribution_id: d.to_string(),
                                account_id: acct.to_string(),
                            })
                            .collect(),
                    })
                    .map_err(str::to_string),
            }],
        };
        let resources = vec![r];
        let claims = crate::input::claims(&resources);
        let facts = Facts {
            aws: AwsFacts::Asked(inventory),
            dns: DnsFacts::NotAsked(crate::facts::NotAsked::NoDns),
        };
        let mut out = Vec::new();
        check(&resources, &claims, &facts, &mut out);
        out
    }

    #[test]
    fn masked_holder_in_an_unreached_account_is_taken_with_masked_ids() {
        let out = findings(
            "www.example.com",
            &[("www.example.com", "*******AMPLE99", "********9999")],
            &[],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::AliasTaken);
        let h = out[0].holder.as_ref().unwrap();
        assert_eq!(
            (
                h.distribution_id.as_str(),
                h.account_id.as_str(),
                h.same_account
            ),
            ("*******AMPLE99", "********9999", false)
        );
        assert!(out[0].help.contains("AWS Support"), "{}", out[0].help);
    }

    #[test]
    fn masked_holder_in_a_reached_account_is_named_once_in_full() {
        let legacy = [listed("ELEGACY000042", &["a.foo.com"])];
        let out = findings(
            "a.foo.com",
            &[("a.foo.com", "*******000042", "******222222")],
            &legacy,
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        let h = out[0].holder.as_ref().unwrap();
        assert_eq!(
            (h.distribution_id.as_str(), h.account_id.as_str()),
            ("ELEGACY000042", "222222222222")
        );
        assert!(out[0].help.contains("aws.legacy"), "{}", out[0].help);
    }

    #[test]
    fn a_wildcard_elsewhere_overlaps_the_alias() {
        // Another account's wildcard: refused, a warning.
        let out = findings(
            "www.example.com",
            &[("*.example.com", "******WILD01", "********9999")],
            &[],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(
            (out[0].code, out[0].severity),
            (Code::WildcardOverlap, Severity::Warning)
        );
        // Our own account's wildcard: allowed, a note.
        let out = findings(
            "www.example.com",
            &[("*.example.com", "******WILD01", "******111111")],
            &[],
        );
        assert_eq!(
            (out[0].code, out[0].severity),
            (Code::WildcardOverlap, Severity::Note)
        );
    }

    #[test]
    fn the_wildcard_alias_overlaps_names_held_elsewhere() {
        // The seed Q&A: `*.foo.com` in the new account, `a.foo.com` in the legacy one.
        let legacy = [listed("ELEGACY000042", &["a.foo.com"])];
        let out = findings(
            "*.foo.com",
            &[("a.foo.com", "*******000042", "******222222")],
            &legacy,
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(
            (out[0].code, out[0].severity),
            (Code::WildcardOverlap, Severity::Warning)
        );
        assert_eq!(
            out[0].holder.as_ref().unwrap().distribution_id,
            "ELEGACY000042"
        );
    }

    #[test]
    fn a_tenant_domain_held_elsewhere_is_taken() {
        let mut tenant = resource("shop.example.com");
        tenant.kind = ResourceKind::Tenant;
        tenant.parent_distribution_id = Some("EMULTITENANT1".into());
        let out = findings_about(
            tenant,
            &[],
            Ok(&[("shop.example.com", "*******TENANT1", "********9999")]),
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].code, Code::AliasTaken);
        assert_eq!(
            out[0].holder.as_ref().unwrap().distribution_id,
            "*******TENANT1"
        );
    }

    #[test]
    fn a_failed_lookup_is_not_verified_with_its_reason() {
        let out = findings_about(
            resource("www.example.com"),
            &[],
            Err("no probe; pass --probe-distribution ID"),
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::NotVerified);
        assert!(out[0].help.contains("--probe-distribution"));
    }
}
