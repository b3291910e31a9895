//! What AWS said: `alias-taken` for aliases held by distributions the
//! inventory lists, `not-verified` where AWS could not be asked.

use std::collections::HashSet;

use super::about_claim;
use crate::diag::{Code, Finding, Holder};
use crate::facts::{AccountFacts, AwsFacts, DistributionFacts, Facts};
use crate::model::{Claim, DomainName, Resource, ResourceKind};

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
    for claim in claims {
        let Some(name) = claim.alias.name() else {
            continue;
        };
        if DomainName::validate(name.as_str()).is_err() {
            continue;
        }
        let r = &resources[claim.resource];
        let shown = claim.display();
        let Some(target) = inventory.account_of(r.provider_key.as_deref()) else {
            continue;
        };
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
        if r.kind == ResourceKind::Tenant {
            continue;
        }
        for (account, holder) in inventory.holders(name) {
            if Some(holder.id.as_str()) == r.distribution_id.as_deref()
                || managed.contains(holder.id.as_str())
            {
                continue;
            }
            out.push(taken(claim, r, &shown, name, target, account, holder));
        }
    }
}

fn taken(
    claim: &Claim,
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    account: &AccountFacts,
    holder: &DistributionFacts,
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
            "`{shown}` is already held by distribution `{}` ({}, {state}) in the same account {}",
            holder.id, holder.domain_name, account.account_id
        )
    } else {
        format!(
            "`{shown}` is already held by distribution `{}` ({}, {state}) in account {}",
            holder.id, holder.domain_name, account.account_id
        )
    };
    let help = if same {
        same_account_fix(r, shown, target, holder)
    } else {
        other_account_fix(r, shown, name, target, account, holder)
    };
    let mut finding = about_claim(
        Code::AliasTaken,
        claim,
        r,
        message,
        format!("held by `{}`", holder.id),
        help,
    );
    finding.holder = Some(Holder {
        distribution_id: holder.id.clone(),
        account_id: account.account_id.clone(),
        same_account: same,
        domain_name: Some(holder.domain_name.clone()),
        enabled: Some(holder.enabled),
        status: Some(holder.status.clone()),
    });
    finding
}

/// The target's ID and CloudFront domain, or placeholders with the step
/// that makes them real when the target is being created.
fn target_names(r: &Resource) -> (String, String, Option<String>) {
    match (&r.distribution_id, &r.domain_name) {
        (Some(id), Some(domain)) => (id.clone(), domain.clone(), None),
        _ => (
            "TARGET_ID".to_string(),
            "TARGET.cloudfront.net".to_string(),
            Some(format!(
                "`{}` does not exist yet: create it first without the alias (apply), and use its \
                 ID and domain name below",
                r.address
            )),
        ),
    }
}

fn same_account_fix(
    r: &Resource,
    shown: &str,
    target: &AccountFacts,
    holder: &DistributionFacts,
) -> String {
    let (tid, tdomain, create_first) = target_names(r);
    let mut steps = Vec::new();
    if let Some(step) = create_first {
        steps.push(step);
    }
    steps.push(format!(
        "make sure the certificate of `{}` covers `{shown}`",
        r.address
    ));
    steps.push(format!(
        "create the DNS TXT record `_{shown}. 300 IN TXT \"{tdomain}\"` (Terraform: \
         `resource \"aws_route53_record\" \"move\" {{ name = \"_{shown}\", type = \"TXT\", ttl = 300, \
         records = [\"{tdomain}\"], zone_id = ... }}`)"
    ));
    steps.push(format!(
        "`aws cloudfront associate-alias --target-distribution-id {tid} --alias {shown}` \
         (needs cloudfront:AssociateAlias and cloudfront:UpdateDistribution on `{}` and `{tid}` in \
         account {})",
        holder.id, target.account_id
    ));
    steps.push(format!(
        "remove `{shown}` from the configuration of `{}` wherever it is managed, so the next plan \
         agrees",
        holder.id
    ));
    numbered(
        &format!("move it from `{}` with AssociateAlias:", holder.id),
        &steps,
    )
}

fn other_account_fix(
    r: &Resource,
    shown: &str,
    name: &DomainName,
    target: &AccountFacts,
    account: &AccountFacts,
    holder: &DistributionFacts,
) -> String {
    let (tid, tdomain, create_first) = target_names(r);
    let via = account.provider_keys.join("`, `");
    let mut steps = Vec::new();
    if let Some(step) = create_first {
        steps.push(step);
    }
    steps.push(format!(
        "if `{}` can stop serving `{shown}`: disable it in account {} (reached through provider \
         `{via}`) and wait until it is Deployed",
        holder.id, account.account_id
    ));
    steps.push(format!(
        "create the DNS TXT record `_{shown}. 300 IN TXT \"{tdomain}\"`, then from account {} run \
         `aws cloudfront associate-alias --target-distribution-id {tid} --alias {shown}`",
        target.account_id
    ));
    match parent_of(name) {
        Some(parent) => steps.push(format!(
            "if `{}` must keep serving: add `*.{parent}` to `{}` (its certificate must cover it), \
             point `{shown}` at `{tdomain}`, remove `{shown}` from `{}`, add it to `{}`, then drop \
             the wildcard; wait for Deployed after each step",
            holder.id, r.address, holder.id, r.address
        )),
        None => steps.push(format!(
            "`{shown}` is an apex name, which the wildcard move cannot carry: if `{}` cannot be \
             disabled, ask AWS Support to move it, with the TXT record and a certificate covering \
             it in place, naming both distributions and accounts",
            holder.id
        )),
    }
    numbered(
        &format!(
            "`{}` is in another account ({}); the target is in {}:",
            holder.id, account.account_id, target.account_id
        ),
        &steps,
    )
}

fn numbered(title: &str, steps: &[String]) -> String {
    let mut out = title.to_string();
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!("\n{}. {step}", i + 1));
    }
    out
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
