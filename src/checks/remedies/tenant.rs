//! A tenant on either side: UpdateDomainAssociation ("supports both
//! standard distributions and distribution tenants; AssociateAlias ...
//! only supports standard distributions",
//! <https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDomainAssociation.html>;
//! CLI <https://docs.aws.amazon.com/cli/latest/reference/cloudfront/update-domain-association.html>:
//! `--domain`, `--target-resource DistributionTenantId=...|DistributionId=...`,
//! `--if-match`).

use super::Move;
use crate::diag::{Alternative, Fix, Remedy, Step};
use crate::facts::{AccountFacts, DistributionFacts};

pub(super) fn fix(m: &Move, account: &AccountFacts, holder: &DistributionFacts) -> Fix {
    let same = account.account_id == m.target.account_id;
    let mut steps = vec![m.target_exists()];
    if !same {
        // Across accounts the source must be disabled and the target
        // prove control with the TXT record (the set-up page).
        steps.push(if holder.enabled {
            Step::todo(format!(
                "disable {} in account {} (it stops serving {}) and wait until it is Deployed",
                holder.describe(),
                account.account_id,
                names(holder)
            ))
            .before_move()
        } else {
            Step::verified(
                "ListDistributions: enabled false",
                format!("{} is disabled already", holder.describe()),
            )
        });
        steps.push(m.txt_step());
    }
    steps.extend(m.update_domain_association(if same {
        "; the API reference says to disable the source first, the guide says a move within \
         one account works as it is: if CloudFront refuses it, disable the source first"
    } else {
        ""
    }));
    steps.push(m.point_dns_step());
    steps.push(m.remove_step(&holder.id));
    let alternatives = vec![Alternative {
        remedy: Remedy::AwsSupport,
        when: format!("if {} cannot be disabled or changed", holder.describe()),
        steps: m.support_steps(&holder.id),
    }];
    Fix {
        remedy: Remedy::UpdateDomainAssociation,
        title: format!(
            "move it from {} with UpdateDomainAssociation:",
            holder.describe()
        ),
        steps,
        alternatives,
    }
}

/// Every name the holder serves, in backticks (the first ten, then how
/// many more).
pub(super) fn names(holder: &DistributionFacts) -> String {
    const SHOWN: usize = 10;
    let mut out: Vec<String> = holder
        .aliases
        .iter()
        .take(SHOWN)
        .map(|a| format!("`{a}`"))
        .collect();
    if holder.aliases.len() > SHOWN {
        out.push(format!("{} more", holder.aliases.len() - SHOWN));
    }
    out.join(", ")
}
