//! The calls `move` makes to carry a move out: the target and the source
//! read just before (ETag, status, aliases, certificate), the mutating
//! calls (AssociateAlias, UpdateDomainAssociation, UpdateDistribution to
//! disable a source), and ListDomainConflicts to confirm where the name
//! sits. `check` never reaches this module.

use aws_sdk_cloudfront::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudfront::operation::RequestId;
use aws_sdk_cloudfront::types::DistributionResourceId;

use super::clients::sdk_config;
use super::lookups::list_domain_conflicts;
use crate::facts::{AwsOptions, Conflict};
use crate::model::{DomainName, ProviderConfig};

/// A distribution or tenant as GetDistribution / GetDistributionTenant
/// describe it just now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceState {
    pub id: String,
    /// For a tenant: its multi-tenant distribution.
    pub tenant_of: Option<String>,
    /// For a tenant: its connection group.
    pub connection_group_id: Option<String>,
    /// The ETag `IfMatch` needs.
    pub etag: String,
    pub status: String,
    pub enabled: bool,
    /// A distribution's `dxxxx.cloudfront.net` name (empty for a tenant).
    pub domain_name: String,
    pub aliases: Vec<String>,
    pub certificate_arn: Option<String>,
}

/// A call CloudFront (or the way to it) refused: the operation, AWS's
/// error code and message as AWS sent them (callers escape them), and the
/// request ID when there was one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub operation: String,
    /// Empty when no service answered (network, credentials, timeout).
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    /// The HTTP status, when a service answered.
    pub status: Option<u16>,
}

impl CallError {
    /// Whether CloudFront said the resource does not exist.
    pub fn not_found(&self) -> bool {
        matches!(
            self.code.as_str(),
            "NoSuchDistribution" | "EntityNotFound" | "NoSuchResource"
        ) || self.status == Some(404)
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = crate::display::shown;
        if self.code.is_empty() {
            write!(f, "{} failed: {}", self.operation, shown(&self.message))
        } else {
            write!(
                f,
                "{} failed: {}: {}",
                self.operation,
                shown(&self.code),
                shown(&self.message)
            )
        }
    }
}

fn call_error<E>(
    operation: &str,
    provider: &str,
    err: SdkError<E, aws_sdk_cloudfront::config::http::HttpResponse>,
) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(s) => CallError {
            operation: operation.to_string(),
            code: s.err().code().unwrap_or_default().to_string(),
            message: s
                .err()
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| format!("HTTP {}", s.raw().status().as_u16())),
            request_id: s.err().meta().request_id().map(str::to_string),
            status: Some(s.raw().status().as_u16()),
        },
        // No answer from CloudFront: credentials, the network, a timeout,
        // said as `check` says them.
        _ => CallError {
            operation: operation.to_string(),
            code: String::new(),
            message: super::errors::classify(err, &format!("cloudfront:{operation}"), provider)
                .to_string(),
            request_id: None,
            status: None,
        },
    }
}

/// The CloudFront client of one provider's account.
#[derive(Clone)]
pub struct Mover {
    client: aws_sdk_cloudfront::Client,
    provider: String,
}

/// Tenant IDs begin `dt_`
/// (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionTenant.html>).
pub fn is_tenant_id(id: &str) -> bool {
    id.starts_with("dt_")
}

impl Mover {
    pub async fn connect(provider: &ProviderConfig, options: &AwsOptions) -> Mover {
        let conf = sdk_config(provider, options).await;
        Mover {
            client: aws_sdk_cloudfront::Client::new(&conf),
            provider: provider.key.clone(),
        }
    }

    /// The provider configuration key the client was made for.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The resource now: GetDistribution, or GetDistributionTenant for a
    /// `dt_` ID.
    pub async fn read(&self, id: &str) -> Result<ResourceState, CallError> {
        if is_tenant_id(id) {
            let out = self
                .client
                .get_distribution_tenant()
                .identifier(id)
                .send()
                .await
                .map_err(|e| call_error("GetDistributionTenant", &self.provider, e))?;
            let t = out.distribution_tenant();
            return Ok(ResourceState {
                id: id.to_string(),
                tenant_of: t.and_then(|t| t.distribution_id()).map(str::to_string),
                connection_group_id: t.and_then(|t| t.connection_group_id()).map(str::to_string),
                etag: out.e_tag().unwrap_or_default().to_string(),
                status: t.and_then(|t| t.status()).unwrap_or_default().to_string(),
                enabled: t.and_then(|t| t.enabled()).unwrap_or(true),
                domain_name: String::new(),
                aliases: t
                    .map(|t| t.domains())
                    .unwrap_or_default()
                    .iter()
                    .map(|d| d.domain().to_string())
                    .collect(),
                certificate_arn: t
                    .and_then(|t| t.customizations())
                    .and_then(|c| c.certificate())
                    .map(|c| c.arn().to_string()),
            });
        }
        let out = self
            .client
            .get_distribution()
            .id(id)
            .send()
            .await
            .map_err(|e| call_error("GetDistribution", &self.provider, e))?;
        let d = out.distribution();
        let config = d.and_then(|d| d.distribution_config());
        Ok(ResourceState {
            id: id.to_string(),
            tenant_of: None,
            connection_group_id: None,
            etag: out.e_tag().unwrap_or_default().to_string(),
            status: d.map(|d| d.status()).unwrap_or_default().to_string(),
            enabled: config.map(|c| c.enabled()).unwrap_or(true),
            domain_name: d.map(|d| d.domain_name()).unwrap_or_default().to_string(),
            aliases: config
                .and_then(|c| c.aliases())
                .map(|a| a.items().to_vec())
                .unwrap_or_default(),
            certificate_arn: config
                .and_then(|c| c.viewer_certificate())
                .and_then(|v| v.acm_certificate_arn())
                .map(str::to_string),
        })
    }

    /// AssociateAlias: moves `alias` to the standard distribution `target`
    /// (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AssociateAlias.html>).
    /// Returns the request ID.
    pub async fn associate_alias(
        &self,
        target: &str,
        alias: &str,
    ) -> Result<Option<String>, CallError> {
        let out = self
            .client
            .associate_alias()
            .target_distribution_id(target)
            .alias(alias)
            .send()
            .await
            .map_err(|e| call_error("AssociateAlias", &self.provider, e))?;
        Ok(out.request_id().map(str::to_string))
    }

    /// UpdateDomainAssociation with the target's ETag read just before
    /// (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDomainAssociation.html>).
    /// Returns the request ID.
    pub async fn update_domain_association(
        &self,
        domain: &str,
        target: &str,
        etag: &str,
    ) -> Result<Option<String>, CallError> {
        let out = self
            .client
            .update_domain_association()
            .domain(domain)
            .target_resource(resource(target))
            .if_match(etag)
            .send()
            .await
            .map_err(|e| call_error("UpdateDomainAssociation", &self.provider, e))?;
        Ok(out.request_id().map(str::to_string))
    }

    /// Disables a standard distribution the way the API reference says to
    /// update one: GetDistributionConfig for the configuration and its
    /// ETag, then UpdateDistribution with the same configuration,
    /// `Enabled` false, and `IfMatch` that ETag
    /// (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistribution.html>:
    /// "Use GetDistributionConfig to get the current configuration,
    /// including the version identifier (ETag)"). Returns the request ID
    /// of UpdateDistribution, or None when it was disabled already. The
    /// configuration read must still name `alias`: a source that no longer
    /// holds it (another run moved it meanwhile) is not taken offline.
    pub async fn disable_distribution(
        &self,
        id: &str,
        alias: &str,
    ) -> Result<Option<String>, CallError> {
        let out = self
            .client
            .get_distribution_config()
            .id(id)
            .send()
            .await
            .map_err(|e| call_error("GetDistributionConfig", &self.provider, e))?;
        let etag = out.e_tag().unwrap_or_default().to_string();
        let Some(config) = out.distribution_config() else {
            return Err(CallError {
                operation: "GetDistributionConfig".into(),
                code: String::new(),
                message: "the answer has no DistributionConfig".into(),
                request_id: out.request_id().map(str::to_string),
                status: None,
            });
        };
        let holds = config
            .aliases()
            .map(|a| a.items())
            .unwrap_or_default()
            .iter()
            .any(|a| DomainName::new(a) == DomainName::new(alias));
        if !holds {
            return Err(CallError {
                operation: "GetDistributionConfig".into(),
                code: String::new(),
                message: format!(
                    "`{id}` no longer holds `{alias}`, so it was not disabled; run the same \
                     command again to see where the name is now"
                ),
                request_id: out.request_id().map(str::to_string),
                status: None,
            });
        }
        if !config.enabled() {
            return Ok(None);
        }
        let mut config = config.clone();
        config.enabled = false;
        let out = self
            .client
            .update_distribution()
            .id(id)
            .distribution_config(config)
            .if_match(etag)
            .send()
            .await
            .map_err(|e| call_error("UpdateDistribution", &self.provider, e))?;
        Ok(Some(out.request_id().unwrap_or_default().to_string()))
    }

    /// Who holds `alias`, asked with `target` as the validation resource.
    pub async fn holders(&self, target: &str, alias: &str) -> Result<Vec<Conflict>, String> {
        list_domain_conflicts(&self.client, resource(target), alias, &self.provider)
            .await
            .map_err(|e| e.to_string())
    }
}

fn resource(id: &str) -> DistributionResourceId {
    if is_tenant_id(id) {
        DistributionResourceId::builder()
            .distribution_tenant_id(id)
            .build()
    } else {
        DistributionResourceId::builder()
            .distribution_id(id)
            .build()
    }
}
