//! The target of a move: `--to` as a distribution ID, a tenant ID (`dt_`),
//! or a resource address of the inputs (`--plan`); read now with
//! GetDistribution / GetDistributionTenant through the provider that
//! reaches it, and made into the one resource and claim the check judges.

use crate::facts::AwsOptions;
use crate::facts::aws::moves::{CallError, Mover, ResourceState, is_tenant_id};
use crate::input::Inputs;
use crate::model::{
    Action, Address, AliasEntry, AliasValue, CertificateUse, Claim, DomainName, Origin,
    ProviderConfig, Resource, ResourceKind, Span,
};
use crate::source::{Source, Sources};

/// The target, as CloudFront describes it now.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub kind: ResourceKind,
    /// The provider configuration that reaches it.
    pub provider: ProviderConfig,
    pub state: ResourceState,
    /// The resource of the inputs that manages it, when there is one.
    pub resource: Option<usize>,
}

impl Target {
    /// How the target is named in messages: its address, else its ID.
    pub fn name(&self, inputs: &Inputs) -> String {
        match self.resource {
            Some(i) => inputs.resources[i].address.to_string(),
            None => self.id.clone(),
        }
    }
}

/// The provider configurations of the inputs, or the default one.
pub fn providers(inputs: &Inputs) -> Vec<ProviderConfig> {
    if inputs.providers.is_empty() {
        vec![ProviderConfig {
            key: "aws".into(),
            profile: None,
            role_arn: None,
            region: None,
        }]
    } else {
        inputs.providers.clone()
    }
}

/// Whether `to` is a resource address rather than an ID.
fn is_address(to: &str) -> bool {
    to.starts_with("aws_") || to.starts_with("module.") || to.starts_with("data.")
}

/// Finds and reads the target. An error says what is wrong with `--to`,
/// or which read failed.
pub async fn resolve(to: &str, inputs: &Inputs, aws: &AwsOptions) -> Result<Target, String> {
    let providers = providers(inputs);
    let provider_of = |key: Option<&str>| {
        let key = key.unwrap_or("aws");
        providers
            .iter()
            .find(|p| p.key == key || key.rsplit(':').next() == Some(p.key.as_str()))
            .or(providers.first())
            .cloned()
            .expect("one provider at least")
    };
    let shown = crate::display::shown(to);
    let (id, resource) = if is_address(to) {
        let Some(i) = inputs
            .resources
            .iter()
            .position(|r| r.address.as_str() == to)
        else {
            return Err(format!(
                "no distribution or tenant `{shown}` in the inputs; give `--plan` the plan or \
                 configuration that has it, or `--to` its ID"
            ));
        };
        let Some(id) = inputs.resources[i].distribution_id.clone() else {
            return Err(format!(
                "`{shown}` has no ID yet (it is not created, or the configuration has no state): \
                 create it first without the alias, or give `--to` its ID"
            ));
        };
        (id, Some(i))
    } else {
        let found = inputs
            .resources
            .iter()
            .position(|r| r.distribution_id.as_deref() == Some(to));
        (to.to_string(), found)
    };
    let candidates: Vec<ProviderConfig> = match resource {
        Some(i) => vec![provider_of(inputs.resources[i].provider_key.as_deref())],
        None => providers.clone(),
    };
    let mut misses: Vec<String> = Vec::new();
    for provider in candidates {
        let mover = Mover::connect(&provider, aws).await;
        match mover.read(&id).await {
            Ok(mut state) => {
                // A tenant without a certificate of its own uses its
                // multi-tenant distribution's.
                if state.certificate_arn.is_none()
                    && let Some(parent) = state.tenant_of.clone()
                    && let Ok(p) = mover.read(&parent).await
                {
                    state.certificate_arn = p.certificate_arn;
                }
                return Ok(Target {
                    kind: if is_tenant_id(&id) {
                        ResourceKind::Tenant
                    } else {
                        ResourceKind::Distribution
                    },
                    id,
                    provider,
                    state,
                    resource,
                });
            }
            Err(e) if e.not_found() => misses.push(provider.key.clone()),
            Err(e) => return Err(read_failed(&e, &provider)),
        }
    }
    Err(format!(
        "`{}` is not a distribution or tenant of the account{} reached through provider{} `{}`",
        crate::display::shown(&id),
        if misses.len() == 1 { "" } else { "s" },
        if misses.len() == 1 { "" } else { "s" },
        misses
            .iter()
            .map(|m| crate::display::shown(m))
            .collect::<Vec<_>>()
            .join("`, `")
    ))
}

/// A failed read; CloudFront's own answers get the provider named (an
/// error with no answer, credentials or the network, names it already).
fn read_failed(e: &CallError, provider: &ProviderConfig) -> String {
    match e.status {
        Some(_) => format!("{e} (provider `{}`)", crate::display::shown(&provider.key)),
        None => e.to_string(),
    }
}

/// The inputs the check judges: the target alone, claiming the alias in
/// addition to the names it holds, with the providers of `from`, and
/// `sources` (those of `from`, given up by the caller) with one more for
/// `--to`.
pub fn as_inputs(target: &Target, alias: &str, from: &Inputs, mut sources: Sources) -> Inputs {
    let text = format!("--to {}", target.id);
    let source = sources.add(Source::new("--to", text.clone()));
    let span = Span {
        source,
        offset: 5,
        len: text.len() - 5,
    };
    let managed = target.resource.map(|i| &from.resources[i]);
    let before: Vec<DomainName> = target
        .state
        .aliases
        .iter()
        .map(|a| DomainName::new(a))
        .collect();
    let mut after: Vec<AliasEntry> = before
        .iter()
        .map(|a| AliasEntry {
            value: AliasValue::known(a.as_str()),
            span,
            sensitive: false,
        })
        .collect();
    after.push(AliasEntry {
        value: AliasValue::known(alias),
        span,
        sensitive: false,
    });
    let certificate = match (&target.state.certificate_arn, target.kind) {
        (Some(arn), _) => CertificateUse::Acm {
            arn: Some(arn.clone()),
            resource: None,
            names: None,
        },
        (None, ResourceKind::Distribution) => CertificateUse::CloudFrontDefault,
        (None, ResourceKind::Tenant) => CertificateUse::Unknown,
    };
    let resource = Resource {
        kind: target.kind,
        address: managed.map_or_else(|| Address::new(&target.id), |r| r.address.clone()),
        file: managed.map_or_else(|| "--to".to_string(), |r| r.file.clone()),
        module_address: managed
            .map(|r| r.module_address.clone())
            .unwrap_or_default(),
        action: Action::Update,
        replace_reason: None,
        provider_key: Some(target.provider.key.clone()),
        span,
        before,
        after,
        after_span: None,
        distribution_id: Some(target.id.clone()),
        parent_distribution_id: target.state.tenant_of.clone(),
        domain_name: (!target.state.domain_name.is_empty())
            .then(|| target.state.domain_name.clone()),
        retain_on_delete: false,
        wait_for_deployment: true,
        staging: false,
        connection_group_id: target.state.connection_group_id.clone(),
        certificate,
        depends_on: Vec::new(),
        origin: Origin::Plan,
    };
    Inputs {
        sources,
        resources: vec![resource],
        claims: vec![Claim {
            resource: 0,
            alias: AliasValue::known(alias),
            span,
            sensitive: false,
        }],
        providers: from.providers.clone(),
        ..Inputs::default()
    }
}
