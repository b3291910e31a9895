//! A holder no provider of the plan reaches (masked IDs): try
//! UpdateDomainAssociation from the target's account, which succeeds when
//! the source is disabled ("You must first disable the source distribution
//! ... and then separately call this operation",
//! <https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDomainAssociation.html>),
//! with the TXT record and certificate in place; else AWS Support with what
//! to include
//! (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-find-source.html>).

use super::Move;
use crate::diag::{Alternative, Fix, Remedy, Step};
use crate::facts::{Conflict, ResourceType, masked_matches};

pub(super) fn fix(m: &Move, c: &Conflict) -> Fix {
    let same = masked_matches(&c.account_id, &m.target.account_id);
    let what = match c.resource_type {
        ResourceType::Tenant => "tenant",
        ResourceType::Distribution => "distribution",
    };
    let mut steps = Vec::new();
    if let Some(step) = m.t.create_first.clone() {
        steps.push(step);
    }
    steps.push(m.certificate_step(m.name));
    steps.push(m.txt_step());
    steps.extend(m.update_domain_association(&format!(
        "; it succeeds when {what} `{}` is disabled",
        c.distribution_id
    )));
    steps.push(m.point_dns_step());
    let alternatives = vec![
        Alternative {
            remedy: Remedy::DisableThenAssociate,
            when: format!(
                "if CloudFront refuses it and you can reach the owner of account `{}`",
                c.account_id
            ),
            steps: vec![
                Step::todo(format!(
                    "find the owner of account `{}` (AWS shows only the end of the IDs){}; if it \
                     is yours, add a provider for it or pass `--provider-profile` so the next run \
                     names the {what} and the exact steps",
                    c.account_id,
                    if same {
                        ", which looks like this account"
                    } else {
                        ""
                    }
                )),
                Step::todo(format!(
                    "with the owner: disable {what} `{}` (every name on it goes offline), wait \
                     until it is Deployed, and run the move above again",
                    c.distribution_id
                ))
                .before_move(),
            ],
        },
        Alternative {
            remedy: Remedy::AwsSupport,
            when: "without access to that account".into(),
            steps: m.support_steps(&c.distribution_id),
        },
        Alternative {
            remedy: Remedy::ServiceOwned,
            when: "if an AWS service holds it (an API Gateway edge-optimized custom domain, a \
                   Cognito hosted UI domain, an Amplify custom domain)"
                .into(),
            steps: vec![Step::todo(format!(
                "remove the custom domain `{}` in that service (its distribution cannot be \
                 disabled or changed by you), or ask AWS Support",
                m.shown
            ))],
        },
    ];
    Fix {
        remedy: Remedy::UpdateDomainAssociation,
        title: format!(
            "the holder, {what} `{}`, is outside the accounts this plan reaches; try the move \
             from this account:",
            c.distribution_id
        ),
        steps,
        alternatives,
    }
}
