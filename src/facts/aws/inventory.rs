//! An account's distributions (ListDistributions), the tenants of its
//! multi-tenant distributions (ListDistributionTenants) and the connection
//! groups they are reached through (ListConnectionGroups). Every value is
//! checked as `values` says before it is kept.

use aws_sdk_cloudfront::types::ConnectionMode;

use super::super::paging::Pages;
use super::super::{ConnectionGroupFacts, DistributionFacts};
use super::errors::classify;
use super::values;
use crate::error::FetchError;
use crate::model::DomainName;

/// What one account holds.
pub struct Listing {
    pub distributions: Vec<DistributionFacts>,
    pub connection_groups: Vec<ConnectionGroupFacts>,
}

/// The account's distributions, and when it has a multi-tenant
/// distribution, its tenants and connection groups. A tenant's CloudFront
/// name is its connection group's routing endpoint, not its multi-tenant
/// distribution's domain: the DNS records of a tenant's domains point at
/// the routing endpoint
/// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/custom-connection-group.html>).
pub async fn list_distributions(
    client: &aws_sdk_cloudfront::Client,
    provider: &str,
) -> Result<Listing, FetchError> {
    const OPERATION: &str = "cloudfront:ListDistributions";
    let mut multi_tenant = false;
    let mut pages = Pages::new(OPERATION, provider);
    let mut marker = None;
    let mut out = Vec::new();
    loop {
        let page = client
            .list_distributions()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, provider))?;
        let list = page
            .distribution_list()
            .ok_or_else(|| pages.malformed("no DistributionList"))?;
        for d in list.items() {
            if d.id().is_empty() || d.domain_name().is_empty() {
                return Err(pages.malformed("a distribution without its ID or domain name"));
            }
            let mut aliases = d
                .aliases()
                .map(|a| a.items())
                .unwrap_or_default()
                .iter()
                .map(|s| values::domain(&pages, s))
                .collect::<Result<Vec<_>, _>>()?;
            let (mut enabled, mut status) = (d.enabled(), d.status().to_string());
            let mut certificate_arn = d
                .viewer_certificate()
                .and_then(|v| v.acm_certificate_arn())
                .filter(|a| !a.is_empty())
                .map(str::to_string);
            let mut staging = d.staging();
            // A distribution always has an origin; a summary with none is one
            // the endpoint sent incomplete (the SDK fills missing members
            // with empty defaults), so read the distribution itself.
            if d.origins().is_none_or(|o| o.quantity() == 0) {
                let full = client
                    .get_distribution()
                    .id(d.id())
                    .send()
                    .await
                    .map_err(|e| classify(e, "cloudfront:GetDistribution", provider))?;
                let config = full.distribution().and_then(|x| x.distribution_config());
                if let Some(x) = full.distribution() {
                    status = x.status().to_string();
                }
                enabled = config.is_some_and(|c| c.enabled());
                staging = config.and_then(|c| c.staging()).unwrap_or(false);
                aliases = config
                    .and_then(|c| c.aliases())
                    .map(|a| a.items())
                    .unwrap_or_default()
                    .iter()
                    .map(|s| values::domain(&pages, s))
                    .collect::<Result<Vec<_>, _>>()?;
                certificate_arn = config
                    .and_then(|c| c.viewer_certificate())
                    .and_then(|v| v.acm_certificate_arn())
                    .filter(|a| !a.is_empty())
                    .map(str::to_string);
            }
            multi_tenant |= d.connection_mode() == Some(&ConnectionMode::TenantOnly);
            out.push(DistributionFacts {
                id: values::id(&pages, "a distribution ID", d.id())?,
                arn: values::arn(&pages, d.arn())?,
                domain_name: values::domain(&pages, d.domain_name())?.to_string(),
                status: values::word(&pages, "a status", &status)?,
                enabled,
                aliases,
                certificate_arn: certificate_arn
                    .map(|a| values::arn(&pages, &a))
                    .transpose()?,
                tenant_of: None,
                connection_group_id: None,
                staging,
            });
        }
        match pages.next(list.next_marker())? {
            Some(next) => marker = Some(next),
            None => break,
        }
    }
    if !multi_tenant {
        return Ok(Listing {
            distributions: out,
            connection_groups: Vec::new(),
        });
    }
    let connection_groups = list_connection_groups(client, provider).await?;
    let tenants = list_tenants(client, provider, &connection_groups).await?;
    out.extend(tenants);
    Ok(Listing {
        distributions: out,
        connection_groups,
    })
}

/// Every connection group of the account.
async fn list_connection_groups(
    client: &aws_sdk_cloudfront::Client,
    provider: &str,
) -> Result<Vec<ConnectionGroupFacts>, FetchError> {
    const OPERATION: &str = "cloudfront:ListConnectionGroups";
    let mut pages = Pages::new(OPERATION, provider);
    let mut marker = None;
    let mut out = Vec::new();
    loop {
        let page = client
            .list_connection_groups()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, provider))?;
        for g in page.connection_groups() {
            out.push(ConnectionGroupFacts {
                id: values::id(&pages, "a connection group ID", g.id())?,
                name: values::word(&pages, "a connection group name", g.name())?,
                routing_endpoint: values::domain(&pages, g.routing_endpoint())?,
                is_default: g.is_default().unwrap_or(false),
                enabled: g.enabled().unwrap_or(true),
            });
        }
        match pages.next(page.next_marker())? {
            Some(next) => marker = Some(next),
            None => return Ok(out),
        }
    }
}

/// Every tenant of the account, each named by its connection group's
/// routing endpoint (the default group's when it names none).
async fn list_tenants(
    client: &aws_sdk_cloudfront::Client,
    provider: &str,
    groups: &[ConnectionGroupFacts],
) -> Result<Vec<DistributionFacts>, FetchError> {
    const OPERATION: &str = "cloudfront:ListDistributionTenants";
    let mut pages = Pages::new(OPERATION, provider);
    let mut marker = None;
    let mut tenants = Vec::new();
    loop {
        let page = client
            .list_distribution_tenants()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, provider))?;
        for t in page.distribution_tenant_list() {
            let group_id = t
                .connection_group_id()
                .filter(|g| !g.is_empty())
                .map(|g| values::id(&pages, "a connection group ID", g))
                .transpose()?;
            let group = match &group_id {
                Some(id) => groups.iter().find(|g| g.id == *id),
                None => groups.iter().find(|g| g.is_default),
            };
            tenants.push(DistributionFacts {
                id: values::id(&pages, "a tenant ID", t.id())?,
                arn: values::arn(&pages, t.arn())?,
                domain_name: group
                    .map(|g| g.routing_endpoint.to_string())
                    .unwrap_or_default(),
                status: values::word(&pages, "a status", t.status().unwrap_or_default())?,
                enabled: t.enabled().unwrap_or(true),
                aliases: t
                    .domains()
                    .iter()
                    .map(|d| values::domain(&pages, d.domain()))
                    .collect::<Result<Vec<DomainName>, _>>()?,
                // Its own certificate (`Customizations.Certificate.Arn`);
                // without one it serves its parent's.
                certificate_arn: t
                    .customizations()
                    .and_then(|c| c.certificate())
                    .map(|c| c.arn())
                    .filter(|a| !a.is_empty())
                    .map(|a| values::arn(&pages, a))
                    .transpose()?,
                tenant_of: Some(values::id(
                    &pages,
                    "a distribution ID",
                    t.distribution_id(),
                )?),
                connection_group_id: group_id,
                staging: false,
            });
        }
        match pages.next(page.next_marker())? {
            Some(next) => marker = Some(next),
            None => return Ok(tenants),
        }
    }
}
