//! Who holds each alias anywhere in CloudFront: the probe choice, the
//! queries of each account as `grouping` plans them, and
//! ListDomainConflicts with every page followed (standard distributions
//! and tenants, in every account); ListConflictingAliases, which "only
//! supports standard distributions", only where an endpoint lacks
//! ListDomainConflicts, and never for a tenant's domain.

use aws_sdk_cloudfront::types::DistributionResourceId;

use super::super::paging::Pages;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::super::{
    AliasLookup, Ask, AwsOptions, Claimant, Conflict, DistributionFacts, Inventory,
    LookupOperation, Probe, bounded, tolerate,
};
use super::acm::CertificateNames;
use super::clients::Clients;
use super::errors::classify;
use super::grouping::{self, Answer, Plan, Query};
use super::values;
use crate::error::FetchError;
use crate::model::DomainName;

/// The distribution to look an alias up with: it must be in the caller's
/// account and have a certificate that covers the alias ("You must have a
/// standard distribution or distribution tenant that is associated with a
/// certificate that covers the specified domain",
/// <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-find-source.html>).
/// A staging distribution is never one: it serves no name of its own; nor
/// is a tenant, which is not asked for by distribution ID. The target
/// itself when it qualifies, else another listed distribution, else
/// `--probe-distribution`.
pub fn choose_probe(
    alias: &DomainName,
    target_id: Option<&str>,
    distributions: &[DistributionFacts],
    certificates: &CertificateNames,
    flag: Option<&str>,
) -> Result<String, String> {
    let covers = |d: &DistributionFacts| {
        !d.staging
            && d.tenant_of.is_none()
            && d.certificate_arn
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
        "ListDomainConflicts needs a distribution in this account whose certificate covers \
         the alias, and none of the {} listed has one; pass --probe-distribution ID",
        distributions.len()
    ))
}

/// What one alias (or `*.parent`) is looked up with: the resource of the
/// caller's account that ListDomainConflicts validates the name against
/// ("the standard distribution or distribution tenant that has a valid
/// certificate, which covers the domain that you specify":
/// <https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDomainConflicts.html>).
#[derive(Debug, Clone)]
struct Request {
    resource: DistributionResourceId,
    /// The standard distribution ListConflictingAliases can use instead
    /// where an endpoint lacks ListDomainConflicts; None for a tenant, which
    /// that older operation does not know.
    standard: Option<String>,
}

impl Request {
    fn distribution(id: String) -> Request {
        Request {
            resource: DistributionResourceId::builder()
                .distribution_id(id.clone())
                .build(),
            standard: Some(id),
        }
    }

    fn tenant(id: &str) -> Request {
        Request {
            resource: DistributionResourceId::builder()
                .distribution_tenant_id(id)
                .build(),
            standard: None,
        }
    }

    /// A distribution ListConflictingAliases must not stand in for: the
    /// multi-tenant distribution of a tenant, or the probe a tenant's
    /// domain is looked up with (that older operation does not see
    /// tenants).
    fn without_fallback(id: &str) -> Request {
        Request {
            resource: DistributionResourceId::builder()
                .distribution_id(id)
                .build(),
            standard: None,
        }
    }

    /// The distribution or tenant the request is made with.
    fn probe(&self) -> String {
        self.resource
            .distribution_tenant_id()
            .or(self.resource.distribution_id())
            .unwrap_or_default()
            .to_string()
    }
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
        .map(Request::distribution),
        Claimant::Tenant { parent } => {
            let (request, validator) = match (&ask.target_id, parent) {
                (Some(tenant), _) => (Request::tenant(tenant), tenant),
                (None, Some(parent)) => (Request::without_fallback(parent), parent),
                (None, None) => {
                    return Err(
                        "neither the tenant nor its multi-tenant distribution exists \
                                yet; check again after they are created"
                            .into(),
                    );
                }
            };
            // The tenant (or its multi-tenant distribution) validates the
            // name only with a certificate that covers it; when the one it
            // serves is known not to, another resource of the account whose
            // certificate does is asked instead (the certificate check
            // reports the tenant's own certificate).
            let covers = distributions
                .iter()
                .find(|d| d.id == *validator)
                .and_then(|d| serving_certificate(d, distributions))
                .and_then(|arn| inventory.certificates.get(arn))
                .and_then(|names| names.as_ref().ok())
                .map(|names| names.iter().any(|n| ask.alias.is_covered_by(n)));
            if covers != Some(false) {
                return Ok(request);
            }
            choose_probe(
                &ask.alias,
                None,
                distributions,
                &inventory.certificates,
                options.probe_distribution.as_deref(),
            )
            .map(|id| Request::without_fallback(&id))
            .map_err(|why| {
                format!(
                    "the certificate `{}` serves the name with does not cover it; {why}",
                    crate::display::shown(validator)
                )
            })
        }
    }
}

/// The resource `ask` is looked up with, or why none can be (for tests).
#[cfg(test)]
pub(super) fn probe_for(
    ask: &Ask,
    distributions: &[DistributionFacts],
    inventory: &Inventory,
    options: &AwsOptions,
) -> Result<String, String> {
    request_for(ask, distributions, inventory, options).map(|r| r.probe())
}

/// The ACM certificate `d` serves its names with: its own, else, for a
/// tenant, its multi-tenant distribution's ("the tenant inherits the shared
/// AWS Certificate Manager (ACM) certificate from the multi-tenant
/// distribution",
/// <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/managed-cloudfront-certificates.html>).
pub fn serving_certificate<'d>(
    d: &'d DistributionFacts,
    distributions: &'d [DistributionFacts],
) -> Option<&'d str> {
    d.certificate_arn.as_deref().or_else(|| {
        let parent = d.tenant_of.as_deref()?;
        distributions
            .iter()
            .find(|p| p.id == parent)?
            .certificate_arn
            .as_deref()
    })
}

/// Why an alias whose answer was cut short is not verified.
const TOO_LONG: &str = "the conflict lookup did not answer in full within its page limit";

/// What one query came to: every conflict, or more pages than its budget.
enum Listed {
    All(Vec<Conflict>),
    TooLong,
}

/// What one query came to and which operation answered, or why it could
/// not be made (with `--on-api-error=warn`).
type Answered = Result<(Listed, LookupOperation), String>;

/// One query's answer, named by the plan and query it belongs to.
struct Sent {
    plan: usize,
    query: usize,
    result: Result<(Listed, LookupOperation), FetchError>,
}

/// Sends one query, following its pages: ListDomainConflicts, or
/// ListConflictingAliases once the account's endpoint has shown that it
/// lacks the newer operation.
async fn send(
    c: Clients,
    plan: usize,
    query: usize,
    q: Query<Request>,
    newer: Arc<AtomicBool>,
) -> Sent {
    let result = ask(&c, &q, &newer).await;
    Sent {
        plan,
        query,
        result,
    }
}

async fn ask(
    c: &Clients,
    q: &Query<Request>,
    newer: &AtomicBool,
) -> Result<(Listed, LookupOperation), FetchError> {
    if newer.load(Ordering::Relaxed) {
        match list_domain_conflicts_within(
            &c.cloudfront,
            q.request.resource.clone(),
            q.name.as_str(),
            &c.provider,
            q.max_pages,
        )
        .await
        {
            Err(FetchError::Unsupported { .. }) => newer.store(false, Ordering::Relaxed),
            other => {
                return other.map(|found| {
                    (
                        found.map_or(Listed::TooLong, Listed::All),
                        LookupOperation::DomainConflicts,
                    )
                });
            }
        }
    }
    let Some(probe) = &q.request.standard else {
        return Err(FetchError::Unsupported {
            operation: "cloudfront:ListDomainConflicts".into(),
            provider: c.provider.clone(),
        });
    };
    list_conflicts_within(
        &c.cloudfront,
        probe,
        q.name.as_str(),
        &c.provider,
        q.max_pages,
    )
    .await
    .map(|found| {
        (
            found.map_or(Listed::TooLong, Listed::All),
            LookupOperation::ConflictingAliases,
        )
    })
}

/// The aliases of one account and their plan.
struct AccountPlan {
    clients: Clients,
    plan: Plan<Request>,
    /// Whether the account's endpoint answers ListDomainConflicts (until it
    /// shows otherwise).
    newer: Arc<AtomicBool>,
}

/// Each alias looked up once per asking account, a bounded number of
/// queries at a time; aliases under one parent share a grouped query where
/// a probe covers `*.parent` (see `grouping`).
pub async fn look_up(
    inventory: &Inventory,
    clients: &[Clients],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<Vec<AliasLookup>, FetchError> {
    let plans = plan_accounts(inventory, clients, asks, options);
    let jobs = plans.iter().enumerate().flat_map(|(p, account)| {
        account
            .plan
            .queries
            .iter()
            .enumerate()
            .map(move |(q, query)| {
                send(
                    account.clients.clone(),
                    p,
                    q,
                    query.clone(),
                    account.newer.clone(),
                )
            })
    });
    let mut results: Vec<Vec<Option<Answered>>> = plans
        .iter()
        .map(|a| (0..a.plan.queries.len()).map(|_| None).collect())
        .collect();
    for sent in bounded(jobs, options.concurrency).await? {
        results[sent.plan][sent.query] = Some(tolerate(sent.result, options.on_api_error)?);
    }
    let mut out = Vec::new();
    let mut fallbacks = Vec::new();
    for (p, account) in plans.iter().enumerate() {
        let answered = |q: usize| -> Result<(&[Conflict], LookupOperation), String> {
            match &results[p][q] {
                Some(Ok((Listed::All(found), operation))) => Ok((found, *operation)),
                Some(Err(reason)) => Err(reason.clone()),
                Some(Ok((Listed::TooLong, _))) | None => Err(TOO_LONG.to_string()),
            }
        };
        let query = |q: usize| &account.plan.queries[q];
        for (alias, answer) in &account.plan.answers {
            let result = match answer {
                Answer::NotMade(reason) => Err(reason.clone()),
                Answer::Own { query: q } => answered(*q).map(|(found, operation)| {
                    let mut conflicts = found.to_vec();
                    grouping::sort(&mut conflicts);
                    Probe {
                        distribution_id: query(*q).request.probe(),
                        operation,
                        query: query(*q).name.clone(),
                        conflicts,
                    }
                }),
                Answer::Grouped {
                    group,
                    representative,
                    own,
                } => {
                    if let Some(Ok((Listed::TooLong, _))) = &results[p][*group] {
                        fallbacks.push((p, alias.clone(), own.clone()));
                        continue;
                    }
                    answered(*group).and_then(|(grouped, operation)| {
                        let (rep, _) = answered(*representative)?;
                        Ok(Probe {
                            distribution_id: query(*group).request.probe(),
                            operation,
                            query: query(*group).name.clone(),
                            conflicts: grouping::conflicts_of(alias, grouped, rep),
                        })
                    })
                }
            };
            out.push(AliasLookup {
                alias: alias.clone(),
                account_id: account.clients.account_id.clone(),
                result,
            });
        }
    }
    // Members of groups whose answer ran past its budget: a query each.
    let jobs = fallbacks.iter().enumerate().map(|(i, (p, alias, own))| {
        let query = Query {
            name: alias.clone(),
            request: own.clone(),
            max_pages: None,
        };
        send(
            plans[*p].clients.clone(),
            *p,
            i,
            query,
            plans[*p].newer.clone(),
        )
    });
    for sent in bounded(jobs, options.concurrency).await? {
        let (_, alias, own) = &fallbacks[sent.query];
        // A query of one's own has no page budget; were it ever cut short,
        // the alias is not verified rather than clean.
        let result =
            tolerate(sent.result, options.on_api_error)?.and_then(|(listed, operation)| {
                let Listed::All(mut conflicts) = listed else {
                    return Err(TOO_LONG.to_string());
                };
                grouping::sort(&mut conflicts);
                Ok(Probe {
                    distribution_id: own.probe(),
                    operation,
                    query: alias.clone(),
                    conflicts,
                })
            });
        out.push(AliasLookup {
            alias: alias.clone(),
            account_id: plans[sent.plan].clients.account_id.clone(),
            result,
        });
    }
    out.sort_by(|a, b| (&a.alias, &a.account_id).cmp(&(&b.alias, &b.account_id)));
    Ok(out)
}

/// The plan of each account the asks reach: its unique aliases, each with
/// its own request, grouped where a probe covers the parent's wildcard.
fn plan_accounts(
    inventory: &Inventory,
    clients: &[Clients],
    asks: &[Ask],
    options: &AwsOptions,
) -> Vec<AccountPlan> {
    let mut by_account: Vec<(&Clients, &[DistributionFacts], Vec<_>)> = Vec::new();
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
        let request = request_for(ask, distributions, inventory, options);
        // A sensitive alias keeps its own query, so that nothing says which
        // parent it is under. A tenant's domain is validated against the
        // tenant (or its multi-tenant distribution) and keeps its own too.
        let groupable = ask.claimant == Claimant::Distribution && !ask.sensitive;
        let entry = match by_account
            .iter()
            .position(|(known, _, _)| known.account_id == c.account_id)
        {
            Some(i) => &mut by_account[i],
            None => {
                by_account.push((c, distributions, Vec::new()));
                let last = by_account.len() - 1;
                &mut by_account[last]
            }
        };
        entry.2.push((ask.alias.clone(), request, groupable));
    }
    by_account
        .into_iter()
        .map(|(c, distributions, aliases)| {
            let wildcard_request = |wildcard: &DomainName| {
                choose_probe(wildcard, None, distributions, &inventory.certificates, None)
                    .ok()
                    .map(Request::distribution)
            };
            AccountPlan {
                clients: c.clone(),
                plan: grouping::plan(aliases, options.group_lookups, wildcard_request),
                newer: Arc::new(AtomicBool::new(true)),
            }
        })
        .collect()
}

/// Every page of ListDomainConflicts for one name, validated against
/// `resource` (a standard distribution, a tenant, or a tenant's
/// multi-tenant distribution).
pub async fn list_domain_conflicts(
    client: &aws_sdk_cloudfront::Client,
    resource: DistributionResourceId,
    domain: &str,
    provider: &str,
) -> Result<Vec<Conflict>, FetchError> {
    Ok(
        list_domain_conflicts_within(client, resource, domain, provider, None)
            .await?
            .unwrap_or_default(),
    )
}

/// ListDomainConflicts for one name (or `*.parent`: "If you provide
/// *.example.com as input, the returned list can include *.example.com and
/// any alternate domain names covered by that wildcard", the API reference
/// above), reading at most `max_pages` pages: None when the answer has more.
pub async fn list_domain_conflicts_within(
    client: &aws_sdk_cloudfront::Client,
    resource: DistributionResourceId,
    domain: &str,
    provider: &str,
    max_pages: Option<usize>,
) -> Result<Option<Vec<Conflict>>, FetchError> {
    const OPERATION: &str = "cloudfront:ListDomainConflicts";
    let mut pages = Pages::new(OPERATION, provider);
    let mut marker = None;
    let mut out = Vec::new();
    let mut read = 0usize;
    loop {
        if max_pages.is_some_and(|max| read >= max) {
            return Ok(None);
        }
        read += 1;
        let page = client
            .list_domain_conflicts()
            .domain(domain)
            .domain_control_validation_resource(resource.clone())
            .max_items(100)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, provider))?;
        for c in page.domain_conflicts() {
            if c.domain().is_empty() || c.resource_id().is_empty() {
                return Err(pages.malformed("a conflict without its domain or resource ID"));
            }
            out.push(Conflict {
                alias: values::domain(&pages, c.domain())?,
                distribution_id: values::id(&pages, "a resource ID", c.resource_id())?,
                account_id: values::account(&pages, c.account_id())?,
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
            None => return Ok(Some(out)),
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
    Ok(list_conflicts_within(client, probe, alias, provider, None)
        .await?
        .unwrap_or_default())
}

/// ListConflictingAliases for one alias (or `*.parent`), reading at most
/// `max_pages` pages: None when the answer has more.
pub async fn list_conflicts_within(
    client: &aws_sdk_cloudfront::Client,
    probe: &str,
    alias: &str,
    provider: &str,
    max_pages: Option<usize>,
) -> Result<Option<Vec<Conflict>>, FetchError> {
    const OPERATION: &str = "cloudfront:ListConflictingAliases";
    let mut pages = Pages::new(OPERATION, provider);
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    let mut read = 0usize;
    loop {
        if max_pages.is_some_and(|max| read >= max) {
            return Ok(None);
        }
        read += 1;
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
                alias: values::domain(&pages, alias)?,
                distribution_id: values::id(&pages, "a distribution ID", id)?,
                account_id: values::account(&pages, account)?,
                resource_type: super::super::ResourceType::Distribution,
            });
        }
        match pages.next(list.next_marker())? {
            Some(next) => marker = Some(next),
            None => return Ok(Some(out)),
        }
    }
}
