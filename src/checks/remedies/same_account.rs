//! Same account, standard distribution to standard distribution:
//! AssociateAlias, no disable needed, no TXT record; UpdateDomainAssociation
//! as the alternative.
//!
//! Within one account the source need not be disabled, and no TXT record
//! is needed to prove control of the domain (the guide's set-up and move
//! pages, paraphrased)
//! (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html>,
//! <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-options.html>).
//! AssociateAlias "only supports standard distributions"
//! (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AssociateAlias.html>;
//! CLI <https://docs.aws.amazon.com/cli/latest/reference/cloudfront/associate-alias.html>:
//! `--target-distribution-id`, `--alias`).

use super::{Move, deployed_step};
use crate::diag::{Alternative, Fix, Remedy, Step};
use crate::facts::DistributionFacts;

pub(super) fn fix(m: &Move, holder: &DistributionFacts) -> Fix {
    let steps = vec![
        m.target_exists(),
        m.certificate_step(m.name),
        deployed_step(holder),
        Step::todo(format!(
            "move it (needs cloudfront:GetDistribution, cloudfront:ListConflictingAliases, \
             cloudfront:AssociateAlias and cloudfront:UpdateDistribution on `{}` and `{}` in \
             account {}; no TXT record is needed within one account):",
            holder.id, m.t.id, m.target.account_id
        ))
        .with_command(m.associate_command()),
        m.point_dns_step(),
        m.remove_step(&holder.id),
    ];
    // The guide says UpdateDomainAssociation works for every move within
    // one account; its API page says to disable the source first
    // (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDomainAssociation.html>).
    let mut uda = m.update_domain_association(
        "; the guide says this works within one account as it is, the API reference says to \
         disable the source first: if CloudFront refuses it, disable the source and run it again",
    );
    uda.push(m.point_dns_step());
    uda.push(m.remove_step(&holder.id));
    Fix {
        remedy: Remedy::AssociateAlias,
        title: format!(
            "`{}` is in the same account: move it with AssociateAlias, no disable needed:",
            holder.id
        ),
        steps,
        alternatives: vec![Alternative {
            remedy: Remedy::UpdateDomainAssociation,
            when: "with UpdateDomainAssociation, the API AWS recommends for every move".into(),
            steps: uda,
        }],
    }
}
