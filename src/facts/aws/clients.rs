//! The SDK clients of one account: credentials, profile and role per
//! provider configuration, retries and timeouts, and who the caller is.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use super::super::AwsOptions;
use super::errors::classify;
use crate::error::FetchError;
use crate::model::ProviderConfig;

/// CloudFront, and the ACM certificates it uses, live in us-east-1.
const CLOUDFRONT_REGION: &str = "us-east-1";

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

/// Retries with backoff for throttling and 5xx answers, as every client
/// uses. Adaptive mode also slows the client's own request rate once AWS
/// throttles it, so that the requests after a throttle wait instead of
/// failing; three attempts keep an unreachable endpoint's failure prompt.
pub fn retry_config() -> RetryConfig {
    RetryConfig::adaptive().with_max_attempts(3)
}

/// The SDK configuration for one provider: the standard credential chain,
/// the profile and role the provider block (or the flags) name, us-east-1.
pub(super) async fn sdk_config(provider: &ProviderConfig, options: &AwsOptions) -> SdkConfig {
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

pub(super) async fn caller_account(conf: &SdkConfig, provider: &str) -> Result<String, FetchError> {
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
