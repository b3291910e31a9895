//! Which documented fix applies to an alias another distribution holds, as
//! a typed [`Fix`]: the remedy, its steps (each verified with what was
//! seen, not met, not verified or to do, with its command) and the
//! alternatives with when they apply. One file per route:
//!
//! - [`same_account`]: standard to standard, AssociateAlias; the
//!   UpdateDomainAssociation alternative.
//! - [`tenant`]: a tenant on either side, UpdateDomainAssociation.
//! - [`other_account`]: a holder in another reached account: the wildcard
//!   move, disable then move, the seed Q&A's order, AWS Support.
//! - [`unreachable`]: a holder no provider reaches: UpdateDomainAssociation,
//!   then AWS Support.
//!
//! The rules follow the Developer Guide's "Move an alternate domain name"
//! pages (set up the target, find the source, move options) and the API and
//! CLI references, cited beside each rule.

mod other_account;
mod same_account;
mod tenant;
#[cfg(test)]
mod tests;
mod unreachable;

use crate::diag::{ApiCall, Fix, Operation, Step, StepStatus, shell_quote};
use crate::facts::{
    AccountFacts, Conflict, DistributionFacts, DnsFacts, Inventory, TxtAnswer, TxtRecord,
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
        None => TargetNames {
            id: "TARGET_ID".to_string(),
            known: listed_domain.is_some(),
            domain: listed_domain.unwrap_or_else(|| "TARGET.cloudfront.net".to_string()),
            create_first: Some(create_first(r)),
        },
    }
}

/// A target that does not exist yet. A tenant needs at least one domain:
/// when the alias is its only one, it cannot be created without it.
fn create_first(r: &Resource) -> Step {
    let only_domain = r.kind == ResourceKind::Tenant && r.after.len() <= 1;
    Step::new(
        StepStatus::NotMet,
        if only_domain {
            format!(
                "`{}` does not exist yet, and this is its only domain (a tenant needs one): \
                 create it with another domain of yours first and use its ID below",
                r.address
            )
        } else {
            format!(
                "`{}` does not exist yet: create it first without the alias (apply), and use its \
                 ID and domain name below",
                r.address
            )
        },
    )
    .before_move()
}

/// The alias being moved and the target asking for it: what every route
/// needs, built once per finding.
pub(super) struct Move<'a> {
    pub r: &'a Resource,
    /// The alias as it may be printed.
    pub shown: &'a str,
    pub name: &'a DomainName,
    /// The target's account.
    pub target: &'a AccountFacts,
    pub inventory: &'a Inventory,
    pub dns: &'a DnsFacts,
    pub t: TargetNames,
    /// A wildcard that overlaps the alias and is already in use somewhere
    /// (no wildcard move then).
    pub wildcard_in_use: bool,
}

impl<'a> Move<'a> {
    pub fn new(
        r: &'a Resource,
        shown: &'a str,
        name: &'a DomainName,
        target: &'a AccountFacts,
        inventory: &'a Inventory,
        dns: &'a DnsFacts,
    ) -> Move<'a> {
        Move {
            t: target_names(r, inventory),
            r,
            shown,
            name,
            target,
            inventory,
            dns,
            wildcard_in_use: false,
        }
    }

    /// The target as UpdateDomainAssociation's `--target-resource` names
    /// it, and the command that reads its ETag for `--if-match`
    /// (<https://docs.aws.amazon.com/cli/latest/reference/cloudfront/update-domain-association.html>,
    /// <https://docs.aws.amazon.com/cli/latest/reference/cloudfront/get-distribution-tenant.html>:
    /// `--identifier`; `get-distribution --id`).
    fn target_resource(&self) -> (String, String) {
        match self.r.kind {
            ResourceKind::Tenant => (
                format!("DistributionTenantId={}", self.t.id),
                format!(
                    "aws cloudfront get-distribution-tenant --identifier {} --query ETag --output text",
                    shell_quote(&self.t.id)
                ),
            ),
            ResourceKind::Distribution => (
                format!("DistributionId={}", self.t.id),
                format!(
                    "aws cloudfront get-distribution --id {} --query ETag --output text",
                    shell_quote(&self.t.id)
                ),
            ),
        }
    }

    /// Read the target's ETag, then UpdateDomainAssociation: two steps,
    /// each with its call as data (API reference: `Domain`,
    /// `TargetResource` with `DistributionId` or `DistributionTenantId`,
    /// `IfMatch`; GetDistribution `Id`, GetDistributionTenant `Identifier`).
    fn update_domain_association(&self, why: &str) -> Vec<Step> {
        let (target_resource, get_etag) = self.target_resource();
        let (read, key) = match self.r.kind {
            ResourceKind::Tenant => (
                ApiCall::new(
                    Operation::GetDistributionTenant,
                    &[("Identifier", &self.t.id)],
                ),
                "TargetResource.DistributionTenantId",
            ),
            ResourceKind::Distribution => (
                ApiCall::new(Operation::GetDistribution, &[("Id", &self.t.id)]),
                "TargetResource.DistributionId",
            ),
        };
        vec![
            Step::todo("read the target's ETag:")
                .with_command(get_etag)
                .with_call(read),
            Step::todo(format!(
                "move it (needs cloudfront:UpdateDomainAssociation in account {}){why}:",
                self.target.account_id
            ))
            .with_command(format!(
                "aws cloudfront update-domain-association --domain {} --target-resource {} \
                 --if-match ETAG",
                shell_quote(self.shown),
                shell_quote(&target_resource)
            ))
            .with_call(ApiCall::new(
                Operation::UpdateDomainAssociation,
                &[
                    ("Domain", self.name.as_str()),
                    (key, &self.t.id),
                    ("IfMatch", "ETAG"),
                ],
            )),
        ]
    }

    /// AssociateAlias as data (`TargetDistributionId`, `Alias`).
    fn associate_call(&self) -> ApiCall {
        ApiCall::new(
            Operation::AssociateAlias,
            &[
                ("TargetDistributionId", &self.t.id),
                ("Alias", self.name.as_str()),
            ],
        )
    }

    fn associate_command(&self) -> String {
        format!(
            "aws cloudfront associate-alias --target-distribution-id {} --alias {}",
            shell_quote(&self.t.id),
            shell_quote(self.shown)
        )
    }

    /// The target exists (a precondition), or the step that creates it.
    fn target_exists(&self) -> Step {
        match self.t.create_first.clone() {
            Some(step) => step,
            None => Step::verified(
                format!("ID `{}`", self.t.id),
                format!("the target `{}` exists", self.r.address),
            ),
        }
    }

    /// The TXT record a move from another account needs, checked against
    /// DNS. For an apex the name is `_.example.com` (`_example.com` would
    /// be a name in the parent zone)
    /// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html>).
    fn txt_step(&self) -> Step {
        let t = &self.t;
        let documented = self.name.move_txt_name();
        // Every name asked ends with the alias: it is printed as the alias
        // may be (masked when sensitive), its prefix escaped.
        let show = |name: &str| match name.strip_suffix(self.name.as_str()) {
            Some(prefix) => format!("{}{}", crate::display::shown(prefix), self.shown),
            None => crate::display::shown(name),
        };
        let record = show(&documented);
        let text = format!(
            "the DNS TXT record `{record}. 300 IN TXT \"{}\"` (Terraform: `resource \
             \"aws_route53_record\" \"move\" {{ name = \"{record}\", type = \"TXT\", ttl = 300, \
             records = [\"{}\"], zone_id = ... }}`)",
            t.domain, t.domain
        );
        let status = match self.dns {
            DnsFacts::Asked(answers) => match answers.txt.get(self.name) {
                Some(TxtAnswer::Values(records)) if !t.known => StepStatus::NotVerified(format!(
                    "the target has no domain name yet; DNS has {}",
                    found(records, &show)
                )),
                Some(TxtAnswer::Values(records)) => {
                    // Only the record the set-up page names counts: a value
                    // under another name (`_example.com`, or the apex
                    // itself, as older articles had it) is said, not passed.
                    let target = DomainName::new(&t.domain);
                    let matches = |r: &&TxtRecord| DomainName::new(&r.value) == target;
                    let at_record = records
                        .iter()
                        .filter(|r| r.name == documented)
                        .find(matches);
                    match (at_record, records.iter().find(matches)) {
                        (Some(_), _) => StepStatus::Verified(format!(
                            "DNS has the TXT value `{}` at `{record}`",
                            t.domain
                        )),
                        (None, Some(elsewhere)) => {
                            return Step::new(
                                StepStatus::NotMet,
                                format!(
                                    "{text}; DNS has the value at `{}`, not at `{record}`, the \
                                     name the guide's set-up page gives",
                                    show(&elsewhere.name)
                                ),
                            )
                            .before_move();
                        }
                        (None, None) => {
                            return Step::new(
                                StepStatus::NotMet,
                                format!("{text}; DNS has {}", found(records, &show)),
                            )
                            .before_move();
                        }
                    }
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
        Step::new(status, text).before_move()
    }

    /// Whether the target's certificate covers `name`, as far as the plan
    /// and ACM tell.
    fn certificate_step(&self, name: &DomainName) -> Step {
        let r = self.r;
        let names = match &r.certificate {
            CertificateUse::Acm { names: Some(n), .. } => Some(n.clone()),
            CertificateUse::Acm { arn: Some(arn), .. } => self
                .inventory
                .certificates
                .get(arn)
                .and_then(|n| n.as_ref().ok())
                .cloned(),
            // A tenant without its own serves its multi-tenant
            // distribution's certificate.
            CertificateUse::Parent {
                distribution_id: Some(parent),
            } => self
                .inventory
                .accounts
                .iter()
                .flat_map(|a| a.distributions.iter().flatten())
                .find(|d| d.id == *parent && d.tenant_of.is_none())
                .and_then(|d| d.certificate_arn.as_ref())
                .and_then(|arn| self.inventory.certificates.get(arn))
                .and_then(|n| n.as_ref().ok())
                .cloned(),
            CertificateUse::Managed => {
                return Step::verified(
                    "`managed_certificate_request`".to_string(),
                    format!(
                        "CloudFront requests a certificate for the domains of `{}`",
                        r.address
                    ),
                )
                .before_move();
            }
            CertificateUse::CloudFrontDefault => {
                return Step::new(
                    StepStatus::NotMet,
                    format!(
                        "`{}` uses the default CloudFront certificate: attach an ACM certificate \
                         in us-east-1 that covers `{name}`",
                        r.address
                    ),
                )
                .before_move();
            }
            _ => None,
        };
        let step = match names {
            Some(n) => match n.iter().find(|c| name.is_covered_by(c)) {
                Some(c) => Step::verified(
                    format!("the certificate names `{c}`"),
                    format!("the certificate of `{}` covers `{name}`", r.address),
                ),
                None => Step::new(
                    StepStatus::NotMet,
                    format!(
                        "the certificate of `{}` does not cover `{name}`: add it to the \
                         certificate (see certificate-does-not-cover)",
                        r.address
                    ),
                ),
            },
            None => Step::new(
                StepStatus::NotVerified("the certificate's names are not known".into()),
                format!("the certificate of `{}` must cover `{name}`", r.address),
            ),
        };
        step.before_move()
    }

    /// After the move: DNS to the target (DNS evidence may join it).
    fn point_dns_step(&self) -> Step {
        Step::todo(format!(
            "point `{}` at `{}` (CNAME, or a Route 53 alias record) and wait for the record's TTL",
            self.shown, self.t.domain
        ))
        .pointing_dns()
    }

    fn remove_step(&self, holder_id: &str) -> Step {
        Step::todo(format!(
            "remove `{}` from the configuration of `{holder_id}` wherever it is managed, so the \
             next plan agrees",
            self.shown
        ))
    }

    /// AWS Support, with what to include.
    fn support_steps(&self, holder: &str) -> Vec<Step> {
        vec![Step::todo(format!(
            "open a case with AWS Support asking to move `{}` to `{}` in account {}, from \
             `{holder}`; include the CNAMEAlreadyExists error, the target's ID and account, and \
             have the TXT record (value `{}`) and a certificate covering `{}` on the target in \
             place",
            self.shown, self.t.id, self.target.account_id, self.t.domain, self.shown
        ))]
    }
}

/// What DNS holds, as it may be printed: TXT values are anyone's text, so
/// each is escaped and shortened, and at most five are named, each with
/// the name it was found under as `show` prints it.
fn found(records: &[TxtRecord], show: &dyn Fn(&str) -> String) -> String {
    const SHOWN: usize = 5;
    if records.is_empty() {
        return "no TXT record".to_string();
    }
    let mut out: Vec<String> = records
        .iter()
        .take(SHOWN)
        .map(|r| {
            format!(
                "`{}` at `{}`",
                crate::display::shown(&r.value),
                show(&r.name)
            )
        })
        .collect();
    if records.len() > SHOWN {
        out.push(format!("{} more", records.len() - SHOWN));
    }
    out.join(", ")
}

/// The source must be Deployed before the move.
fn deployed_step(holder: &DistributionFacts) -> Step {
    let step = if holder.status == "Deployed" {
        Step::verified(
            "ListDistributions: status Deployed",
            format!("`{}` is Deployed", holder.id),
        )
    } else {
        Step::new(
            StepStatus::NotMet,
            format!(
                "`{}` is {}: wait until it is Deployed",
                holder.id, holder.status
            ),
        )
        .with_command(format!(
            "aws cloudfront wait distribution-deployed --id {}",
            shell_quote(&holder.id)
        ))
        .with_call(ApiCall::new(Operation::WaitDeployed, &[("Id", &holder.id)]))
    };
    step.before_move()
}

/// The fix for a holder the inventory lists, in the target's account or
/// another reached one.
pub(super) fn for_holder(m: &Move, account: &AccountFacts, holder: &DistributionFacts) -> Fix {
    if m.r.kind == ResourceKind::Tenant || holder.tenant_of.is_some() {
        return tenant::fix(m, account, holder);
    }
    if account.account_id == m.target.account_id {
        same_account::fix(m, holder)
    } else {
        other_account::fix(m, account, holder)
    }
}

/// A holder no provider of the plan reaches: AWS shows only the end of its
/// IDs.
pub(super) fn masked(m: &Move, c: &Conflict) -> Fix {
    unreachable::fix(m, c)
}
