//! A standard distribution in another account that a provider of the plan
//! reaches.
//!
//! - Not an apex, not a wildcard, no overlapping wildcard in use, source
//!   enabled: the wildcard move first, AWS's zero-downtime route when the
//!   source is reachable, the domain is not an apex and no overlapping
//!   wildcard is already in use (the guide's move options, paraphrased);
//!   cross-account wildcards are allowed since July 2021
//!   (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-options.html>).
//! - Otherwise (and as the first alternative): disable the source, then move
//!   it from the target's account with the TXT record `_name` and a
//!   certificate ("The source standard distribution or distribution tenant
//!   must be disabled",
//!   <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-find-source.html>,
//!   <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html>).
//! - The seed Q&A's keep-serving order, which AWS does not document, with
//!   its outage; AWS Support.

use super::tenant::names;
use super::{Move, deployed_step};
use crate::diag::{Alternative, Fix, Remedy, Step, shell_quote};
use crate::facts::{AccountFacts, DistributionFacts};

pub(super) fn fix(m: &Move, account: &AccountFacts, holder: &DistributionFacts) -> Fix {
    let disable = disable_then_move(m, account, holder);
    let mut alternatives = Vec::new();
    let wildcard = holder
        .enabled
        .then(|| wildcard_move(m, account, holder))
        .flatten();
    if let Some(order) = keep_serving(m, holder) {
        alternatives.push(order);
    }
    alternatives.push(Alternative {
        remedy: Remedy::AwsSupport,
        when: format!("if `{}` can be neither disabled nor changed", holder.id),
        steps: m.support_steps(&holder.id),
    });
    match wildcard {
        Some(steps) => {
            alternatives.insert(
                0,
                Alternative {
                    remedy: Remedy::DisableThenAssociate,
                    when: format!("if every name on `{}` may go offline", holder.id),
                    steps: disable,
                },
            );
            Fix {
                remedy: Remedy::WildcardMove,
                title: format!(
                    "`{}` is in another account ({}); the target is in {}. Move it without \
                     downtime through a wildcard:",
                    holder.id, account.account_id, m.target.account_id
                ),
                steps,
                alternatives,
            }
        }
        None => Fix {
            remedy: Remedy::DisableThenAssociate,
            title: if holder.enabled {
                format!(
                    "`{}` is in another account ({}); the target is in {}. Disable it, then move \
                     it from the target's account:",
                    holder.id, account.account_id, m.target.account_id
                )
            } else {
                format!(
                    "`{}` is in another account ({}) and disabled; move it from the target's \
                     account {}:",
                    holder.id, account.account_id, m.target.account_id
                )
            },
            steps: disable,
            alternatives,
        },
    }
}

fn via(account: &AccountFacts) -> String {
    account.provider_keys.join("`, `")
}

/// Disable the source (every name it stops serving, kept disabled by its
/// own configuration), then UpdateDomainAssociation from the target's
/// account, with AssociateAlias named as the older call.
fn disable_then_move(m: &Move, account: &AccountFacts, holder: &DistributionFacts) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(step) = m.t.create_first.clone() {
        steps.push(step);
    }
    if holder.enabled {
        steps.push(
            Step::todo(format!(
                "disable `{}` in account {} (reached through provider `{}`): it stops serving \
                 every name it has ({}); keep it disabled in its own configuration (`enabled = \
                 false` where Terraform manages it, or the next apply there enables it again); \
                 wait until it is Deployed",
                holder.id,
                account.account_id,
                via(account),
                names(holder)
            ))
            .before_move(),
        );
    } else {
        steps.push(Step::verified(
            "ListDistributions: enabled false",
            format!(
                "`{}` in account {} is disabled already",
                holder.id, account.account_id
            ),
        ));
        steps.push(deployed_step(holder));
    }
    steps.push(m.certificate_step(m.name));
    steps.push(m.txt_step());
    steps.extend(m.update_domain_association(
        "; AssociateAlias (`associate-alias`, cloudfront:AssociateAlias) does the same for a \
         standard distribution",
    ));
    steps.push(m.point_dns_step());
    steps.push(m.remove_step(&holder.id));
    steps
}

/// The wildcard move, or None where the guide rules it out: an apex, a
/// wildcard alias, or an overlapping wildcard already in use.
fn wildcard_move(
    m: &Move,
    account: &AccountFacts,
    holder: &DistributionFacts,
) -> Option<Vec<Step>> {
    let parent = m.name.parent().filter(|_| !m.name.is_wildcard())?;
    if m.wildcard_in_use {
        return None;
    }
    let wildcard = crate::model::DomainName::new(&format!("*.{parent}"));
    let mut steps = Vec::new();
    if let Some(step) = m.t.create_first.clone() {
        steps.push(step);
    }
    steps.push(m.certificate_step(&wildcard));
    steps.push(Step::todo(format!(
        "add `{wildcard}` to `{}` and apply; wait until it is Deployed",
        m.r.address
    )));
    steps.push(m.point_dns_step().before_move());
    steps.push(
        Step::todo(format!(
            "remove `{}` from `{}` in account {} (provider `{}`) and wait until it is Deployed: \
             requests for it now reach the target through `{wildcard}`",
            m.shown,
            holder.id,
            account.account_id,
            via(account)
        ))
        .with_command(format!(
            "aws cloudfront wait distribution-deployed --id {}",
            shell_quote(&holder.id)
        )),
    );
    steps.push(Step::todo(format!(
        "add `{}` to `{}` and apply; then drop `{wildcard}` if you do not need it",
        m.shown, m.r.address
    )));
    Some(steps)
}

/// The seed Q&A's order for a holder that must keep serving its other
/// names: not documented by AWS, and `name` is down between the last two
/// steps. Never for an apex or a wildcard alias.
fn keep_serving(m: &Move, holder: &DistributionFacts) -> Option<Alternative> {
    m.name.parent().filter(|_| !m.name.is_wildcard())?;
    if !holder.enabled {
        return None;
    }
    let mut steps = Vec::new();
    if m.t.create_first.is_some() {
        steps.push(Step::todo(format!(
            "create `{}` without `{}` (apply)",
            m.r.address, m.shown
        )));
    }
    steps.push(m.point_dns_step().before_move());
    steps.push(Step::todo(format!(
        "remove `{}` from `{}` and wait until it is Deployed",
        m.shown, holder.id
    )));
    steps.push(Step::todo(format!(
        "add `{}` to `{}` and apply; `{}` fails for viewers between the last two steps",
        m.shown, m.r.address, m.shown
    )));
    Some(Alternative {
        remedy: Remedy::KeepServingMove,
        when: format!(
            "if `{}` must keep serving its other names (not documented by AWS; an outage for \
             `{}`)",
            holder.id, m.shown
        ),
        steps,
    })
}
