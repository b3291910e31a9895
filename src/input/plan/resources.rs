//! Distributions and tenants from their resource changes: the aliases
//! before and after (known, unknown, sensitive), the certificate, the
//! ordering the configuration gives.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::input::address;
use crate::model::{
    Address, AliasEntry, AliasValue, DomainName, Origin, ReplaceReason, Resource, ResourceKind,
    SourceId, Span,
};
use crate::source::Source;

use super::certificates::*;
use super::config::*;
use super::document::*;

/// The attributes of `aws_cloudfront_distribution` and
/// `aws_cloudfront_distribution_tenant` objects that we read.
#[derive(Deserialize, Default)]
pub(super) struct ObjectState<'a> {
    /// For a tenant: its multi-tenant distribution.
    #[serde(default)]
    pub(super) distribution_id: Option<String>,
    #[serde(borrow, default)]
    pub(super) aliases: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) domain: Option<&'a RawValue>,
    #[serde(default)]
    pub(super) id: Option<String>,
    #[serde(default)]
    pub(super) domain_name: Option<String>,
    #[serde(default)]
    pub(super) retain_on_delete: Option<bool>,
    #[serde(default)]
    pub(super) wait_for_deployment: Option<bool>,
    #[serde(default)]
    pub(super) staging: Option<bool>,
    /// For a tenant: its connection group, absent for the default one.
    #[serde(default)]
    pub(super) connection_group_id: Option<String>,
    #[serde(default)]
    pub(super) viewer_certificate: Option<Vec<ViewerCertificate>>,
}

#[derive(Deserialize)]
pub(super) struct TenantDomain<'a> {
    #[serde(borrow)]
    pub(super) domain: &'a RawValue,
}

pub(super) fn read_resource(
    source: &Source,
    id: SourceId,
    rc: &RawChange,
    kind: ResourceKind,
    planned: &Planned,
) -> Result<Resource, InputError> {
    let config = planned.config;
    let change: Change = parse(source, rc.change)?;
    let action = read_actions(source, change.actions)?;
    let before: ObjectState = parse_or_default(source, change.before)?;
    let after: ObjectState = parse_or_default(source, change.after)?;
    // One pass over `after_unknown`: the alias flags stay a borrowed slice
    // (for the span of a whole-attribute `true`) and are read from it.
    let unknown: UnknownFlags = parse_or_default(source, change.after_unknown)?;
    let after_sensitive: serde_json::Value = parse_or_default(source, change.after_sensitive)?;
    let unknown_raw = match kind {
        ResourceKind::Distribution => unknown.aliases,
        ResourceKind::Tenant => unknown.domain,
    };
    let unknown_flags: serde_json::Value = parse_or_default(source, unknown_raw)?;

    let address = Address {
        path: string_of(source, rc.address)?,
        deposed: rc.deposed.as_deref().map(str::to_string),
    };
    let module_address = rc.module_address.as_deref().unwrap_or("").to_string();
    let module_path = address::strip_keys(&module_address);
    let config_address = format!("{}.{}", rc.kind, resource_name(address.as_str()));
    let refs = config.resources.get(&(module_path.clone(), config_address));

    let attr = match kind {
        ResourceKind::Distribution => "aliases",
        ResourceKind::Tenant => "domain",
    };
    let before_aliases = match kind {
        ResourceKind::Distribution => before.aliases,
        ResourceKind::Tenant => before.domain,
    };
    let after_aliases = match kind {
        ResourceKind::Distribution => after.aliases,
        ResourceKind::Tenant => after.domain,
    };

    let before_names = alias_values(source, kind, before_aliases)?
        .into_iter()
        .map(|raw| parse::<String>(source, raw).map(|s| DomainName::new(&s)))
        .collect::<Result<Vec<_>, _>>()?;

    let sensitive_all = is_true(&after_sensitive[attr]);
    let reason = || unknown_reason(refs, attr);
    let mut entries = Vec::new();
    for (i, raw) in alias_values(source, kind, after_aliases)?
        .into_iter()
        .enumerate()
    {
        let span = source.span_of(id, raw.get());
        // An element not known until apply is `null` in `after` and `true`
        // at the same index of `after_unknown`.
        if element_flag(&unknown_flags, i, kind) {
            entries.push(AliasEntry {
                value: AliasValue::Unknown { reason: reason() },
                span,
                sensitive: false,
            });
            continue;
        }
        let value: String = match serde_json::from_str(raw.get()) {
            Ok(v) => v,
            Err(_) => {
                return Err(shape_error(
                    source,
                    raw.get(),
                    format!("`{attr}` of `{address}` holds something other than a string"),
                    "expected the unmodified output of `terraform show -json tfplan`",
                ));
            }
        };
        let sensitive = sensitive_all || element_flag(&after_sensitive[attr], i, kind);
        entries.push(AliasEntry {
            value: AliasValue::known(&value),
            span,
            sensitive,
        });
    }

    // The whole attribute not known until apply: `after` omits it and
    // `after_unknown` has `true`.
    if let Some(raw) = unknown_raw
        && is_true(&unknown_flags)
    {
        entries.push(AliasEntry {
            value: AliasValue::Unknown { reason: reason() },
            span: source.span_of(id, raw.get()),
            sensitive: false,
        });
    }

    let after_span = after_aliases.map(|raw| {
        let raw = raw.get();
        let at = source.offset_of(raw);
        // Label the opening bracket: the array itself may span many lines.
        Span {
            source: id,
            offset: at,
            len: 1,
        }
    });

    let vc_after = after.viewer_certificate.as_ref().and_then(|v| v.first());
    let vc_unknown = &unknown.viewer_certificate;
    let parent_distribution_id = match kind {
        ResourceKind::Tenant => after
            .distribution_id
            .clone()
            .or(before.distribution_id.clone())
            .filter(|d| !d.is_empty()),
        ResourceKind::Distribution => None,
    };
    let certificate = match kind {
        ResourceKind::Distribution => certificate_use(
            vc_after,
            vc_unknown,
            refs,
            &module_address,
            planned.certificates,
            config,
        ),
        ResourceKind::Tenant => tenant_certificate_use(
            &parse_or_default(source, change.after)?,
            &unknown.customizations,
            parent_distribution_id.as_deref(),
            refs,
            &module_address,
            planned,
        ),
    };

    let depends_on = dependencies(&module_address, refs, config);
    let state_id = before.id.clone().or(after.id.clone());

    Ok(Resource {
        kind,
        span: source.span_of(id, rc.address.get()),
        file: source.name.clone(),
        address,
        module_address,
        action,
        replace_reason: rc
            .action_reason
            .as_deref()
            .and_then(ReplaceReason::from_plan),
        provider_key: refs.and_then(|r| r.provider_config_key.clone()),
        before: before_names,
        after: entries,
        after_span,
        distribution_id: state_id,
        parent_distribution_id,
        domain_name: before.domain_name.or(after.domain_name),
        retain_on_delete: before
            .retain_on_delete
            .or(after.retain_on_delete)
            .unwrap_or(false),
        wait_for_deployment: after.wait_for_deployment.unwrap_or(true),
        staging: kind == ResourceKind::Distribution && after.staging.unwrap_or(false),
        connection_group_id: match kind {
            ResourceKind::Tenant => after
                .connection_group_id
                .clone()
                .or(before.connection_group_id.clone())
                .filter(|g| !g.is_empty()),
            ResourceKind::Distribution => None,
        },
        certificate,
        depends_on,
        origin: Origin::Plan,
    })
}

/// A connection group the plan manages: its ID and routing endpoint, where
/// both are known before apply (the tenants that name it are reached
/// through that endpoint).
pub(super) struct PlannedConnectionGroup {
    pub(super) id: String,
    pub(super) routing_endpoint: String,
}

#[derive(Deserialize, Default)]
struct ConnectionGroupState {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    routing_endpoint: Option<String>,
}

/// An `aws_cloudfront_connection_group` change: its known ID and routing
/// endpoint (after the change, else before it), or None.
pub(super) fn read_connection_group(
    source: &Source,
    rc: &RawChange,
) -> Result<Option<PlannedConnectionGroup>, InputError> {
    let change: Change = parse(source, rc.change)?;
    let after: ConnectionGroupState = parse_or_default(source, change.after)?;
    let before: ConnectionGroupState = parse_or_default(source, change.before)?;
    let id = after.id.or(before.id).filter(|i| !i.is_empty());
    let endpoint = after
        .routing_endpoint
        .or(before.routing_endpoint)
        .filter(|e| !e.is_empty());
    Ok(id
        .zip(endpoint)
        .map(|(id, routing_endpoint)| PlannedConnectionGroup {
            id,
            routing_endpoint,
        }))
}

/// A tenant naming a connection group the plan knows is reached through
/// that group's routing endpoint: it is the tenant's CloudFront name.
pub(super) fn reach_through_groups(resources: &mut [Resource], groups: &[PlannedConnectionGroup]) {
    for r in resources.iter_mut() {
        if r.kind != ResourceKind::Tenant || r.domain_name.is_some() {
            continue;
        }
        if let Some(g) = r
            .connection_group_id
            .as_ref()
            .and_then(|id| groups.iter().find(|g| g.id == *id))
        {
            r.domain_name = Some(g.routing_endpoint.clone());
        }
    }
}

/// The parts of `after_unknown` we read.
#[derive(Deserialize, Default)]
pub(super) struct UnknownFlags<'a> {
    #[serde(borrow, default)]
    pub(super) aliases: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) domain: Option<&'a RawValue>,
    #[serde(default)]
    pub(super) viewer_certificate: serde_json::Value,
    #[serde(default)]
    pub(super) customizations: serde_json::Value,
}

/// The string slices of the alias list: `aliases` of a distribution is a
/// list of strings; `domain` of a tenant is a list of `{ domain = ... }`.
pub(super) fn alias_values<'a>(
    source: &Source,
    kind: ResourceKind,
    raw: Option<&'a RawValue>,
) -> Result<Vec<&'a RawValue>, InputError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    if raw.get() == "null" {
        return Ok(Vec::new());
    }
    match kind {
        ResourceKind::Distribution => parse::<Vec<&RawValue>>(source, raw),
        ResourceKind::Tenant => Ok(parse::<Vec<TenantDomain>>(source, raw)?
            .into_iter()
            .map(|d| d.domain)
            .collect()),
    }
}

/// Whether element `i` of a per-element flag list (`after_unknown`,
/// `after_sensitive`) is set.
pub(super) fn element_flag(flags: &serde_json::Value, i: usize, kind: ResourceKind) -> bool {
    let item = &flags[i];
    match kind {
        ResourceKind::Distribution => is_true(item),
        ResourceKind::Tenant => is_true(item) || is_true(&item["domain"]),
    }
}

pub(super) fn unknown_reason(refs: Option<&ResourceRefs>, attr: &str) -> String {
    match refs {
        Some(r) if !r.aliases.is_empty() => {
            let shown: Vec<String> = r
                .aliases
                .iter()
                .filter(|a| {
                    // `x.y.attr` and `x.y` both appear; keep the most precise.
                    !r.aliases
                        .iter()
                        .any(|b| b.len() > a.len() && b.starts_with(a.as_str()))
                })
                .map(|a| format!("`{a}`"))
                .collect();
            format!(
                "`{attr}` depends on {}, which the plan does not know yet",
                shown.join(", ")
            )
        }
        _ => format!("the plan marks `{attr}` as known only after apply"),
    }
}
