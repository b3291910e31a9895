//! What DNS said: `dns-points-elsewhere` for aliases whose record leads to
//! another CloudFront distribution (CloudFront refuses them with
//! `CNAMEAlreadyExists`), a warning for names that resolve into CloudFront
//! with no record saying which distribution, and `not-verified` where DNS
//! could not be asked. Where each alias's DNS leads is also returned as
//! evidence ([`DnsSeen`]) that the merge stage joins to the finding about
//! the same party (the holder, the giver, the old object); this check never
//! edits another check's finding.

use super::about_claim;
use super::merge::DnsSeen;
use crate::diag::{Code, DnsEvidence, Finding, Fix, Remedy, Severity, Step, StepStatus};
use crate::facts::{
    AccountFacts, AwsFacts, ChainEnd, ConnectionGroupFacts, DistributionFacts, DnsFacts, Facts,
    Inventory, Resolution, Via,
};
use crate::model::{Claim, DnsRecord, DomainName, Resource, ResourceKind};

/// The findings DNS makes on its own, and where each alias leads.
pub(super) fn check(
    resources: &[Resource],
    claims: &[Claim],
    records: &[DnsRecord],
    facts: &Facts,
) -> (Vec<Finding>, Vec<DnsSeen>) {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    let DnsFacts::Asked(answers) = &facts.dns else {
        return (out, seen);
    };
    let inventory = match &facts.aws {
        AwsFacts::Asked(inventory) => Some(inventory),
        _ => None,
    };
    for claim in claims {
        let Some(name) = claim.alias.checkable() else {
            continue;
        };
        let r = &resources[claim.resource];
        let shown = claim.shown();
        let resolution = match answers.names.get(name) {
            Some(Ok(resolution)) => resolution,
            Some(Err(reason)) => {
                out.push(about_claim(
                    Code::NotVerified,
                    claim,
                    r,
                    format!("`{shown}` was not verified in DNS"),
                    "not verified in DNS",
                    format!("DNS could not be asked: {reason}"),
                ));
                continue;
            }
            None => continue,
        };
        // A sensitive alias's chain and record names may carry the secret
        // (`secret.example.com` -> `secret.example.com.cdn.net`): only the
        // CloudFront names are shown.
        let hidden;
        let resolution = if claim.sensitive {
            hidden = hide_names(resolution);
            &hidden
        } else {
            resolution
        };
        match resolution.cloudfront_name() {
            Some((cloudfront, via)) => {
                let own = own_domains(r, inventory).contains(cloudfront);
                let owner = Owner::find(inventory, cloudfront);
                let holder = owner.holder_of(name).or(match owner {
                    Owner::Distribution(_, d) => Some(d),
                    _ => None,
                });
                seen.push(DnsSeen {
                    span: claim.span,
                    points_to: cloudfront.clone(),
                    owner_id: holder.map(|d| d.id.clone()),
                    own,
                    route: chain_text(&shown, resolution),
                    evidence: evidence(
                        &shown,
                        resolution,
                        Some((cloudfront, via)),
                        holder
                            .zip(owner.account())
                            .map(|(d, a)| (d.id.as_str(), a.account_id.as_str())),
                    ),
                });
                if own {
                    continue;
                }
                let repoint = records
                    .iter()
                    .find(|rec| rec.is_record_of(name) && rec.refers_to(r.address.as_str()));
                let at = Seen {
                    claim,
                    r,
                    shown: &shown,
                    name,
                    resolution,
                    cloudfront,
                    via,
                    inventory,
                };
                out.push(at.elsewhere(&owner, repoint));
            }
            None if resolution.reaches_cloudfront() => {
                out.push(unknown_distribution(claim, r, &shown, resolution));
            }
            None if matches!(resolution.end, ChainEnd::Loop | ChainEnd::TooLong) => {
                let why = match resolution.end {
                    ChainEnd::Loop => "its CNAME chain comes back to a name it passed".to_string(),
                    _ => format!(
                        "its CNAME chain is longer than {} names, where resolvers give up",
                        crate::facts::dns::MAX_CHAIN
                    ),
                };
                out.push(about_claim(
                    Code::NotVerified,
                    claim,
                    r,
                    format!("`{shown}` was not verified in DNS"),
                    "not verified in DNS",
                    format!(
                        "{why} ({}); where it ends could not be told: fix the records, then \
                         check again",
                        chain_text(&shown, resolution)
                    ),
                ));
            }
            None => {}
        }
    }
    (out, seen)
}

/// The resolution with every name that is not CloudFront's replaced.
fn hide_names(resolution: &Resolution) -> Resolution {
    let keep = |n: &DomainName| {
        if n.as_str().ends_with(".cloudfront.net") {
            n.clone()
        } else {
            DomainName::new("(sensitive value)")
        }
    };
    let mut out = resolution.clone();
    out.chain = resolution.chain.iter().map(keep).collect();
    if let crate::facts::Route53::Alias(a) = &mut out.route53 {
        a.record = DomainName::new("(sensitive value)");
    }
    out
}

/// The CloudFront names that are the target's own: a distribution's
/// domain name from the plan or state, or as the inventory lists it; a
/// tenant's connection group's routing endpoint (not its multi-tenant
/// distribution's domain: "When you create a new distribution tenant and
/// don't specify a connection group, the default one will be associated
/// with your distribution tenant",
/// <https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ConnectionGroup.html>,
/// and its domains' DNS records point at that group's routing endpoint).
fn own_domains(r: &Resource, inventory: Option<&Inventory>) -> Vec<DomainName> {
    let mut own: Vec<DomainName> = r.domain_name.iter().map(|d| DomainName::new(d)).collect();
    let Some(inventory) = inventory else {
        return own;
    };
    if let Some((_, d)) = r
        .distribution_id
        .as_deref()
        .and_then(|id| inventory.by_id(id))
        && !d.domain_name.is_empty()
    {
        own.push(DomainName::new(&d.domain_name));
    }
    if r.kind == ResourceKind::Tenant
        && let Some(endpoint) =
            inventory.tenant_endpoint(r.provider_key.as_deref(), r.connection_group_id.as_deref())
    {
        own.push(endpoint.clone());
    }
    own
}

/// Who a CloudFront name DNS leads to belongs to, as far as the reached
/// accounts tell.
enum Owner<'a> {
    /// A distribution's (or a tenant's listed) domain name.
    Distribution(&'a AccountFacts, &'a DistributionFacts),
    /// A connection group's routing endpoint, with the tenants it serves.
    Group(
        &'a AccountFacts,
        &'a ConnectionGroupFacts,
        Vec<&'a DistributionFacts>,
    ),
    /// No reached account owns it (true), or AWS was not asked (false).
    Unknown(bool),
}

impl<'a> Owner<'a> {
    fn find(inventory: Option<&'a Inventory>, cloudfront: &DomainName) -> Owner<'a> {
        let Some(inventory) = inventory else {
            return Owner::Unknown(false);
        };
        if let Some((a, d)) = inventory.by_domain_name(cloudfront) {
            return Owner::Distribution(a, d);
        }
        match inventory.by_routing_endpoint(cloudfront) {
            Some((a, g, tenants)) => Owner::Group(a, g, tenants),
            None => Owner::Unknown(true),
        }
    }

    /// The resource that holds `name` among those this name reaches: the
    /// distribution, or the group's tenant with that domain.
    fn holder_of(&self, name: &DomainName) -> Option<&'a DistributionFacts> {
        match self {
            Owner::Distribution(_, d) => Some(*d),
            Owner::Group(_, _, tenants) => {
                tenants.iter().copied().find(|t| t.aliases.contains(name))
            }
            Owner::Unknown(_) => None,
        }
    }

    fn account(&self) -> Option<&'a AccountFacts> {
        match self {
            Owner::Distribution(a, _) | Owner::Group(a, _, _) => Some(*a),
            Owner::Unknown(_) => None,
        }
    }
}

fn chain_text(name: &str, resolution: &Resolution) -> String {
    let mut parts = vec![format!("`{name}`")];
    parts.extend(resolution.chain.iter().map(|n| format!("`{n}`")));
    parts.join(" -> ")
}

fn evidence(
    shown: &str,
    resolution: &Resolution,
    points_to: Option<(&DomainName, Via)>,
    owner: Option<(&str, &str)>,
) -> DnsEvidence {
    DnsEvidence {
        name: shown.to_string(),
        chain: resolution.chain.iter().map(|n| n.to_string()).collect(),
        points_to: points_to.map(|(n, _)| n.to_string()),
        distribution_id: owner.map(|(id, _)| id.to_string()),
        account_id: owner.map(|(_, account)| account.to_string()),
        via: points_to.map(|(_, via)| via.name()),
    }
}

/// How the name leads to `cloudfront`, in words.
fn route(shown: &str, resolution: &Resolution, cloudfront: &DomainName, via: Via) -> String {
    match via {
        Via::Cname => format!("its CNAME chain {}", chain_text(shown, resolution)),
        Via::Route53 => match &resolution.route53 {
            crate::facts::Route53::Alias(a) => format!(
                "the Route 53 alias record `{}` (zone `{}`, account {}) targets `{cloudfront}`",
                a.record, a.zone_id, a.account_id
            ),
            _ => format!("a Route 53 alias record targets `{cloudfront}`"),
        },
    }
}

/// An alias whose DNS leads to a CloudFront name that is not the target's.
#[derive(Clone, Copy)]
struct Seen<'a> {
    claim: &'a Claim,
    r: &'a Resource,
    shown: &'a str,
    name: &'a DomainName,
    resolution: &'a Resolution,
    cloudfront: &'a DomainName,
    via: Via,
    inventory: Option<&'a Inventory>,
}

impl Seen<'_> {
    fn elsewhere(&self, owner: &Owner, repoint: Option<&DnsRecord>) -> Finding {
        let Seen {
            claim,
            r,
            shown,
            name,
            resolution,
            cloudfront,
            via,
            ..
        } = *self;
        let holds = |held: bool| {
            if held {
                format!("holds `{shown}`")
            } else {
                format!("does not hold `{shown}`")
            }
        };
        let whose = match owner {
            Owner::Distribution(account, d) => format!(
                "the domain of {} in account {}, which {}",
                d.describe(),
                account.account_id,
                holds(d.aliases.contains(name))
            ),
            Owner::Group(account, g, tenants) => format!(
                "the routing endpoint of connection group `{}` (`{}`) in account {}, whose {} {}",
                g.id,
                g.name,
                account.account_id,
                match tenants.len() {
                    0 => "tenants (none listed)".to_string(),
                    1 => format!("tenant `{}`", tenants[0].id),
                    n => format!(
                        "{n} tenants ({}{})",
                        tenants
                            .iter()
                            .take(5)
                            .map(|t| format!("`{}`", t.id))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if n > 5 { ", ..." } else { "" }
                    ),
                },
                match owner.holder_of(name) {
                    Some(t) => format!("include `{}`, which holds `{shown}`", t.id),
                    None => format!("do not hold `{shown}`"),
                }
            ),
            Owner::Unknown(true) => "a distribution no reached account owns".to_string(),
            Owner::Unknown(false) => "another distribution (AWS did not say whose)".to_string(),
        };
        let message = format!(
            "`{shown}` points at `{cloudfront}` in DNS, {whose}, not at this {}",
            match r.kind {
                ResourceKind::Distribution => "distribution",
                ResourceKind::Tenant => "tenant",
            }
        );
        // A tenant's name to point at is its connection group's routing
        // endpoint, known before the tenant exists; a tenant is never
        // created without its domain (it may be its only one).
        let target_domain = own_domains(r, self.inventory)
            .into_iter()
            .next()
            .map(|d| d.to_string());
        let tenant = r.kind == ResourceKind::Tenant;
        let mut steps = Vec::new();
        if let Some(record) = repoint {
            // The record refers to the distribution, so Terraform orders it
            // after the distribution, and `-target` on the record would pull
            // the distribution's change in too: two applies.
            steps.push(Step::new(
                StepStatus::NotMet,
                format!(
                    "`{}` in this change repoints `{shown}` to `{}`, but its value is the \
                 distribution's `domain_name`, so Terraform changes it after the distribution, \
                 and CloudFront refuses the alias first while DNS still points elsewhere",
                    record.address, r.address
                ),
            ));
            steps.push(Step::todo(format!(
                "first apply: this change without `{shown}` in the aliases of `{}`, so the \
             distribution is {} and `{}` points `{shown}` at it; wait for the record's TTL",
                r.address,
                if target_domain.is_none() {
                    "created"
                } else {
                    "updated"
                },
                record.address
            )));
        } else {
            if target_domain.is_none() && !tenant {
                steps.push(Step::new(
                StepStatus::NotMet,
                format!(
                    "`{}` does not exist yet, so there is no domain name to point at: create it \
                     without `{shown}` (apply), and use its `dxxxx.cloudfront.net` name below",
                    r.address
                ),
            ));
            }
            let point_at = target_domain.clone().map_or(
                if tenant {
                    "the routing endpoint of the tenant's connection group".to_string()
                } else {
                    "the new distribution's `dxxxx.cloudfront.net` name".to_string()
                },
                |d| format!("`{d}`"),
            );
            steps.push(Step::todo(format!(
                "point `{shown}` at {point_at} (or remove the record, or the wildcard record that \
             answers for it) and wait for the record's TTL"
            )));
        }
        steps.push(Step::todo(format!(
            "{}add `{shown}` to `{}` and apply again",
            if repoint.is_some() {
                "second apply: "
            } else {
                ""
            },
            r.address
        )));
        let fix = Fix {
            alternatives: Vec::new(),
            remedy: Remedy::RepointDns,
            title: format!(
                "{} leads to another distribution; repoint it before adding the alias here:",
                route(shown, resolution, cloudfront, via)
            ),
            steps,
        };
        let mut finding = about_claim(
            Code::DnsPointsElsewhere,
            claim,
            r,
            message,
            format!("DNS points at `{cloudfront}`"),
            // The help is composed from the fix in the merge stage.
            String::new(),
        );
        if let Some(record) = repoint {
            finding.related.push(super::related_span(
                record.span,
                crate::model::Address::new(record.address.as_str()),
                format!("`{}` repoints `{shown}` in the same apply", record.address),
            ));
        }
        finding.dns = Some(evidence(
            shown,
            resolution,
            Some((cloudfront, via)),
            owner
                .holder_of(name)
                .or(match owner {
                    Owner::Distribution(_, d) => Some(*d),
                    _ => None,
                })
                .zip(owner.account())
                .map(|(d, a)| (d.id.as_str(), a.account_id.as_str())),
        ));
        finding.fix = Some(fix);
        finding
    }
}

/// The name resolves to CloudFront's addresses, and no record says which
/// distribution: a warning with how to find out.
fn unknown_distribution(
    claim: &Claim,
    r: &Resource,
    shown: &str,
    resolution: &Resolution,
) -> Finding {
    let why = match &resolution.route53 {
        crate::facts::Route53::Failed(reason) => format!("Route 53 could not be read: {reason}"),
        crate::facts::Route53::NotFound => {
            "no public hosted zone of the reached accounts has an alias record for it".to_string()
        }
        _ => "Route 53 was not read (AWS was not asked)".to_string(),
    };
    let mut finding = about_claim(
        Code::DnsPointsElsewhere,
        claim,
        r,
        format!(
            "`{shown}` resolves into CloudFront in DNS, and which distribution it reaches is \
             unknown"
        ),
        "resolves into CloudFront",
        format!(
            "its addresses ({}) are CloudFront's (reverse DNS {}) with no CNAME, as a Route 53 \
             alias record answers; {why}. Find the record in the zone that serves `{shown}` \
             (`aws route53 list-resource-record-sets --hosted-zone-id ZONE --query \
             \"ResourceRecordSets[?Name=='{shown}.']\"` in the account that owns the zone): if its \
             alias target is another distribution's `dxxxx.cloudfront.net`, point it at `{}` \
             first",
            resolution
                .addresses
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            resolution
                .reverse
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            r.address
        ),
    );
    finding.severity = Severity::Warning;
    finding.dns = Some(evidence(shown, resolution, None, None));
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DnsAnswers, NotAsked};
    use crate::model::Action;

    fn n(s: &str) -> DomainName {
        DomainName::new(s)
    }

    /// The findings about one distribution adding `alias`, given where DNS
    /// says the alias leads.
    fn findings(r: Resource, resolution: Resolution) -> Vec<Finding> {
        let alias = r.after[0].value.name().unwrap().clone();
        let mut answers = DnsAnswers::default();
        answers.names.insert(alias.clone(), Ok(resolution));
        let resources = vec![r];
        let claims = crate::input::claims(&resources);
        let facts = Facts {
            aws: AwsFacts::NotAsked(NotAsked::NoAws),
            dns: DnsFacts::Asked(answers),
        };
        check(&resources, &claims, &[], &facts).0
    }

    fn site(action: Action, domain: Option<&str>) -> Resource {
        let mut r = Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            action,
            &[],
            &["www.example.com"],
        );
        r.domain_name = domain.map(str::to_string);
        r
    }

    fn cname(chain: &[&str]) -> Resolution {
        Resolution {
            chain: chain.iter().map(|c| n(c)).collect(),
            end: ChainEnd::Addresses,
            addresses: vec!["13.32.0.1".parse().unwrap()],
            ..Resolution::default()
        }
    }

    #[test]
    fn dns_on_the_target_itself_is_fine() {
        let r = site(Action::Update, Some("d1site.cloudfront.net"));
        assert!(findings(r, cname(&["d1site.cloudfront.net"])).is_empty());
    }

    #[test]
    fn a_new_distribution_has_no_name_so_any_distribution_is_elsewhere() {
        let out = findings(
            site(Action::Create, None),
            cname(&["d1site.cloudfront.net"]),
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::DnsPointsElsewhere);
        assert_eq!(out[0].fix.as_ref().unwrap().remedy, Remedy::RepointDns);
    }

    #[test]
    fn a_chain_through_an_edge_name_is_cloudfront_but_no_distribution() {
        // `*.r.cloudfront.net` names CloudFront's servers, not a distribution.
        let r = site(Action::Create, None);
        let out = findings(r, cname(&["server-1.fra56.r.cloudfront.net"]));
        assert_eq!(out.len(), 1);
        assert_eq!(
            (out[0].code, out[0].severity),
            (Code::DnsPointsElsewhere, Severity::Warning)
        );
        assert_eq!(out[0].dns.as_ref().unwrap().points_to, None);
    }

    #[test]
    fn loops_and_endless_chains_are_not_verified() {
        for end in [ChainEnd::Loop, ChainEnd::TooLong] {
            let resolution = Resolution {
                chain: vec![n("a.example.net"), n("www.example.com")],
                end,
                ..Resolution::default()
            };
            let out = findings(site(Action::Create, None), resolution);
            assert_eq!(out.len(), 1, "{end:?}");
            assert_eq!(out[0].code, Code::NotVerified, "{end:?}");
        }
    }

    #[test]
    fn a_sensitive_alias_shows_no_name_its_chain_derives_from_it() {
        let mut r = site(Action::Create, None);
        r.after[0].sensitive = true;
        let out = findings(
            r,
            cname(&["www.example.com.cdnvendor.net", "d1old.cloudfront.net"]),
        );
        assert_eq!(out.len(), 1);
        let f = &out[0];
        let help = f.fix.as_ref().unwrap().render();
        for text in [&f.message, &help, &f.label] {
            assert!(!text.contains("www.example.com"), "{text}");
        }
        let dns = f.dns.as_ref().unwrap();
        assert_eq!(dns.chain, ["(sensitive value)", "d1old.cloudfront.net"]);
        assert_eq!(dns.points_to.as_deref(), Some("d1old.cloudfront.net"));
    }

    /// One account (provider `aws`) with a default connection group and a
    /// custom one, and a tenant of each.
    fn saas_inventory() -> Inventory {
        use crate::facts::{AccountFacts, ConnectionGroupFacts, DistributionFacts};
        let group = |id: &str, endpoint: &str, is_default: bool| ConnectionGroupFacts {
            id: id.into(),
            name: id.into(),
            routing_endpoint: n(endpoint),
            is_default,
            enabled: true,
        };
        let tenant =
            |id: &str, domain: &str, group: Option<&str>, endpoint: &str| DistributionFacts {
                id: id.into(),
                arn: String::new(),
                domain_name: endpoint.into(),
                status: "Deployed".into(),
                enabled: true,
                aliases: vec![n(domain)],
                certificate_arn: None,
                tenant_of: Some("EMULTI1".into()),
                connection_group_id: group.map(str::to_string),
                staging: false,
            };
        Inventory {
            accounts: vec![AccountFacts {
                account_id: "111111111111".into(),
                provider_keys: vec!["aws".into()],
                distributions: Ok(vec![
                    tenant(
                        "dt_shop",
                        "shop.example.com",
                        None,
                        "d1default.cloudfront.net",
                    ),
                    tenant(
                        "dt_blog",
                        "blog.example.com",
                        Some("cg_custom"),
                        "d2custom.cloudfront.net",
                    ),
                ]),
                connection_groups: vec![
                    group("cg_default", "d1default.cloudfront.net", true),
                    group("cg_custom", "d2custom.cloudfront.net", false),
                ],
            }],
            ..Inventory::default()
        }
    }

    fn tenant_findings(r: Resource, resolution: Resolution) -> Vec<Finding> {
        let alias = r.after[0].value.name().unwrap().clone();
        let mut answers = DnsAnswers::default();
        answers.names.insert(alias, Ok(resolution));
        let resources = vec![r];
        let claims = crate::input::claims(&resources);
        let facts = Facts {
            aws: AwsFacts::Asked(saas_inventory()),
            dns: DnsFacts::Asked(answers),
        };
        check(&resources, &claims, &[], &facts).0
    }

    fn new_tenant(domain: &str, group: Option<&str>) -> Resource {
        let mut r = Resource::for_test(
            "aws_cloudfront_distribution_tenant.t",
            0,
            Action::Create,
            &[],
            &[domain],
        );
        r.kind = ResourceKind::Tenant;
        r.parent_distribution_id = Some("EMULTI1".into());
        r.connection_group_id = group.map(str::to_string);
        r
    }

    #[test]
    fn a_tenant_pointed_at_its_connection_group_is_fine() {
        // No connection group named: the account's default group.
        let out = tenant_findings(
            new_tenant("new.example.com", None),
            cname(&["d1default.cloudfront.net"]),
        );
        assert!(out.is_empty(), "{out:#?}");
        // A custom group named by ID.
        let out = tenant_findings(
            new_tenant("new.example.com", Some("cg_custom")),
            cname(&["d2custom.cloudfront.net"]),
        );
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn a_tenant_pointed_at_another_group_names_that_group_and_its_tenant() {
        let out = tenant_findings(
            new_tenant("blog.example.com", None),
            cname(&["d2custom.cloudfront.net"]),
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].code, Code::DnsPointsElsewhere);
        assert!(
            out[0].message.contains("connection group `cg_custom`")
                && out[0]
                    .message
                    .contains("`dt_blog`, which holds `blog.example.com`"),
            "{}",
            out[0].message
        );
        let dns = out[0].dns.as_ref().unwrap();
        assert_eq!(dns.distribution_id.as_deref(), Some("dt_blog"));
        // A new tenant is never told to be created without its domain (it
        // may be its only one): it points DNS at its group's endpoint.
        let fix = out[0].fix.as_ref().unwrap();
        assert!(
            !fix.steps
                .iter()
                .any(|s| s.text.contains("does not exist yet")),
            "{fix:#?}"
        );
        assert!(
            fix.steps[0]
                .text
                .starts_with("point `blog.example.com` at `d1default.cloudfront.net`"),
            "{fix:#?}"
        );
    }
}
