//! Asks AWS, read-only: who the caller is (STS GetCallerIdentity) and
//! which distributions each reachable account has (CloudFront
//! ListDistributions). The only module that talks to AWS.
//!
//! One client set per `aws` provider configuration of the plans, so a plan
//! with `aws` and `aws.legacy` inventories both accounts. Accounts reached by
//! several providers are listed once.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudfront::error::{ProvideErrorMetadata, SdkError};

use super::{AccountFacts, AwsOptions, DistributionFacts, Inventory, OnApiError};
use crate::error::FetchError;
use crate::model::{DomainName, ProviderConfig};

/// CloudFront, and the ACM certificates it uses, live in us-east-1.
const CLOUDFRONT_REGION: &str = "us-east-1";

/// Inventories every account the providers reach. With `--on-api-error=warn`
/// a failing account is kept with the reason; otherwise the first failure
/// is returned.
pub fn fetch(providers: &[ProviderConfig], options: &AwsOptions) -> Result<Inventory, FetchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| FetchError::Api {
            operation: "start".into(),
            provider: "aws".into(),
            detail: e.to_string(),
        })?;
    runtime.block_on(fetch_async(providers, options))
}

async fn fetch_async(
    providers: &[ProviderConfig],
    options: &AwsOptions,
) -> Result<Inventory, FetchError> {
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
    let mut configs: Vec<(String, SdkConfig)> = Vec::new();
    for provider in providers {
        let conf = sdk_config(provider, options).await;
        let account = match caller_account(&conf, &provider.key).await {
            Ok(account) => account,
            Err(e) if options.on_api_error == OnApiError::Warn => {
                inventory.accounts.push(AccountFacts {
                    account_id: "unknown".into(),
                    provider_keys: vec![provider.key.clone()],
                    distributions: Err(e.reason()),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        match inventory
            .accounts
            .iter_mut()
            .find(|a| a.account_id == account)
        {
            Some(existing) => existing.provider_keys.push(provider.key.clone()),
            None => {
                inventory.accounts.push(AccountFacts {
                    account_id: account,
                    provider_keys: vec![provider.key.clone()],
                    distributions: Ok(Vec::new()),
                });
                configs.push((provider.key.clone(), conf));
            }
        }
    }
    for (key, conf) in &configs {
        let listed = list_distributions(conf, key).await;
        let Some(account) = inventory
            .accounts
            .iter_mut()
            .find(|a| a.provider_keys.first() == Some(key))
        else {
            continue;
        };
        account.distributions = match listed {
            Ok(list) => Ok(list),
            Err(e) if options.on_api_error == OnApiError::Warn => Err(e.reason()),
            Err(e) => return Err(e),
        };
    }
    Ok(inventory)
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
        .retry_config(RetryConfig::standard().with_max_attempts(3))
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
    let out = sts.get_caller_identity().send().await.map_err(|e| {
        classify(
            e,
            "sts:GetCallerIdentity",
            "sts:GetCallerIdentity",
            provider,
        )
    })?;
    out.account()
        .map(str::to_string)
        .ok_or_else(|| FetchError::Api {
            operation: "sts:GetCallerIdentity".into(),
            provider: provider.into(),
            detail: "the answer has no account ID".into(),
        })
}

async fn list_distributions(
    conf: &SdkConfig,
    provider: &str,
) -> Result<Vec<DistributionFacts>, FetchError> {
    let client = aws_sdk_cloudfront::Client::new(conf);
    let mut pages = client.list_distributions().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            classify(
                e,
                "cloudfront:ListDistributions",
                "cloudfront:ListDistributions",
                provider,
            )
        })?;
        let Some(list) = page.distribution_list() else {
            continue;
        };
        for d in list.items() {
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
                    .map_err(|e| {
                        classify(
                            e,
                            "cloudfront:GetDistribution",
                            "cloudfront:GetDistribution",
                            provider,
                        )
                    })?;
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
            out.push(DistributionFacts {
                id: d.id().to_string(),
                arn: d.arn().to_string(),
                domain_name: d.domain_name().to_string(),
                status,
                enabled,
                aliases,
                certificate_arn,
            });
        }
    }
    Ok(out)
}

/// Turns an SDK error into what the user needs to know: which operation,
/// which permission, whether it is credentials, the network or the service.
fn classify<E>(
    err: SdkError<E, aws_sdk_cloudfront::config::http::HttpResponse>,
    operation: &str,
    permission: &str,
    provider: &str,
) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = chain(&err);
    let (operation, provider) = (operation.to_string(), provider.to_string());
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
                        permission: permission.to_string(),
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
