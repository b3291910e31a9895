//! Who holds each alias anywhere in CloudFront: the probe choice, and
//! ListConflictingAliases / ListDomainConflicts with every page followed.

use aws_sdk_cloudfront::types::DistributionResourceId;

use super::super::paging::Pages;
use super::super::{
    AliasLookup, Ask, AwsOptions, Claimant, Conflict, DistributionFacts, Inventory, Probe, bounded,
    tolerate,
};
use super::acm::CertificateNames;
use super::clients::Clients;
use super::errors::classify;
use crate::error::FetchError;
use crate::model::DomainName;

/// The distribution to call ListConflictingAliases with: it must be in the
/// caller's account and have a certificate that covers the alias. The
/// target itself when it qualifies, else another listed distribution, else
/// `--probe-distribution`.
pub fn choose_probe(
    alias: &DomainName,
    target_id: Option<&str>,
    distributions: &[DistributionFacts],
    certificates: &CertificateNames,
    flag: Option<&str>,
) -> Result<String, String> {
    let covers = |d: &DistributionFacts| {
        d.certificate_arn
            .as_ref()
            .and_then(|arn| certificates.get(arn))
            .and_then(|names| names.as_ref().ok())
            .is_some_and(|names| names.iter().any(|n| alias.is_covered_by(n)))
    };
    if let Some(target) = target_id.and_then(|id| distributions.iter().find(|d| d.id == id))
        && covers(target)
    {
        return Ok(target.id.clone());
    }
    if let Some(d) = distributions.iter().find(|d| covers(d)) {
        return Ok(d.id.clone());
    }
    if let Some(id) = flag {
        return Ok(id.to_string());
    }
    Err(format!(
        "ListConflictingAliases needs a distribution in this account whose certificate covers \
         the alias, and none of the {} listed has one; pass --probe-distribution ID",
        distributions.len()
    ))
}

/// How one alias is looked up.
enum Request {
    /// A distribution's alias: ListConflictingAliases with a probe.
    Alias { probe: String },
    /// A tenant's domain: ListDomainConflicts, validated against the tenant
    /// or its multi-tenant distribution.
    Domain(DistributionResourceId),
}

/// Which request looks `ask` up, or why none can.
fn request_for(
    ask: &Ask,
    distributions: &[DistributionFacts],
    inventory: &Inventory,
    options: &AwsOptions,
) -> Result<Request, String> {
    match &ask.claimant {
        Claimant::Distribution => choose_probe(
            &ask.alias,
            ask.target_id.as_deref(),
            distributions,
            &inventory.certificates,
            options.probe_distribution.as_deref(),
        )
        .map(|probe| Request::Alias { probe }),
        Claimant::Tenant { parent } => match (&ask.target_id, parent) {
            (Some(tenant), _) => Ok(Request::Domain(
                DistributionResourceId::builder()
                    .distribution_tenant_id(tenant)
                    .build(),
            )),
            (None, Some(parent)) => Ok(Request::Domain(
                DistributionResourceId::builder()
                    .distribution_id(parent)
                    .build(),
            )),
            (None, None) => Err(
                "neither the tenant nor its multi-tenant distribution exists \
                                 yet; check again after they are created"
                    .into(),
            ),
        },
    }
}

/// Sends one lookup; returns the probe (the distribution or tenant it was
/// made with) and the conflicts.
async fn send(
    c: Clients,
    alias: DomainName,
    request: Request,
) -> (
    DomainName,
    String,
    String,
    Result<Vec<Conflict>, FetchError>,
) {
    let (probe, found) = match request {
        Request::Alias { probe } => {
            let found = list_conflicts(&c.cloudfront, &probe, alias.as_str(), &c.provider).await;
            (probe, found)
        }
        Request::Domain(resource) => {
            let probe = resource
                .distribution_tenant_id()
                .or(resource.distribution_id())
                .unwrap_or_default()
                .to_string();
            let found =
                list_domain_conflicts(&c.cloudfront, resource, alias.as_str(), &c.provider).await;
            (probe, found)
        }
    };
    (alias, c.account_id, probe, found)
}

/// Each alias looked up once per asking account, a bounded number at a
/// time.
pub async fn look_up(
    inventory: &Inventory,
    clients: &[Clients],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<Vec<AliasLookup>, FetchError> {
    let mut out = Vec::new();
    let mut jobs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for ask in asks {
        let Some(account) = inventory.account_of(ask.provider_key.as_deref()) else {
            continue;
        };
        if !seen.insert((ask.alias.clone(), account.account_id.clone())) {
            continue;
        }
        // An account whose listing failed is reported as such by the checks.
        let Ok(distributions) = &account.distributions else {
            continue;
        };
        let Some(c) = clients.iter().find(|c| c.account_id == account.account_id) else {
            continue;
        };
        match request_for(ask, distributions, inventory, options) {
            Ok(request) => jobs.push(send(c.clone(), ask.alias.clone(), request)),
            Err(reason) => out.push(AliasLookup {
                alias: ask.alias.clone(),
                account_id: account.account_id.clone(),
                result: Err(reason),
            }),
        }
    }
    for (alias, account_id, probe, found) in bounded(jobs, options.concurrency).await? {
        let result = tolerate(found, options.on_api_error)?.map(|conflicts| Probe {
            distribution_id: probe,
            conflicts,
        });
        out.push(AliasLookup {
            alias,
            account_id,
            result,
        });
    }
    out.sort_by(|a, b| (&a.alias, &a.account_id).cmp(&(&b.alias, &b.account_id)));
    Ok(out)
}

/// Every page of ListDomainConflicts for a tenant's domain, validated
/// against `resource` (the tenant, or its multi-tenant distribution).
pub async fn list_domain_conflicts(
    client: &aws_sdk_cloudfront::Client,
    resource: DistributionResourceId,
    domain: &str,
    provider: &str,
) -> Result<Vec<Conflict>, FetchError> {
    const OPERATION: &str = "cloudfront:ListDomainConflicts";
    let mut pages = Pages::new(OPERATION, provider);
    let mut marker = None;
    let mut out = Vec::new();
    loop {
        let page = client
            .list_domain_conflicts()
            .domain(domain)
            .domain_control_validation_resource(resource.clone())
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, provider))?;
        for c in page.domain_conflicts() {
            if c.domain().is_empty() || c.resource_id().is_empty() {
                return Err(pages.malformed("a conflict without its domain or resource ID"));
            }
            out.push(Conflict {
                alias: DomainName::new(c.domain()),
                distribution_id: c.resource_id().to_string(),
                account_id: c.account_id().to_string(),
                resource_type: match c.resource_type() {
                    aws_sdk_cloudfront::types::DistributionResourceType::DistributionTenant => {
                        super::super::ResourceType::Tenant
                    }
                    _ => super::super::ResourceType::Distribution,
                },
            });
        }
        match pages.next(page.next_marker())? {
            Some(next) => marker = Some(next),
            None => return Ok(out),
        }
    }
}

/// Every page of ListConflictingAliases for one alias. The SDK has no
/// paginator for it: `NextMarker` is followed by hand.
pub async fn list_conflicts(
    client: &aws_sdk_cloudfront::Client,
    probe: &str,
    alias: &str,
    provider: &str,
) -> Result<Vec<Conflict>, FetchError> {
    const OPERATION: &str = "cloudfront:ListConflictingAliases";
    let mut pages = Pages::new(OPERATION, provider);
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = client
            .list_conflicting_aliases()
            .distribution_id(probe)
            .alias(alias)
            .max_items(100)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, provider))?;
        let list = page
            .conflicting_aliases_list()
            .ok_or_else(|| pages.malformed("no ConflictingAliasesList"))?;
        for item in list.items() {
            let (Some(alias), Some(id), Some(account)) =
                (item.alias(), item.distribution_id(), item.account_id())
            else {
                return Err(pages.malformed("an entry without its alias, distribution or account"));
            };
            out.push(Conflict {
                alias: DomainName::new(alias),
                distribution_id: id.to_string(),
                account_id: account.to_string(),
                resource_type: super::super::ResourceType::Distribution,
            });
        }
        match pages.next(list.next_marker())? {
            Some(next) => marker = Some(next),
            None => return Ok(out),
        }
    }
}
