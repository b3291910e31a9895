//! An account's distributions (ListDistributions) and the tenants of its
//! multi-tenant distributions (ListDistributionTenants).

use aws_sdk_cloudfront::types::ConnectionMode;

use super::super::DistributionFacts;
use super::super::paging::Pages;
use super::errors::classify;
use crate::error::FetchError;
use crate::model::DomainName;

/// The account's distributions, and the tenants of its multi-tenant
/// distributions (listed only when it has one).
pub async fn list_distributions(
    client: &aws_sdk_cloudfront::Client,
    provider: &str,
) -> Result<Vec<DistributionFacts>, FetchError> {
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
            let mut aliases: Vec<DomainName> = d
                .aliases()
                .map(|a| a.items().iter().map(|s| DomainName::new(s)).collect())
                .unwrap_or_default();
            let (mut enabled, mut status) = (d.enabled(), d.status().to_string());
            let mut certificate_arn = d
                .viewer_certificate()
                .and_then(|v| v.acm_certificate_arn())
                .filter(|a| !a.is_empty())
                .map(str::to_string);
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
                aliases = config
                    .and_then(|c| c.aliases())
                    .map(|a| a.items().iter().map(|s| DomainName::new(s)).collect())
                    .unwrap_or_default();
                certificate_arn = config
                    .and_then(|c| c.viewer_certificate())
                    .and_then(|v| v.acm_certificate_arn())
                    .filter(|a| !a.is_empty())
                    .map(str::to_string);
            }
            multi_tenant |= d.connection_mode() == Some(&ConnectionMode::TenantOnly);
            out.push(DistributionFacts {
                id: d.id().to_string(),
                arn: d.arn().to_string(),
                domain_name: d.domain_name().to_string(),
                status,
                enabled,
                aliases,
                certificate_arn,
                tenant_of: None,
            });
        }
        match pages.next(list.next_marker())? {
            Some(next) => marker = Some(next),
            None => break,
        }
    }
    if multi_tenant {
        const TENANTS: &str = "cloudfront:ListDistributionTenants";
        let mut pages = Pages::new(TENANTS, provider);
        let mut marker = None;
        let mut tenants = Vec::new();
        loop {
            let page = client
                .list_distribution_tenants()
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| classify(e, TENANTS, provider))?;
            for t in page.distribution_tenant_list() {
                let parent = out.iter().find(|d| d.id == t.distribution_id());
                tenants.push(DistributionFacts {
                    id: t.id().to_string(),
                    arn: t.arn().to_string(),
                    domain_name: parent.map(|p| p.domain_name.clone()).unwrap_or_default(),
                    status: t.status().unwrap_or_default().to_string(),
                    enabled: t.enabled().unwrap_or(true),
                    aliases: t
                        .domains()
                        .iter()
                        .map(|d| DomainName::new(d.domain()))
                        .collect(),
                    certificate_arn: None,
                    tenant_of: Some(t.distribution_id().to_string()),
                });
            }
            match pages.next(page.next_marker())? {
                Some(next) => marker = Some(next),
                None => break,
            }
        }
        out.extend(tenants);
    }
    Ok(out)
}
