//! The plan's `configuration`: provider blocks (which account each
//! reaches) and, per resource and module call, what its expressions refer to.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::input::address;
use crate::model::ProviderConfig;
use crate::source::Source;

use super::document::*;

#[derive(Deserialize)]
pub(super) struct ConfigDoc<'a> {
    #[serde(borrow, default)]
    pub(super) root_module: Option<ModuleConfig<'a>>,
    #[serde(default)]
    pub(super) provider_config: BTreeMap<String, ProviderBlock>,
}

#[derive(Deserialize)]
pub(super) struct ProviderBlock {
    #[serde(default)]
    pub(super) full_name: Option<String>,
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) expressions: serde_json::Value,
}

#[derive(Deserialize, Default)]
pub(super) struct ModuleConfig<'a> {
    #[serde(borrow, default)]
    pub(super) resources: Vec<ResourceConfig<'a>>,
    #[serde(borrow, default)]
    pub(super) module_calls: BTreeMap<String, ModuleCall<'a>>,
}

#[derive(Deserialize)]
pub(super) struct ResourceConfig<'a> {
    #[serde(borrow)]
    pub(super) name: Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    pub(super) kind: Cow<'a, str>,
    #[serde(default)]
    pub(super) depends_on: Vec<String>,
    #[serde(borrow, default)]
    pub(super) expressions: Option<&'a RawValue>,
    #[serde(default)]
    pub(super) provider_config_key: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct ModuleCall<'a> {
    #[serde(borrow, default)]
    pub(super) module: Option<ModuleConfig<'a>>,
    #[serde(default)]
    pub(super) depends_on: Vec<String>,
    #[serde(borrow, default)]
    pub(super) expressions: Option<&'a RawValue>,
}

/// The parts of `configuration` that checks need, keyed by module path
/// without instance keys (`module.a.module.b`, empty for the root).
#[derive(Default)]
pub(super) struct Config {
    pub(super) providers: Vec<ProviderConfig>,
    /// (module path, `type.name`) -> what the resource block refers to.
    pub(super) resources: HashMap<(String, String), ResourceRefs>,
    /// (parent module path, call name) -> what the module call refers to.
    pub(super) calls: HashMap<(String, String), Vec<String>>,
}

#[derive(Default)]
pub(super) struct ResourceRefs {
    /// `depends_on` and every reference in every expression.
    pub(super) all: Vec<String>,
    /// References per top-level attribute path we care about.
    pub(super) aliases: Vec<String>,
    pub(super) certificate_arn: Vec<String>,
    /// A tenant's `distribution_id`.
    pub(super) parent: Vec<String>,
    /// A Route 53 record's `records` and `alias` values.
    pub(super) record_value: Vec<String>,
    pub(super) provider_config_key: Option<String>,
}

/// `aws_x.name.attr` or `aws_x.name[0]` -> `aws_x.name`; `module.m.out` ->
/// `module.m`; other references (var, local, data, each...) -> None.
pub(super) fn resource_ref(reference: &str) -> Option<String> {
    let mut parts = reference.splitn(3, '.');
    let first = parts.next()?;
    let second = parts.next()?;
    let second = second.split('[').next()?;
    match first {
        "var" | "local" | "data" | "each" | "count" | "path" | "self" | "terraform" => None,
        "module" => Some(format!("module.{second}")),
        _ => Some(format!("{first}.{second}")),
    }
}

/// The resource name part of an address: `aws_x.name[0]` -> `name`.
pub(super) fn resource_name(address: &str) -> String {
    let last = address::segments(address).pop().unwrap_or_default();
    let without_key = address::strip_keys(&last);
    without_key
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Absolute address prefixes this resource waits for: its own references
/// and `depends_on`, then those of each module call it is inside.
pub(super) fn dependencies(
    module_address: &str,
    refs: Option<&ResourceRefs>,
    config: &Config,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(refs) = refs {
        for r in &refs.all {
            if let Some(target) = resource_ref(r) {
                out.push(address::join(module_address, &target));
            }
        }
    }
    let segments = address::segments(module_address);
    for depth in (0..segments.len()).rev() {
        let parent_instance = segments[..depth].join(".");
        let parent_path = address::strip_keys(&parent_instance);
        let call = address::strip_keys(&segments[depth]);
        let call = call.trim_start_matches("module.").to_string();
        if let Some(call_refs) = config.calls.get(&(parent_path, call)) {
            for r in call_refs {
                if let Some(target) = resource_ref(r) {
                    out.push(address::join(&parent_instance, &target));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

pub(super) fn read_config(source: &Source, raw: &RawValue) -> Result<Config, InputError> {
    let doc: ConfigDoc = parse(source, raw)?;
    let mut config = Config::default();
    for (key, block) in &doc.provider_config {
        let is_aws = block
            .full_name
            .as_deref()
            .map_or(block.name.as_deref() == Some("aws"), |n| {
                n.ends_with("/aws")
            });
        if !is_aws {
            continue;
        }
        let constant = |v: &serde_json::Value| v["constant_value"].as_str().map(str::to_string);
        let e = &block.expressions;
        config.providers.push(ProviderConfig {
            key: key.clone(),
            profile: constant(&e["profile"]),
            role_arn: constant(&e["assume_role"][0]["role_arn"]),
            region: constant(&e["region"]),
        });
    }
    if let Some(root) = doc.root_module {
        walk_module(source, &root, "", &mut config)?;
    }
    Ok(config)
}

pub(super) fn walk_module(
    source: &Source,
    module: &ModuleConfig,
    path: &str,
    config: &mut Config,
) -> Result<(), InputError> {
    for r in &module.resources {
        if !matches!(
            r.kind.as_ref(),
            DISTRIBUTION | TENANT | MULTI_TENANT | CERTIFICATE_VALIDATION | RECORD
        ) {
            continue;
        }
        let mut refs = ResourceRefs {
            provider_config_key: r.provider_config_key.clone(),
            all: r.depends_on.clone(),
            ..Default::default()
        };
        if let Some(raw) = r.expressions {
            let expressions: serde_json::Value = parse(source, raw)?;
            collect_references(&expressions, &mut refs.all);
            collect_references(&expressions["aliases"], &mut refs.aliases);
            collect_references(&expressions["domain"], &mut refs.aliases);
            collect_references(
                &expressions["viewer_certificate"][0]["acm_certificate_arn"],
                &mut refs.certificate_arn,
            );
            collect_references(&expressions["certificate_arn"], &mut refs.certificate_arn);
            // A tenant's own certificate and its multi-tenant distribution.
            collect_references(
                &expressions["customizations"][0]["certificate"][0]["arn"],
                &mut refs.certificate_arn,
            );
            collect_references(&expressions["distribution_id"], &mut refs.parent);
            collect_references(&expressions["records"], &mut refs.record_value);
            collect_references(&expressions["alias"], &mut refs.record_value);
        }
        config
            .resources
            .insert((path.to_string(), format!("{}.{}", r.kind, r.name)), refs);
    }
    for (name, call) in &module.module_calls {
        let mut refs = call.depends_on.clone();
        if let Some(raw) = call.expressions {
            let expressions: serde_json::Value = parse(source, raw)?;
            collect_references(&expressions, &mut refs);
        }
        config.calls.insert((path.to_string(), name.clone()), refs);
        if let Some(child) = &call.module {
            let child_path = address::join(path, &format!("module.{name}"));
            walk_module(source, child, &child_path, config)?;
        }
    }
    Ok(())
}

/// Every string in every `references` array below `value`.
pub(super) fn collect_references(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k == "references" {
                    if let Some(list) = v.as_array() {
                        out.extend(list.iter().filter_map(|r| r.as_str().map(str::to_string)));
                    }
                } else {
                    collect_references(v, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_references(v, out);
            }
        }
        _ => {}
    }
}
