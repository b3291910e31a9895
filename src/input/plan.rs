//! Reads `terraform show -json` / `tofu show -json` plan output.
//!
//! The file is parsed once from the one buffer of its [`Source`]: the top
//! level is deserialized into borrowed slices (`&RawValue`), every resource
//! change is skipped unless its type is one we read, and byte offsets for
//! spans are the pointer difference between a slice and the buffer. Nothing
//! builds a `serde_json::Value` of the whole document.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::input::address;
use crate::model::{
    Action, AliasEntry, AliasValue, CertificateUse, DnsRecord, DomainName, ProviderConfig,
    ReplaceOrder, Resource, ResourceKind, SourceId, Span,
};
use crate::source::{Excerpt, Source};

const DISTRIBUTION: &str = "aws_cloudfront_distribution";
const TENANT: &str = "aws_cloudfront_distribution_tenant";
const CERTIFICATE: &str = "aws_acm_certificate";
const CERTIFICATE_VALIDATION: &str = "aws_acm_certificate_validation";
const RECORD: &str = "aws_route53_record";

/// What one plan file contributes.
#[derive(Debug)]
pub struct Plan {
    pub format_version: String,
    pub terraform_version: Option<String>,
    pub resources: Vec<Resource>,
    pub providers: Vec<ProviderConfig>,
    /// Route 53 records the plan creates or changes.
    pub records: Vec<DnsRecord>,
}

#[derive(Deserialize)]
struct PlanDoc<'a> {
    #[serde(borrow)]
    format_version: Option<&'a RawValue>,
    #[serde(borrow)]
    terraform_version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    resource_changes: Option<Vec<RawChange<'a>>>,
    #[serde(borrow)]
    configuration: Option<&'a RawValue>,
    planned_values: Option<IgnoredAny>,
    // Present in state files, which are not plans.
    values: Option<IgnoredAny>,
    lineage: Option<IgnoredAny>,
    serial: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    #[serde(borrow)]
    address: &'a RawValue,
    #[serde(borrow, default)]
    module_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    provider_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    change: &'a RawValue,
    #[serde(borrow, default)]
    action_reason: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(borrow)]
    actions: &'a RawValue,
    #[serde(borrow, default)]
    before: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_unknown: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_sensitive: Option<&'a RawValue>,
}

/// The attributes of `aws_cloudfront_distribution` and
/// `aws_cloudfront_distribution_tenant` objects that we read.
#[derive(Deserialize, Default)]
struct ObjectState<'a> {
    /// For a tenant: its multi-tenant distribution.
    #[serde(default)]
    distribution_id: Option<String>,
    #[serde(borrow, default)]
    aliases: Option<&'a RawValue>,
    #[serde(borrow, default)]
    domain: Option<&'a RawValue>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    domain_name: Option<String>,
    #[serde(default)]
    retain_on_delete: Option<bool>,
    #[serde(default)]
    wait_for_deployment: Option<bool>,
    #[serde(default)]
    viewer_certificate: Option<Vec<ViewerCertificate>>,
}

#[derive(Deserialize, Default)]
struct ViewerCertificate {
    #[serde(default)]
    acm_certificate_arn: Option<String>,
    #[serde(default)]
    cloudfront_default_certificate: Option<bool>,
    #[serde(default)]
    iam_certificate_id: Option<String>,
}

#[derive(Deserialize, Default)]
struct CertificateState {
    #[serde(default)]
    arn: Option<String>,
    #[serde(default)]
    domain_name: Option<String>,
    #[serde(default)]
    subject_alternative_names: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct TenantDomain<'a> {
    #[serde(borrow)]
    domain: &'a RawValue,
}

#[derive(Deserialize)]
struct ConfigDoc<'a> {
    #[serde(borrow, default)]
    root_module: Option<ModuleConfig<'a>>,
    #[serde(default)]
    provider_config: BTreeMap<String, ProviderBlock>,
}

#[derive(Deserialize)]
struct ProviderBlock {
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    expressions: serde_json::Value,
}

#[derive(Deserialize, Default)]
struct ModuleConfig<'a> {
    #[serde(borrow, default)]
    resources: Vec<ResourceConfig<'a>>,
    #[serde(borrow, default)]
    module_calls: BTreeMap<String, ModuleCall<'a>>,
}

#[derive(Deserialize)]
struct ResourceConfig<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
    #[serde(default)]
    provider_config_key: Option<String>,
}

#[derive(Deserialize)]
struct ModuleCall<'a> {
    #[serde(borrow, default)]
    module: Option<ModuleConfig<'a>>,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

/// The parts of `configuration` that checks need, keyed by module path
/// without instance keys (`module.a.module.b`, empty for the root).
#[derive(Default)]
struct Config {
    providers: Vec<ProviderConfig>,
    /// (module path, `type.name`) -> what the resource block refers to.
    resources: HashMap<(String, String), ResourceRefs>,
    /// (parent module path, call name) -> what the module call refers to.
    calls: HashMap<(String, String), Vec<String>>,
}

#[derive(Default)]
struct ResourceRefs {
    /// `depends_on` and every reference in every expression.
    all: Vec<String>,
    /// References per top-level attribute path we care about.
    aliases: Vec<String>,
    certificate_arn: Vec<String>,
    /// A Route 53 record's `records` and `alias` values.
    record_value: Vec<String>,
    provider_config_key: Option<String>,
}

/// A certificate resource in the same plan.
struct PlannedCertificate {
    address: String,
    arn: Option<String>,
    names: Option<Vec<DomainName>>,
}

/// Reads one plan; `id` is the source's index for spans.
pub fn read(source: &Source, id: SourceId) -> Result<Plan, InputError> {
    let text = source.text.as_str();
    let first = text.trim_start();
    if !first.starts_with('{') {
        let at = source.offset_of(first);
        return Err(not_a_plan(
            source,
            at,
            "the file does not hold a JSON object".into(),
            "expected the output of `terraform show -json tfplan`".into(),
        ));
    }
    let doc: PlanDoc = serde_json::from_str(text).map_err(|e| json_error(source, text, &e))?;
    let top = source.offset_of(first);

    let Some(version_raw) = doc.format_version else {
        return Err(classify_other(source, top, &doc));
    };
    if doc.resource_changes.is_none() && doc.planned_values.is_none() {
        return Err(classify_other(source, top, &doc));
    }
    let format_version: String = serde_json::from_str(version_raw.get()).unwrap_or_default();
    check_format_version(source, version_raw, &format_version)?;

    let mut config = match doc.configuration {
        Some(raw) => read_config(source, raw)?,
        None => Config::default(),
    };

    let providers = std::mem::take(&mut config.providers);
    let changes = doc.resource_changes.unwrap_or_default();
    let mut certificates = Vec::new();
    for rc in &changes {
        if rc.mode.as_deref().is_some_and(|m| m != "managed") {
            continue;
        }
        if rc.kind == CERTIFICATE {
            certificates.push(read_certificate(source, rc)?);
        }
    }

    let mut resources = Vec::new();
    let mut records = Vec::new();
    for rc in &changes {
        if rc.mode.as_deref().is_some_and(|m| m != "managed") {
            continue;
        }
        if rc
            .provider_name
            .as_deref()
            .is_some_and(|p| !p.ends_with("/aws"))
        {
            continue;
        }
        let kind = match rc.kind.as_ref() {
            DISTRIBUTION => ResourceKind::Distribution,
            TENANT => ResourceKind::Tenant,
            RECORD => {
                records.extend(read_record(source, id, rc, &config)?);
                continue;
            }
            _ => continue,
        };
        resources.push(read_resource(source, id, rc, kind, &config, &certificates)?);
    }

    Ok(Plan {
        format_version,
        terraform_version: doc.terraform_version.map(Cow::into_owned),
        resources,
        providers,
        records,
    })
}

/// A Route 53 record the plan creates or changes, with what its value
/// refers to; None for other actions or a name not known until apply.
fn read_record(
    source: &Source,
    id: SourceId,
    rc: &RawChange,
    config: &Config,
) -> Result<Option<DnsRecord>, InputError> {
    #[derive(Deserialize, Default)]
    struct RecordState {
        #[serde(default)]
        name: Option<String>,
    }
    let change: Change = parse(source, rc.change)?;
    let action = read_actions(source, change.actions)?;
    if !matches!(action, Action::Create | Action::Update | Action::Replace(_)) {
        return Ok(None);
    }
    let after: RecordState = parse_or_default(source, change.after)?;
    let Some(name) = after.name else {
        return Ok(None);
    };
    let address = string_of(source, rc.address)?;
    let module_address = rc.module_address.as_deref().unwrap_or("");
    let config_address = format!("{}.{}", rc.kind, resource_name(&address));
    let refers_to = config
        .resources
        .get(&(address::strip_keys(module_address), config_address))
        .map(|refs| {
            refs.record_value
                .iter()
                .filter_map(|r| resource_ref(r))
                .map(|target| address::join(module_address, &target))
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(DnsRecord {
        address,
        span: source.span_of(id, rc.address.get()),
        name,
        refers_to,
    }))
}

fn check_format_version(source: &Source, raw: &RawValue, version: &str) -> Result<(), InputError> {
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(0 | 1) => Ok(()),
        _ => {
            let at = source.offset_of(raw.get());
            Err(InputError::FormatVersion {
                path: source.name.clone(),
                version: if version.is_empty() {
                    raw.get().to_string()
                } else {
                    version.to_string()
                },
                src: Excerpt::at(source, at, raw.get().len()),
                span: (at, raw.get().len()).into(),
            })
        }
    }
}

/// Explains what a JSON object that is not a plan probably is.
fn classify_other(source: &Source, top: usize, doc: &PlanDoc) -> InputError {
    let (what, help) = if doc.format_version.is_some() && doc.values.is_some() {
        (
            "it is the JSON of a state (`terraform show -json` without a plan file)".to_string(),
            "pass a plan: `terraform plan -out tfplan && terraform show -json tfplan > plan.json`"
                .to_string(),
        )
    } else if doc.lineage.is_some() || doc.serial.is_some() {
        (
            "it is a raw state file (`terraform.tfstate`)".to_string(),
            "pass a plan: `terraform plan -out tfplan && terraform show -json tfplan > plan.json`"
                .to_string(),
        )
    } else if doc.format_version.is_some() {
        (
            "it has a `format_version` but no `resource_changes` or `planned_values`".to_string(),
            "expected the output of `terraform show -json tfplan` (or `tofu show -json tfplan`); \
             a plan without changes still has `\"resource_changes\": []`"
                .to_string(),
        )
    } else {
        (
            "it has neither `format_version` nor `resource_changes`".to_string(),
            "expected the output of `terraform show -json tfplan` (or `tofu show -json tfplan`)"
                .to_string(),
        )
    };
    not_a_plan(source, top, what, help)
}

fn not_a_plan(source: &Source, at: usize, what: String, help: String) -> InputError {
    InputError::NotAPlan {
        path: source.name.clone(),
        what,
        help,
        src: Excerpt::at(source, at, 1),
        span: (at, 1).into(),
        label: "this document".into(),
    }
}

/// Turns a serde error in `part` (a slice of the source) into a diagnostic
/// pointing at the byte where parsing stopped.
fn json_error(source: &Source, part: &str, e: &serde_json::Error) -> InputError {
    let base = source.offset_of(part);
    let local = byte_offset(part, e.line(), e.column());
    let at = base + local;
    let eof = e.is_eof();
    let (label, hint) = if eof {
        (
            "the file ends here".to_string(),
            "the JSON is cut off: was `terraform show -json` interrupted, or its output truncated?"
                .to_string(),
        )
    } else {
        (
            "here".to_string(),
            "expected the unmodified output of `terraform show -json tfplan`".to_string(),
        )
    };
    let len = if at < source.text.len() { 1 } else { 0 };
    let at = if eof {
        source.text.trim_end().len()
    } else {
        at
    };
    let detail = e.to_string();
    let detail = match detail.find(" at line ") {
        Some(i) => detail[..i].to_string(),
        None => detail,
    };
    InputError::Json {
        path: source.name.clone(),
        detail,
        hint,
        src: Excerpt::at(source, at, len),
        span: (at, len).into(),
        label,
    }
}

/// Byte offset of serde_json's 1-based line and byte column.
pub(crate) fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    if line > 1
        && let Some(nl) = memchr::memchr_iter(b'\n', bytes).nth(line - 2)
    {
        start = nl + 1;
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// Deserializes a slice of the source, pointing errors into the source.
fn parse<'a, T: Deserialize<'a>>(source: &Source, raw: &'a RawValue) -> Result<T, InputError> {
    serde_json::from_str(raw.get()).map_err(|e| json_error(source, raw.get(), &e))
}

/// Deserializes an optional slice; absent (or JSON `null`) is the default.
fn parse_or_default<'a, T: Deserialize<'a> + Default>(
    source: &Source,
    raw: Option<&'a RawValue>,
) -> Result<T, InputError> {
    raw.map_or_else(|| Ok(T::default()), |raw| parse(source, raw))
}

fn string_of(source: &Source, raw: &RawValue) -> Result<String, InputError> {
    parse(source, raw)
}

fn shape_error(source: &Source, raw: &str, message: String, help: &str) -> InputError {
    let at = source.offset_of(raw);
    let len = raw.len().min(source.text.len() - at);
    let len = if raw.contains('\n') { 1 } else { len };
    InputError::Shape {
        path: source.name.clone(),
        message,
        help: help.to_string(),
        src: Excerpt::at(source, at, len),
        span: (at, len).into(),
    }
}

fn read_actions(source: &Source, raw: &RawValue) -> Result<Action, InputError> {
    let actions: Vec<Cow<str>> = parse(source, raw)?;
    let names: Vec<&str> = actions.iter().map(|a| a.as_ref()).collect();
    Ok(match names.as_slice() {
        ["no-op"] => Action::NoOp,
        ["create"] => Action::Create,
        ["read"] => Action::Read,
        ["update"] => Action::Update,
        ["delete", "create"] => Action::Replace(ReplaceOrder::DestroyBeforeCreate),
        ["create", "delete"] => Action::Replace(ReplaceOrder::CreateBeforeDestroy),
        ["delete"] => Action::Delete,
        ["forget"] => Action::Forget,
        ["create", "forget"] => Action::Create,
        _ => {
            return Err(shape_error(
                source,
                raw.get(),
                format!("unknown change actions {}", raw.get()),
                "this plan uses actions this version of cname-preflight does not know; upgrade it",
            ));
        }
    })
}

fn read_certificate(source: &Source, rc: &RawChange) -> Result<PlannedCertificate, InputError> {
    let change: Change = parse(source, rc.change)?;
    let after: CertificateState = parse_or_default(source, change.after)?;
    let before: CertificateState = parse_or_default(source, change.before)?;
    let unknown: serde_json::Value = parse_or_default(source, change.after_unknown)?;
    let names_unknown = is_true(&unknown["domain_name"])
        || is_true(&unknown["subject_alternative_names"])
        || unknown["subject_alternative_names"]
            .as_array()
            .is_some_and(|a| a.iter().any(is_true));
    let names = match (&after.domain_name, names_unknown) {
        (Some(domain), false) => {
            let mut names = vec![DomainName::new(domain)];
            for san in after.subject_alternative_names.iter().flatten() {
                let san = DomainName::new(san);
                if !names.contains(&san) {
                    names.push(san);
                }
            }
            Some(names)
        }
        _ => None,
    };
    Ok(PlannedCertificate {
        address: string_of(source, rc.address)?,
        arn: after.arn.or(before.arn),
        names,
    })
}

fn is_true(v: &serde_json::Value) -> bool {
    v.as_bool() == Some(true)
}

fn read_resource(
    source: &Source,
    id: SourceId,
    rc: &RawChange,
    kind: ResourceKind,
    config: &Config,
    certificates: &[PlannedCertificate],
) -> Result<Resource, InputError> {
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

    let mut address = string_of(source, rc.address)?;
    if let Some(deposed) = &rc.deposed {
        address = format!("{address} (deposed object {deposed})");
    }
    let module_address = rc.module_address.as_deref().unwrap_or("").to_string();
    let module_path = address::strip_keys(&module_address);
    let config_address = format!("{}.{}", rc.kind, resource_name(&address));
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
    let certificate = match kind {
        ResourceKind::Distribution => certificate_use(
            vc_after,
            vc_unknown,
            refs,
            &module_address,
            certificates,
            config,
        ),
        ResourceKind::Tenant => CertificateUse::Unknown,
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
        action_reason: rc.action_reason.as_deref().map(str::to_string),
        provider_key: refs.and_then(|r| r.provider_config_key.clone()),
        before: before_names,
        after: entries,
        after_span,
        distribution_id: state_id,
        parent_distribution_id: match kind {
            ResourceKind::Tenant => after
                .distribution_id
                .clone()
                .or(before.distribution_id.clone()),
            ResourceKind::Distribution => None,
        },
        domain_name: before.domain_name.or(after.domain_name),
        retain_on_delete: before
            .retain_on_delete
            .or(after.retain_on_delete)
            .unwrap_or(false),
        wait_for_deployment: after.wait_for_deployment.unwrap_or(true),
        certificate,
        depends_on,
        from_config: false,
        state_known: false,
    })
}

/// The parts of `after_unknown` we read.
#[derive(Deserialize, Default)]
struct UnknownFlags<'a> {
    #[serde(borrow, default)]
    aliases: Option<&'a RawValue>,
    #[serde(borrow, default)]
    domain: Option<&'a RawValue>,
    #[serde(default)]
    viewer_certificate: serde_json::Value,
}

/// The string slices of the alias list: `aliases` of a distribution is a
/// list of strings; `domain` of a tenant is a list of `{ domain = ... }`.
fn alias_values<'a>(
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
fn element_flag(flags: &serde_json::Value, i: usize, kind: ResourceKind) -> bool {
    let item = &flags[i];
    match kind {
        ResourceKind::Distribution => is_true(item),
        ResourceKind::Tenant => is_true(item) || is_true(&item["domain"]),
    }
}

fn unknown_reason(refs: Option<&ResourceRefs>, attr: &str) -> String {
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

/// The resource name part of an address: `aws_x.name[0]` -> `name`.
fn resource_name(address: &str) -> String {
    let last = address::segments(address).pop().unwrap_or_default();
    let without_key = address::strip_keys(&last);
    without_key
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn certificate_use(
    vc: Option<&ViewerCertificate>,
    unknown: &serde_json::Value,
    refs: Option<&ResourceRefs>,
    module_address: &str,
    certificates: &[PlannedCertificate],
    config: &Config,
) -> CertificateUse {
    let arn_unknown = is_true(&unknown[0]["acm_certificate_arn"]) || is_true(unknown);
    let Some(vc) = vc else {
        return CertificateUse::Unknown;
    };
    let arn = vc.acm_certificate_arn.clone().filter(|a| !a.is_empty());
    if arn.is_none() && !arn_unknown {
        if let Some(id) = vc.iam_certificate_id.clone().filter(|i| !i.is_empty()) {
            return CertificateUse::Iam { id };
        }
        if vc.cloudfront_default_certificate == Some(true) {
            return CertificateUse::CloudFrontDefault;
        }
        return CertificateUse::Unknown;
    }
    // Find the certificate resource: by ARN, else by configuration reference.
    let by_arn = arn
        .as_ref()
        .and_then(|arn| certificates.iter().find(|c| c.arn.as_ref() == Some(arn)));
    let by_ref = || {
        let refs = refs?;
        refs.certificate_arn
            .iter()
            .find_map(|r| certificate_by_ref(r, module_address, certificates, config))
    };
    let found = by_arn.or_else(by_ref);
    CertificateUse::Acm {
        arn,
        resource: found.map(|c| c.address.clone()),
        names: found.and_then(|c| c.names.clone()),
    }
}

/// Resolves a reference like `aws_acm_certificate.cert.arn` (or one through
/// `aws_acm_certificate_validation.cert.certificate_arn`) made in module
/// instance `module_address` to a certificate in the plan.
fn certificate_by_ref<'c>(
    reference: &str,
    module_address: &str,
    certificates: &'c [PlannedCertificate],
    config: &Config,
) -> Option<&'c PlannedCertificate> {
    let target = resource_ref(reference)?;
    if let Some(name) = target.strip_prefix(&format!("{CERTIFICATE_VALIDATION}.")) {
        let module_path = address::strip_keys(module_address);
        let validation = config
            .resources
            .get(&(module_path, format!("{CERTIFICATE_VALIDATION}.{name}")))?;
        return validation
            .certificate_arn
            .iter()
            .filter(|r| r.starts_with(CERTIFICATE))
            .find_map(|r| certificate_by_ref(r, module_address, certificates, config));
    }
    if !target.starts_with(&format!("{CERTIFICATE}.")) {
        return None;
    }
    let prefix = address::join(module_address, &target);
    let mut matching = certificates
        .iter()
        .filter(|c| address::strip_last_key(&c.address) == prefix);
    let first = matching.next()?;
    // With several instances (`count`, `for_each`) the reference alone does
    // not say which one; do not guess.
    match matching.next() {
        None => Some(first),
        Some(_) => None,
    }
}

/// `aws_x.name.attr` or `aws_x.name[0]` -> `aws_x.name`; `module.m.out` ->
/// `module.m`; other references (var, local, data, each...) -> None.
fn resource_ref(reference: &str) -> Option<String> {
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

/// Absolute address prefixes this resource waits for: its own references
/// and `depends_on`, then those of each module call it is inside.
fn dependencies(module_address: &str, refs: Option<&ResourceRefs>, config: &Config) -> Vec<String> {
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

fn read_config(source: &Source, raw: &RawValue) -> Result<Config, InputError> {
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

fn walk_module(
    source: &Source,
    module: &ModuleConfig,
    path: &str,
    config: &mut Config,
) -> Result<(), InputError> {
    for r in &module.resources {
        if !matches!(
            r.kind.as_ref(),
            DISTRIBUTION | TENANT | CERTIFICATE_VALIDATION | RECORD
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
fn collect_references(value: &serde_json::Value, out: &mut Vec<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_refs() {
        assert_eq!(
            resource_ref("aws_cloudfront_distribution.a.id").as_deref(),
            Some("aws_cloudfront_distribution.a")
        );
        assert_eq!(
            resource_ref("aws_acm_certificate.c[0].arn").as_deref(),
            Some("aws_acm_certificate.c")
        );
        assert_eq!(resource_ref("module.cdn.id").as_deref(), Some("module.cdn"));
        assert_eq!(resource_ref("var.aliases"), None);
        assert_eq!(resource_ref("each.value"), None);
    }

    #[test]
    fn names_of_addresses() {
        assert_eq!(resource_name("aws_cloudfront_distribution.site"), "site");
        assert_eq!(
            resource_name("module.a[\"x.y\"].aws_cloudfront_distribution.site[\"k.z\"]"),
            "site"
        );
    }

    #[test]
    fn offsets_of_serde_positions() {
        assert_eq!(byte_offset("ab\ncd", 2, 2), 4);
        assert_eq!(byte_offset("abc", 1, 1), 0);
    }
}
