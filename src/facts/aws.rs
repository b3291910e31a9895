//! Asks AWS, read-only: who the caller is (STS GetCallerIdentity), which
//! distributions each reachable account has (CloudFront ListDistributions),
//! the names of the ACM certificates they use (DescribeCertificate), and who
//! holds each alias anywhere in CloudFront (ListConflictingAliases). The
//! only module that talks to AWS.
//!
//! One client set per `aws` provider configuration of the plans, so a plan
//! with `aws` and `aws.legacy` inventories both accounts. Accounts reached by
//! several providers are listed once.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudfront::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudfront::types::{ConnectionMode, DistributionResourceId};

use std::collections::BTreeMap;

use super::paging::Pages;
use super::{
    AccountFacts, AliasLookup, Ask, AwsOptions, Conflict, DistributionFacts, Inventory, Probe,
    bounded, tolerate,
};
use crate::error::FetchError;
use crate::model::{DomainName, ProviderConfig};

/// CloudFront, and the ACM certificates it uses, live in us-east-1.
const CLOUDFRONT_REGION: &str = "us-east-1";

/// Inventories every account the providers reach, and looks up every
/// alias. With `--on-api-error=warn` a failing account is kept with the
/// reason; otherwise the first failure is returned. The clients come back
/// for the Route 53 reads that follow DNS.
pub async fn fetch(
    providers: &[ProviderConfig],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<(Inventory, Vec<Clients>), FetchError> {
    let result = fetch_accounts(providers, asks, options).await;
    say(options, "");
    result
}

fn say(options: &AwsOptions, message: &str) {
    if let Some(progress) = options.progress {
        progress(message);
    }
}

async fn fetch_accounts(
    providers: &[ProviderConfig],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<(Inventory, Vec<Clients>), FetchError> {
    let default = [ProviderConfig {
        key: "aws".into(),
        profile: None,
        role_arn: None,
        region: None,
    }];
    let providers = if providers.is_empty() {
        &default[..]
    } else {
        providers
    };
    let mut inventory = Inventory::default();
    let mut clients: Vec<Clients> = Vec::new();
    for provider in providers {
        say(
            options,
            &format!("asking AWS who provider `{}` is...", provider.key),
        );
        let conf = sdk_config(provider, options).await;
        let account = match tolerate(
            caller_account(&conf, &provider.key).await,
            options.on_api_error,
        )? {
            Ok(account) => account,
            Err(reason) => {
                inventory.accounts.push(AccountFacts {
                    account_id: "unknown".into(),
                    provider_keys: vec![provider.key.clone()],
                    distributions: Err(reason),
                });
                continue;
            }
        };
        // An account several providers reach is listed once.
        if let Some(existing) = inventory
            .accounts
            .iter_mut()
            .find(|a| a.account_id == account)
        {
            existing.provider_keys.push(provider.key.clone());
            continue;
        }
        say(
            options,
            &format!(
                "listing the distributions of provider `{}`...",
                provider.key
            ),
        );
        let c = Clients {
            account_id: account.clone(),
            provider: provider.key.clone(),
            cloudfront: aws_sdk_cloudfront::Client::new(&conf),
            acm: aws_sdk_acm::Client::new(&conf),
            route53: aws_sdk_route53::Client::new(&conf),
        };
        let distributions = tolerate(
            list_distributions(&c.cloudfront, &c.provider).await,
            options.on_api_error,
        )?;
        inventory.accounts.push(AccountFacts {
            account_id: account,
            provider_keys: vec![provider.key.clone()],
            distributions,
        });
        clients.push(c);
    }
    say(options, "reading certificate names from ACM...");
    inventory.certificates = describe_certificates(&inventory, &clients, asks, options).await?;
    say(
        options,
        &format!(
            "looking up {} aliases with ListConflictingAliases...",
            asks.len()
        ),
    );
    inventory.lookups = look_up(&inventory, &clients, asks, options).await?;
    Ok((inventory, clients))
}

/// The clients of one account.
#[derive(Clone)]
pub struct Clients {
    pub account_id: String,
    /// The provider configuration key the clients were built for.
    pub provider: String,
    pub cloudfront: aws_sdk_cloudfront::Client,
    pub acm: aws_sdk_acm::Client,
    pub route53: aws_sdk_route53::Client,
}

type CertificateNames = BTreeMap<String, Result<Vec<DomainName>, String>>;

/// Names of every ACM certificate the listed distributions use, asked from
/// the account that owns the distribution, and of those the plan's
/// distributions name by ARN, asked from the claiming resource's account.
pub async fn describe_certificates(
    inventory: &Inventory,
    clients: &[Clients],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<CertificateNames, FetchError> {
    // Each ARN once, asked with the clients of the account that uses it.
    let mut wanted: Vec<(String, &Clients)> = Vec::new();
    let mut want = |arn: &str, account_id: &str| {
        if wanted.iter().any(|(a, _)| a == arn) {
            return;
        }
        if let Some(c) = clients.iter().find(|c| c.account_id == account_id) {
            wanted.push((arn.to_string(), c));
        }
    };
    for account in &inventory.accounts {
        for d in account.distributions.iter().flatten() {
            if let Some(arn) = &d.certificate_arn {
                want(arn, &account.account_id);
            }
        }
    }
    for ask in asks {
        if let (Some(arn), Some(account)) = (
            &ask.certificate_arn,
            inventory.account_of(ask.provider_key.as_deref()),
        ) {
            want(arn, &account.account_id);
        }
    }
    let jobs = wanted.into_iter().map(|(arn, c)| {
        let c = c.clone();
        async move {
            let names = certificate_names(&c.acm, &arn, &c.provider).await;
            (arn, names)
        }
    });
    let mut out = BTreeMap::new();
    for (arn, names) in bounded(jobs, options.concurrency).await? {
        out.insert(arn, tolerate(names, options.on_api_error)?);
    }
    Ok(out)
}

/// The domain name and SANs of an ACM certificate.
pub async fn certificate_names(
    acm: &aws_sdk_acm::Client,
    arn: &str,
    provider: &str,
) -> Result<Vec<DomainName>, FetchError> {
    let out = acm
        .describe_certificate()
        .certificate_arn(arn)
        .send()
        .await
        .map_err(|e| classify(e, "acm:DescribeCertificate", provider))?;
    // An answer without the certificate or its name is not "no names": it
    // would turn into false certificate-does-not-cover errors.
    let certificate = out
        .certificate()
        .filter(|c| c.domain_name().is_some_and(|d| !d.is_empty()))
        .ok_or_else(|| FetchError::Api {
            operation: "acm:DescribeCertificate".into(),
            provider: provider.into(),
            detail: format!("the answer for `{arn}` has no certificate domain name"),
        })?;
    let mut names = Vec::new();
    for n in certificate.domain_name().into_iter().chain(
        certificate
            .subject_alternative_names()
            .iter()
            .map(String::as_str),
    ) {
        let n = DomainName::new(n);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    Ok(names)
}

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
    match &ask.tenant_of {
        None => choose_probe(
            &ask.alias,
            ask.target_id.as_deref(),
            distributions,
            &inventory.certificates,
            options.probe_distribution.as_deref(),
        )
        .map(|probe| Request::Alias { probe }),
        Some(parent) => match (&ask.target_id, parent) {
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
                        super::ResourceType::Tenant
                    }
                    _ => super::ResourceType::Distribution,
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
                resource_type: super::ResourceType::Distribution,
            });
        }
        match pages.next(list.next_marker())? {
            Some(next) => marker = Some(next),
            None => return Ok(out),
        }
    }
}

/// Retries with backoff for throttling and 5xx answers, as every client uses.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(3)
}

/// The SDK configuration for one provider: the standard credential chain,
/// the profile and role the provider block (or the flags) name, us-east-1.
async fn sdk_config(provider: &ProviderConfig, options: &AwsOptions) -> SdkConfig {
    let profile = options
        .provider_profiles
        .iter()
        .find(|(key, _)| *key == provider.key)
        .map(|(_, p)| p.clone())
        .or_else(|| provider.profile.clone())
        .or_else(|| options.profile.clone());
    let role = provider
        .role_arn
        .clone()
        .or_else(|| options.assume_role.clone());
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(CLOUDFRONT_REGION))
        .retry_config(retry_config())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(options.timeout)
                .operation_timeout(options.timeout * 3)
                .connect_timeout(Duration::from_secs(5).min(options.timeout))
                .build(),
        );
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let base = loader.load().await;
    match role {
        Some(role) => {
            let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name("cname-preflight")
                .configure(&base)
                .build()
                .await;
            base.into_builder()
                .credentials_provider(
                    aws_credential_types::provider::SharedCredentialsProvider::new(assumed),
                )
                .build()
        }
        None => base,
    }
}

async fn caller_account(conf: &SdkConfig, provider: &str) -> Result<String, FetchError> {
    let sts = aws_sdk_sts::Client::new(conf);
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| classify(e, "sts:GetCallerIdentity", provider))?;
    out.account()
        .map(str::to_string)
        .ok_or_else(|| FetchError::Api {
            operation: "sts:GetCallerIdentity".into(),
            provider: provider.into(),
            detail: "the answer has no account ID".into(),
        })
}

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

/// Turns an SDK error into what the user needs to know: which operation,
/// which permission, whether it is credentials, the network or the service.
///
/// `action` names the operation as IAM does (`cloudfront:ListDistributions`),
/// which is also the permission it needs.
pub(crate) fn classify<E>(
    err: SdkError<E, aws_sdk_cloudfront::config::http::HttpResponse>,
    action: &str,
    provider: &str,
) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = chain(&err);
    let (operation, provider) = (action.to_string(), provider.to_string());
    match &err {
        SdkError::TimeoutError(_) => FetchError::Timeout {
            operation,
            provider,
        },
        SdkError::DispatchFailure(d) if d.is_timeout() => FetchError::Timeout {
            operation,
            provider,
        },
        SdkError::DispatchFailure(d) if d.is_io() => FetchError::Unreachable {
            operation,
            provider,
            detail,
        },
        SdkError::ServiceError(s) => {
            let status = s.raw().status().as_u16();
            let code = s.err().code().unwrap_or_default();
            match code {
                "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
                    FetchError::AccessDenied {
                        operation,
                        permission: action.to_string(),
                        provider,
                        detail: s.err().message().unwrap_or(code).to_string(),
                    }
                }
                "InvalidClientTokenId"
                | "ExpiredToken"
                | "ExpiredTokenException"
                | "SignatureDoesNotMatch"
                | "UnrecognizedClientException" => FetchError::Credentials { provider, detail },
                _ if status == 404 && code.is_empty() => FetchError::Unsupported {
                    operation,
                    provider,
                },
                _ => FetchError::Api {
                    operation,
                    provider,
                    detail,
                },
            }
        }
        _ if detail.contains("no credentials found in chain") => FetchError::Credentials {
            provider,
            detail: "none found in the environment, profiles, web identity, container or \
                     instance metadata"
                .into(),
        },
        _ if detail.contains("credential") => FetchError::Credentials { provider, detail },
        _ => FetchError::Api {
            operation,
            provider,
            detail,
        },
    }
}

/// The messages of an error and its sources, without repeats: the SDK's
/// outer layers ("dispatch failure") say little on their own.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudfront::Client;
    use aws_sdk_cloudfront::operation::list_conflicting_aliases::{
        ListConflictingAliasesError, ListConflictingAliasesOutput,
    };
    use aws_sdk_cloudfront::types::error::{InvalidArgument, NoSuchDistribution};
    use aws_sdk_cloudfront::types::{ConflictingAlias, ConflictingAliasesList};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    fn page(items: &[(&str, &str, &str)], next: Option<&str>) -> ListConflictingAliasesOutput {
        let mut list = ConflictingAliasesList::builder()
            .max_items(100)
            .quantity(items.len() as i32)
            .set_next_marker(next.map(str::to_string));
        for (alias, id, account) in items {
            list = list.items(
                ConflictingAlias::builder()
                    .alias(*alias)
                    .distribution_id(*id)
                    .account_id(*account)
                    .build(),
            );
        }
        ListConflictingAliasesOutput::builder()
            .conflicting_aliases_list(list.build())
            .build()
    }

    fn error_xml(code: &str, message: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
             <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>5e8d7f3c-example</RequestId></ErrorResponse>"
        )
    }

    #[tokio::test]
    async fn follows_next_marker_across_pages() {
        let first = mock!(Client::list_conflicting_aliases)
            .match_requests(|r| {
                r.marker().is_none() && r.distribution_id() == Some("EPROBE1234567")
            })
            .then_output(|| {
                page(
                    &[("www.example.com", "*******EXAMPLE", "******789012")],
                    Some("page-2"),
                )
            });
        let second = mock!(Client::list_conflicting_aliases)
            .match_requests(|r| r.marker() == Some("page-2"))
            .then_output(|| page(&[("*.example.com", "******WILDCRD", "******210987")], None));
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&first, &second]);
        let found = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
            .await
            .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].distribution_id, "*******EXAMPLE");
        assert_eq!(found[1].alias, DomainName::new("*.example.com"));
        assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    }

    /// An answer whose marker never ends, with a new marker each page or the
    /// same one again, is an error after the page limit or at the repeat.
    #[tokio::test]
    async fn endless_or_repeated_markers_are_errors() {
        let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let next = counter.clone();
        let endless = mock!(Client::list_conflicting_aliases).then_output(move || {
            let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            page(&[], Some(&format!("marker-{n}")))
        });
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&endless]);
        let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("past 1000 pages"), "{err}");
        assert_eq!(endless.num_calls(), crate::facts::paging::MAX_PAGES);

        let same = mock!(Client::list_conflicting_aliases).then_output(|| page(&[], Some("again")));
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&same]);
        let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("never end"), "{err}");
        assert_eq!(same.num_calls(), 2);

        // ListDistributions used to stop quietly after two pages.
        let listing = mock!(Client::list_distributions).then_output(|| {
            aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput::builder()
                .distribution_list(
                    aws_sdk_cloudfront::types::DistributionList::builder()
                        .marker("")
                        .max_items(100)
                        .is_truncated(true)
                        .quantity(0)
                        .next_marker("again")
                        .build()
                        .unwrap(),
                )
                .build()
        });
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&listing]);
        let err = list_distributions(&client, "aws").await.unwrap_err();
        assert!(err.to_string().contains("never end"), "{err}");
    }

    /// An answer without the list it must have is an API error, not "none".
    #[tokio::test]
    async fn empty_answers_are_errors() {
        let empty = mock!(Client::list_conflicting_aliases)
            .then_output(|| ListConflictingAliasesOutput::builder().build());
        let client = mock_client!(aws_sdk_cloudfront, [&empty]);
        let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("malformed"), "{err}");

        let acm = mock!(aws_sdk_acm::Client::describe_certificate).then_output(|| {
            aws_sdk_acm::operation::describe_certificate::DescribeCertificateOutput::builder()
                .build()
        });
        let client = mock_client!(aws_sdk_acm, [&acm]);
        let arn = "arn:aws:acm:us-east-1:111111111111:certificate/0b6e1f4c";
        let err = certificate_names(&client, arn, "aws").await.unwrap_err();
        assert!(
            err.to_string().contains("no certificate domain name"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn access_denied_names_the_permission() {
        let rule = mock!(Client::list_conflicting_aliases)
            .sequence()
            .http_status(
                403,
                Some(error_xml(
                    "AccessDenied",
                    "User is not authorized to perform cloudfront:ListConflictingAliases",
                )),
            )
            .build();
        let client = mock_client!(aws_sdk_cloudfront, [&rule]);
        let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws.legacy")
            .await
            .unwrap_err();
        match &err {
            FetchError::AccessDenied {
                permission,
                provider,
                ..
            } => {
                assert_eq!(permission, "cloudfront:ListConflictingAliases");
                assert_eq!(provider, "aws.legacy");
            }
            other => panic!("expected AccessDenied, got {other:?}"),
        }
        assert!(
            err.reason()
                .contains("allow `cloudfront:ListConflictingAliases`")
        );
    }

    #[tokio::test]
    async fn no_such_distribution_and_invalid_argument_are_api_errors_with_the_reason() {
        let missing = mock!(Client::list_conflicting_aliases).then_error(|| {
            ListConflictingAliasesError::NoSuchDistribution(
                NoSuchDistribution::builder()
                    .message("The specified distribution does not exist.")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_cloudfront, [&missing]);
        let err = list_conflicts(&client, "EWRONG", "www.example.com", "aws")
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::Api { .. }), "{err:?}");
        assert!(err.to_string().contains("does not exist"), "{err}");

        let invalid = mock!(Client::list_conflicting_aliases).then_error(|| {
            ListConflictingAliasesError::InvalidArgument(
                InvalidArgument::builder()
                    .message("The certificate of the distribution does not cover the alias.")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_cloudfront, [&invalid]);
        let err = list_conflicts(&client, "EPROBE", "www.example.com", "aws")
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("does not cover the alias"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn throttling_is_retried_with_the_shared_retry_settings() {
        let rule = mock!(Client::list_conflicting_aliases)
            .sequence()
            .http_status(400, Some(error_xml("Throttling", "Rate exceeded")))
            .times(2)
            .output(|| page(&[], None))
            .build();
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::Sequential, [&rule], |c| {
            c.retry_config(retry_config().with_initial_backoff(Duration::from_millis(1)))
        });
        let found = list_conflicts(&client, "EPROBE", "www.example.com", "aws")
            .await
            .unwrap();
        assert!(found.is_empty());
        assert_eq!(rule.num_calls(), 3);

        // A fourth throttle exceeds the three attempts and is reported.
        let rule = mock!(Client::list_conflicting_aliases)
            .sequence()
            .http_status(400, Some(error_xml("Throttling", "Rate exceeded")))
            .times(3)
            .build();
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::Sequential, [&rule], |c| {
            c.retry_config(retry_config().with_initial_backoff(Duration::from_millis(1)))
        });
        let err = list_conflicts(&client, "EPROBE", "www.example.com", "aws")
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("Throttling") || err.to_string().contains("Rate exceeded"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn tenant_domains_are_looked_up_with_list_domain_conflicts_across_pages() {
        use aws_sdk_cloudfront::operation::list_domain_conflicts::ListDomainConflictsOutput;
        use aws_sdk_cloudfront::types::{DistributionResourceType, DomainConflict};
        let conflict = |domain: &str, id: &str| {
            DomainConflict::builder()
                .domain(domain)
                .resource_type(DistributionResourceType::DistributionTenant)
                .resource_id(id)
                .account_id("********9999")
                .build()
                .unwrap()
        };
        let first = mock!(Client::list_domain_conflicts)
            .match_requests(|r| {
                r.marker().is_none()
                    && r.domain_control_validation_resource()
                        .and_then(|v| v.distribution_id())
                        == Some("EMULTITENANT1")
            })
            .then_output(move || {
                ListDomainConflictsOutput::builder()
                    .domain_conflicts(conflict("shop.example.com", "*******TENANT1"))
                    .next_marker("p2")
                    .build()
            });
        let second = mock!(Client::list_domain_conflicts)
            .match_requests(|r| r.marker() == Some("p2"))
            .then_output(move || {
                ListDomainConflictsOutput::builder()
                    .domain_conflicts(conflict("*.example.com", "*******TENANT2"))
                    .build()
            });
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&first, &second]);
        let resource = DistributionResourceId::builder()
            .distribution_id("EMULTITENANT1")
            .build();
        let found = list_domain_conflicts(&client, resource, "shop.example.com", "aws")
            .await
            .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].distribution_id, "*******TENANT1");
        assert_eq!(found[1].alias, DomainName::new("*.example.com"));
    }

    #[tokio::test]
    async fn tenants_of_multi_tenant_distributions_are_listed_with_their_domains() {
        use aws_sdk_cloudfront::operation::list_distribution_tenants::ListDistributionTenantsOutput;
        use aws_sdk_cloudfront::types::*;
        let summary = DistributionSummary::builder()
            .id("EMULTITENANT1")
            .arn("arn:aws:cloudfront::111111111111:distribution/EMULTITENANT1")
            .status("Deployed")
            .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
            .domain_name("d111saas.cloudfront.net")
            .aliases(Aliases::builder().quantity(0).build().unwrap())
            .origins(
                Origins::builder()
                    .quantity(1)
                    .items(
                        Origin::builder()
                            .id("o")
                            .domain_name("o.example.com")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .connection_mode(ConnectionMode::TenantOnly)
            .comment("saas")
            .price_class(PriceClass::PriceClassAll)
            .enabled(true)
            .web_acl_id("")
            .http_version(HttpVersion::Http2)
            .is_ipv6_enabled(true)
            .staging(false)
            .build()
            .unwrap();
        let list = mock!(Client::list_distributions).then_output(move || {
            aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput::builder()
                .distribution_list(
                    aws_sdk_cloudfront::types::DistributionList::builder()
                        .marker("")
                        .max_items(100)
                        .is_truncated(false)
                        .quantity(1)
                        .items(summary.clone())
                        .build()
                        .unwrap(),
                )
                .build()
        });
        let tenants = mock!(Client::list_distribution_tenants).then_output(|| {
            ListDistributionTenantsOutput::builder()
                .distribution_tenant_list(
                    DistributionTenantSummary::builder()
                        .id("dt_shop")
                        .distribution_id("EMULTITENANT1")
                        .name("shop")
                        .arn("arn:aws:cloudfront::111111111111:distribution-tenant/dt_shop")
                        .domains(
                            DomainResult::builder()
                                .domain("shop.example.com")
                                .build()
                                .unwrap(),
                        )
                        .created_time(aws_smithy_types::DateTime::from_secs(0))
                        .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
                        .e_tag("E1")
                        .enabled(true)
                        .status("Deployed")
                        .build()
                        .unwrap(),
                )
                .build()
        });
        let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&list, &tenants]);
        let found = list_distributions(&client, "aws").await.unwrap();
        assert_eq!(found.len(), 2, "{found:#?}");
        let tenant = &found[1];
        assert_eq!(tenant.tenant_of.as_deref(), Some("EMULTITENANT1"));
        assert_eq!(tenant.aliases, vec![DomainName::new("shop.example.com")]);
        assert_eq!(tenant.domain_name, "d111saas.cloudfront.net");
        assert_eq!(
            tenant.describe(),
            "tenant `dt_shop` (of distribution `EMULTITENANT1`)"
        );
        assert_eq!(tenants.num_calls(), 1);
    }

    fn distribution(id: &str, cert: Option<&str>) -> DistributionFacts {
        DistributionFacts {
            id: id.into(),
            arn: format!("arn:aws:cloudfront::111111111111:distribution/{id}"),
            domain_name: format!("{}.cloudfront.net", id.to_lowercase()),
            status: "Deployed".into(),
            enabled: true,
            aliases: Vec::new(),
            certificate_arn: cert.map(str::to_string),
            tenant_of: None,
        }
    }

    #[test]
    fn probe_prefers_the_target_then_any_covering_distribution_then_the_flag() {
        let alias = DomainName::new("www.example.com");
        let mut certs = CertificateNames::new();
        certs.insert(
            "arn:wild".into(),
            Ok(vec![DomainName::new("*.example.com")]),
        );
        certs.insert(
            "arn:other".into(),
            Ok(vec![DomainName::new("shop.example.net")]),
        );
        let dists = vec![
            distribution("EOTHER", Some("arn:other")),
            distribution("EWILD", Some("arn:wild")),
            distribution("ETARGET", Some("arn:wild")),
        ];
        assert_eq!(
            choose_probe(&alias, Some("ETARGET"), &dists, &certs, None).unwrap(),
            "ETARGET"
        );
        assert_eq!(
            choose_probe(&alias, Some("EOTHER"), &dists, &certs, None).unwrap(),
            "EWILD"
        );
        assert_eq!(
            choose_probe(&alias, None, &dists[..1], &certs, Some("EFLAG")).unwrap(),
            "EFLAG"
        );
        let why = choose_probe(&alias, None, &dists[..1], &certs, None).unwrap_err();
        assert!(why.contains("--probe-distribution"), "{why}");
        // `*.example.com` covers one label only.
        let deep = DomainName::new("a.b.example.com");
        assert!(choose_probe(&deep, None, &dists, &certs, None).is_err());
    }
}
