//! What AWS said: `alias-taken` for aliases held by distributions the
//! inventory lists or ListConflictingAliases names, `wildcard-overlap` for
//! overlaps with wildcards, `not-verified` where AWS could not be asked.

use std::collections::HashSet;

use super::about_claim;
use super::remedies;
use crate::diag::Party;
use crate::diag::{Code, Finding, Holder, Severity};
use crate::facts::{
    AccountFacts, AliasLookup, AwsFacts, Conflict, DistributionFacts, Facts, Inventory, Probe,
    ResourceType, masked_matches,
};
use crate::model::{Claim, DomainName, Origin, Resource, ResourceKind};

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
    let mut holders: Holders = std::collections::HashMap::new();
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
    let lookups: std::collections::HashMap<(&DomainName, &str), &AliasLookup> = inventory
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
        let lookup = lookups
            .get(&(name, target.account_id.as_str()))
            .map(|l| &l.result);
        let mut m = remedies::Move::new(r, &shown, name, target, inventory, &facts.dns);
        m.wildcard_in_use = wildcard_in_use(name, lookup, &holders);
        let about = About { claim, m: &m };
        // One finding per code and alias, however many holders an answer
        // lists: the first is reported in full, the others are named (a
        // few) and counted, so that no answer multiplies the output.
        let mut taken_by: Vec<Finding> = Vec::new();
        let mut overlaps: Vec<Finding> = Vec::new();
        for &(account, holder) in holders.get(name).into_iter().flatten() {
            if own(&holder.id) {
                continue;
            }
            taken_by.push(about.taken(account, holder));
        }
        let reported = !taken_by.is_empty();
        match lookup {
            Some(Ok(probe)) => {
                for c in &probe.conflicts {
                    let unmasked = inventory.unmask(c);
                    if unmasked.is_some_and(|(_, d)| own(&d.id)) {
                        continue;
                    }
                    if &c.alias == name {
                        // Listed holders were reported above with full IDs.
                        if unmasked.is_none() {
                            taken_by.push(about.taken_masked(c));
                        }
                    } else if c.alias.overlaps(name) {
                        overlaps.push(overlap(claim, r, &shown, name, target, c, inventory));
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
        out.extend(first_of(taken_by, "holders"));
        out.extend(first_of(overlaps, "overlapping names"));
    }
}

/// How many of the other holders a finding names before it counts them.
const NAMED_OTHERS: usize = 3;

/// The first finding of a kind, with the others' holders named (a few)
/// and counted in its message.
fn first_of(findings: Vec<Finding>, what: &str) -> Option<Finding> {
    let mut rest = findings.into_iter();
    let mut first = rest.next()?;
    let others: Vec<String> = rest
        .filter_map(|f| f.holder.map(|h| h.distribution_id))
        .collect();
    if !others.is_empty() {
        let named: Vec<String> = others
            .iter()
            .take(NAMED_OTHERS)
            .map(|id| format!("`{id}`"))
            .collect();
        first.message.push_str(&format!(
            " ({} more {what}: {}{})",
            others.len(),
            named.join(", "),
            if others.len() > NAMED_OTHERS {
                ", ..."
            } else {
                ""
            }
        ));
    }
    Some(first)
}

/// A wildcard that overlaps the alias and is in use already, in a reached
/// account or in the lookup's answer: the guide rules the wildcard move
/// out then.
fn wildcard_in_use(
    name: &DomainName,
    lookup: Option<&Result<Probe, String>>,
    holders: &Holders,
) -> bool {
    let Some(parent) = name.parent().filter(|_| !name.is_wildcard()) else {
        return false;
    };
    let wildcard = DomainName::new(&format!("*.{parent}"));
    holders.contains_key(&wildcard)
        || lookup.and_then(|l| l.as_ref().ok()).is_some_and(|p| {
            p.conflicts
                .iter()
                .any(|c| c.alias.is_wildcard() && c.alias.overlaps(name))
        })
}

type Holders<'a> =
    std::collections::HashMap<&'a DomainName, Vec<(&'a AccountFacts, &'a DistributionFacts)>>;

/// The claim and its move: what every `alias-taken` finding is built from.
struct About<'a> {
    claim: &'a Claim,
    m: &'a remedies::Move<'a>,
}

impl About<'_> {
    fn finding(&self, message: String, label: String, fix: crate::diag::Fix) -> Finding {
        let mut finding = about_claim(
            Code::AliasTaken,
            self.claim,
            self.m.r,
            message,
            label,
            String::new(),
        );
        finding.fix = Some(fix);
        finding
    }

    /// A holder ListConflictingAliases names with masked IDs, in an account
    /// no provider of the plan reaches.
    fn taken_masked(&self, c: &Conflict) -> Finding {
        let (shown, target) = (self.m.shown, self.m.target);
        let same = masked_matches(&c.account_id, &target.account_id);
        let place = if same {
            format!("this account ({})", target.account_id)
        } else {
            format!("another account (`{}`)", c.account_id)
        };
        let what = if c.resource_type == ResourceType::Tenant {
            "tenant"
        } else {
            "distribution"
        };
        let mut finding = self.finding(
            format!(
                "`{shown}` is already held by {what} `{}` in {place}",
                c.distribution_id
            ),
            format!("held by `{}`", c.distribution_id),
            remedies::masked(self.m, c),
        );
        finding.party = Some(Party {
            id: Some(c.distribution_id.clone()),
            domain: None,
        });
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

    fn taken(&self, account: &AccountFacts, holder: &DistributionFacts) -> Finding {
        let (shown, target, r) = (self.m.shown, self.m.target, self.m.r);
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
        let place = if same {
            format!("the same account {}", account.account_id)
        } else {
            format!("account {}", account.account_id)
        };
        let mut finding = self.finding(
            format!(
                "`{shown}` is already held by {} ({}, {state}) in {place}",
                holder.describe(),
                holder.domain_name
            ),
            format!("held by `{}`", holder.id),
            remedies::for_holder(self.m, account, holder),
        );
        finding.party = Some(Party {
            id: Some(holder.id.clone()),
            domain: Some(holder.domain_name.clone()).filter(|d| !d.is_empty()),
        });
        finding.holder = Some(Holder {
            distribution_id: holder.id.clone(),
            account_id: account.account_id.clone(),
            same_account: same,
            domain_name: Some(holder.domain_name.clone()),
            enabled: Some(holder.enabled),
            status: Some(holder.status.clone()),
        });
        // Read from configuration with no state: the holder may be this
        // very resource, already deployed. The caveat is evidence of its
        // own, which the help always starts with.
        if same && r.origin == Origin::Configuration {
            finding.severity = Severity::Note;
            finding.message = format!(
                "`{shown}` is held by {} in this account, which could be `{}` itself",
                holder.describe(),
                r.address
            );
            finding.label = format!("held by `{}` (this resource?)", holder.id);
            finding.caveat = Some(format!(
                "without a plan or a state, cname-preflight cannot tell whether `{}` is `{}`; \
                 check with the state (`--state state.json`, from `terraform show -json > \
                 state.json`) or a plan. If it is another distribution:",
                holder.id, r.address
            ));
        }
        finding
    }
}

/// The alias overlaps a wildcard held elsewhere, or the wildcard alias
/// overlaps a name held elsewhere: allowed in every account arrangement,
/// a note that says where traffic goes.
///
/// Since July 2021 "CloudFront no longer returns the CNAMEAlreadyExists
/// error code in scenarios involving a cross-account wildcard CNAME. For
/// example, now you can have a wildcard CNAME such as *.example.com on a
/// distribution in Account A and a specific subdomain such as
/// test.example.com on a distribution in Account B"
/// (<https://aws.amazon.com/about-aws/whats-new/2021/07/amazon-cloudfront-announces-new-apis-to-locate-and-move-alternate-domain-names-cnames/>).
/// The most specific name wins: "use a specific domain (such as
/// api.example.com) in account A, and use a wildcard (*.example.com) to
/// direct all other traffic to Account B"
/// (<https://aws.amazon.com/blogs/networking-and-content-delivery/new-apis-and-functionality-for-managing-amazon-cloudfront-cnames/>);
/// a wildcard "can include another alternate domain name that's in use"
/// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-wildcard.html>).
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
    let place = if same {
        format!("the same account {}", target.account_id)
    } else {
        format!("account `{holder_account}`")
    };
    let what = if c.resource_type == ResourceType::Tenant {
        "tenant"
    } else {
        "distribution"
    };
    let traffic = if name.is_wildcard() {
        format!(
            "CloudFront allows it in every account arrangement (since July 2021): `{}` keeps \
             its traffic on {what} `{holder_id}`, the more specific name; `{shown}` answers \
             only for the other names below `{}`",
            c.alias,
            name.parent().unwrap_or_default()
        )
    } else {
        format!(
            "CloudFront allows it in every account arrangement (since July 2021): once this \
             apply adds `{shown}`, requests for it go to `{}` (the more specific name) instead \
             of {what} `{holder_id}`, which keeps the other names below `{}`; point `{shown}`'s \
             DNS record at this {} when you want that",
            r.address,
            c.alias.parent().unwrap_or_default(),
            match r.kind {
                ResourceKind::Distribution => "distribution",
                ResourceKind::Tenant => "tenant",
            }
        )
    };
    let mut finding = about_claim(
        Code::WildcardOverlap,
        claim,
        r,
        format!(
            "`{shown}` overlaps `{}` held by {what} `{holder_id}` in {place}",
            c.alias
        ),
        format!("overlaps `{}`", c.alias),
        traffic,
    );
    finding.severity = Severity::Note;
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

#[cfg(test)]
mod check_tests {
    use super::*;
    use crate::facts::{DnsFacts, Inventory};
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
            connection_group_id: None,
            staging: false,
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
                    connection_groups: Vec::new(),
                },
                AccountFacts {
                    account_id: "222222222222".into(),
                    provider_keys: vec!["aws.legacy".into()],
                    distributions: Ok(legacy.to_vec()),
                    connection_groups: Vec::new(),
                },
            ],
            certificates: Default::default(),
            lookups: vec![AliasLookup {
                alias: alias.clone(),
                account_id: "111111111111".into(),
                result: lookup
                    .map(|conflicts| Probe {
                        distribution_id: "EOURS00000001".into(),
                        operation: crate::facts::LookupOperation::DomainConflicts,
                        query: alias.clone(),
                        conflicts: conflicts
                            .iter()
                            .map(|(a, d, acct)| Conflict {
                                alias: DomainName::new(a),
                                distribution_id: d.to_string(),
                                account_id: acct.to_string(),
                                resource_type: ResourceType::Distribution,
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
        crate::checks::merge::join(out, &[])
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
    fn a_wildcard_elsewhere_overlaps_the_alias_as_a_note_in_every_account_arrangement() {
        // Another account's wildcard and our own: both allowed since July
        // 2021, a note that says the more specific name takes the traffic.
        for account in ["********9999", "******111111"] {
            let out = findings(
                "www.example.com",
                &[("*.example.com", "******WILD01", account)],
                &[],
            );
            assert_eq!(out.len(), 1, "{out:#?}");
            assert_eq!(
                (out[0].code, out[0].severity),
                (Code::WildcardOverlap, Severity::Note)
            );
            assert!(
                out[0]
                    .help
                    .contains("requests for it go to `aws_cloudfront_distribution.site`"),
                "{}",
                out[0].help
            );
            assert!(
                !out[0].help.contains("CNAMEAlreadyExists"),
                "{}",
                out[0].help
            );
        }
    }

    #[test]
    fn an_exact_wildcard_held_elsewhere_is_taken_not_an_overlap() {
        let out = findings(
            "*.example.com",
            &[("*.example.com", "******WILD01", "********9999")],
            &[],
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(
            (out[0].code, out[0].severity),
            (Code::AliasTaken, Severity::Error)
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
            (Code::WildcardOverlap, Severity::Note)
        );
        assert_eq!(
            out[0].holder.as_ref().unwrap().distribution_id,
            "ELEGACY000042"
        );
        assert!(
            out[0]
                .help
                .contains("`a.foo.com` keeps its traffic on distribution `ELEGACY000042`"),
            "{}",
            out[0].help
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

    #[test]
    fn one_finding_per_alias_however_many_holders_an_answer_lists() {
        let many: Vec<(String, String, String)> = (0..500)
            .map(|i| {
                (
                    if i % 2 == 0 {
                        "www.example.com".to_string()
                    } else {
                        "*.example.com".to_string()
                    },
                    format!("*******{i:06}"),
                    "********9999".to_string(),
                )
            })
            .collect();
        let conflicts: Vec<(&str, &str, &str)> = many
            .iter()
            .map(|(a, d, acct)| (a.as_str(), d.as_str(), acct.as_str()))
            .collect();
        let out = findings("www.example.com", &conflicts, &[]);
        assert_eq!(out.len(), 2, "{out:#?}");
        let taken = out.iter().find(|f| f.code == Code::AliasTaken).unwrap();
        assert!(
            taken.message.contains(
                "(249 more holders: `*******000002`, `*******000004`, `*******000006`, ...)"
            ),
            "{}",
            taken.message
        );
        assert!(taken.message.len() < 300, "{}", taken.message);
        let overlap = out
            .iter()
            .find(|f| f.code == Code::WildcardOverlap)
            .unwrap();
        assert!(
            overlap.message.contains("249 more overlapping names"),
            "{}",
            overlap.message
        );
    }
}
