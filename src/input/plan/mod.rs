//! Reads `terraform show -json` / `tofu show -json` plan output.
//!
//! The file is parsed once from the one buffer of its [`Source`]: the top
//! level is deserialized into borrowed slices (`&RawValue`), every resource
//! change is skipped unless its type is one we read, and byte offsets for
//! spans are the pointer difference between a slice and the buffer. Nothing
//! builds a `serde_json::Value` of the whole document.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::model::{DnsRecord, ProviderConfig, Resource, ResourceKind, SourceId};
use crate::source::{Excerpt, Source};

mod certificates;
mod config;
mod document;
mod records;
mod resources;

use certificates::*;
use config::*;
use document::*;
use records::*;
use resources::*;

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

/// Most plan documents one file may hold (`terragrunt run-all show -json`
/// writes one per module).
pub const MAX_DOCUMENTS: usize = 10_000;

/// Reads the plans of one source: one document, or several concatenated
/// (`terragrunt run-all show -json` writes one per module). Each document
/// is parsed in place from the one buffer, so spans stay offsets into the
/// file. A document that is not a plan is an error of its own; a syntax
/// error ends the stream. `id` is the source's index for spans.
pub fn read(source: &Source, id: SourceId) -> Vec<Result<Plan, InputError>> {
    let text = source.text.as_str();
    let first = text.trim_start();
    if !first.starts_with('{') {
        let at = source.offset_of(first);
        return vec![Err(not_a_plan(
            source,
            at,
            "the file does not hold a JSON object".into(),
            "expected the output of `terraform show -json tfplan`".into(),
        ))];
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<PlanDoc>();
    let mut plans = Vec::new();
    let mut start = 0;
    while let Some(doc) = stream.next() {
        // Where this document begins: after the white space that ended the
        // one before.
        let rest = &text[start..];
        let top = start + (rest.len() - rest.trim_start().len());
        if plans.len() == MAX_DOCUMENTS {
            plans.push(Err(not_a_plan(
                source,
                top,
                format!("the file holds more than {MAX_DOCUMENTS} plan documents"),
                "split the stream into files of fewer plans".into(),
            )));
            break;
        }
        match doc {
            Ok(doc) => {
                plans.push(read_doc(source, id, doc, top));
                start = stream.byte_offset();
            }
            Err(e) => {
                plans.push(Err(json_error(source, text, &e)));
                break;
            }
        }
    }
    plans
}

/// Reads one plan document that begins at byte `top`.
fn read_doc(source: &Source, id: SourceId, doc: PlanDoc, top: usize) -> Result<Plan, InputError> {
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
    let mut groups = Vec::new();
    for rc in &changes {
        if rc.mode.as_deref().is_some_and(|m| m != "managed") {
            continue;
        }
        if rc.kind == CERTIFICATE {
            certificates.push(read_certificate(source, rc)?);
        }
        if rc.kind == CONNECTION_GROUP {
            groups.extend(resources::read_connection_group(source, rc)?);
        }
    }

    // Multi-tenant distributions once every certificate is known: their
    // tenants inherit their certificates.
    let mut parents = Vec::new();
    for rc in &changes {
        if rc.kind == MULTI_TENANT && rc.mode.as_deref().is_none_or(|m| m == "managed") {
            parents.push(read_parent(source, rc, &config, &certificates)?);
        }
    }
    let planned = Planned {
        config: &config,
        certificates: &certificates,
        parents: &parents,
    };

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
        resources.push(read_resource(source, id, rc, kind, &planned)?);
    }
    resources::reach_through_groups(&mut resources, &groups);

    Ok(Plan {
        format_version,
        terraform_version: doc.terraform_version.map(Cow::into_owned),
        resources,
        providers,
        records,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CertificateUse, DomainName};

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

    /// The tenants of a plan by name, with the certificate each is read
    /// to serve its domains with.
    fn tenant_certificates(text: &str) -> Vec<(String, CertificateUse)> {
        let source = Source::new("plan.json", text.to_string());
        let plan = read(&source, 0).pop().unwrap().unwrap();
        plan.resources
            .into_iter()
            .filter(|r| r.kind == ResourceKind::Tenant)
            .map(|r| (resource_name(r.address.as_str()), r.certificate))
            .collect()
    }

    #[test]
    fn a_tenant_serves_a_managed_certificate_else_its_own_else_its_parents() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/plans/tenant-certificates.json"
        ))
        .unwrap();
        let acm = |resource: &str, names: &[&str]| CertificateUse::Acm {
            arn: None,
            resource: Some(resource.into()),
            names: Some(names.iter().map(|n| DomainName::new(n)).collect()),
        };
        let shared = acm(
            "aws_acm_certificate.shared",
            &["shop.example.com", "*.shop.example.com"],
        );
        assert_eq!(
            tenant_certificates(&text),
            [
                // The multi-tenant distribution's, found by reference.
                ("covered".to_string(), shared.clone()),
                ("inherits".to_string(), shared),
                // Its own, by reference though its ARN is not known yet.
                (
                    "own".to_string(),
                    acm("aws_acm_certificate.own", &["brand.example.net"])
                ),
                ("managed".to_string(), CertificateUse::Managed),
                ("default".to_string(), CertificateUse::CloudFrontDefault),
            ]
        );
    }

    #[test]
    fn a_tenant_whose_parent_the_plan_does_not_describe_takes_it_from_aws() {
        let tenant = |customizations: &str| {
            format!(
                r#"{{"format_version": "1.2", "resource_changes": [
                {{"address": "aws_cloudfront_multitenant_distribution.p", "mode": "managed",
                  "type": "aws_cloudfront_multitenant_distribution", "name": "p",
                  "change": {{"actions": ["no-op"], "before": {{"id": "EPARENT"}},
                              "after": {{"id": "EPARENT"}}}}}},
                {{"address": "aws_cloudfront_distribution_tenant.t", "mode": "managed",
                  "type": "aws_cloudfront_distribution_tenant", "name": "t",
                  "change": {{"actions": ["create"], "before": null,
                              "after": {{"distribution_id": "EPARENT",
                                         "domain": [{{"domain": "a.example.com"}}],
                                         "customizations": {customizations}}},
                              "after_unknown": {{}}}}}}]}}"#
            )
        };
        assert_eq!(
            tenant_certificates(&tenant("[]")),
            [(
                "t".to_string(),
                CertificateUse::Parent {
                    distribution_id: Some("EPARENT".into())
                }
            )]
        );
        let arn = "arn:aws:acm:us-east-1:111111111111:certificate/own";
        assert_eq!(
            tenant_certificates(&tenant(&format!(
                r#"[{{"certificate": [{{"arn": "{arn}"}}]}}]"#
            ))),
            [(
                "t".to_string(),
                CertificateUse::Acm {
                    arn: Some(arn.into()),
                    resource: None,
                    names: None
                }
            )]
        );
    }

    #[test]
    fn offsets_of_serde_positions() {
        assert_eq!(crate::source::byte_offset("ab\ncd", 2, 2), 4);
        assert_eq!(crate::source::byte_offset("abc", 1, 1), 0);
    }
}
