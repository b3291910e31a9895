//! Plans in the shape `terraform show -json tfplan` writes, built for a
//! test: resource changes of distributions and tenants, each with the
//! provider of the account it lives in (`aws`: moto's default account;
//! `aws.legacy`: an assumed role into 222222222222), and the configuration
//! that names those providers. Only the parts the tool reads are filled.

use serde_json::{Value, json};

/// The account the `aws.legacy` provider assumes a role into.
pub const LEGACY: &str = "222222222222";

/// One resource change of a plan.
pub enum Change<'a> {
    /// A distribution created with these aliases and certificate.
    NewDistribution {
        name: &'a str,
        aliases: &'a [&'a str],
        cert: &'a str,
    },
    /// An existing distribution (ID, CloudFront domain) whose aliases go
    /// from `before` to `after`.
    UpdateDistribution {
        name: &'a str,
        id: &'a str,
        domain: &'a str,
        before: &'a [&'a str],
        after: &'a [&'a str],
        cert: &'a str,
    },
    /// An existing multi-tenant distribution, unchanged.
    MultiTenant { name: &'a str, id: &'a str },
    /// A tenant created under `parent` with these domains.
    NewTenant {
        name: &'a str,
        parent: &'a str,
        group: Option<&'a str>,
        domains: &'a [&'a str],
    },
}

fn distribution(aliases: &[&str], cert: &str, id: Option<(&str, &str)>) -> Value {
    let mut v = json!({
        "aliases": aliases,
        "comment": "",
        "enabled": true,
        "staging": false,
        "retain_on_delete": false,
        "wait_for_deployment": true,
        "viewer_certificate": [{
            "acm_certificate_arn": cert,
            "cloudfront_default_certificate": false,
            "iam_certificate_id": "",
            "minimum_protocol_version": "TLSv1.2_2021",
            "ssl_support_method": "sni-only"
        }]
    });
    if let Some((id, domain)) = id {
        v["id"] = json!(id);
        v["domain_name"] = json!(domain);
        v["arn"] = json!(format!(
            "arn:aws:cloudfront::123456789012:distribution/{id}"
        ));
    }
    v
}

fn change(kind: &str, name: &str, actions: &[&str], before: Value, after: Value) -> Value {
    json!({
        "address": format!("{kind}.{name}"),
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": {},
            "before_sensitive": {},
            "after_sensitive": {}
        }
    })
}

/// The plan of `changes`, every resource under the default provider; the
/// configuration also declares `aws.legacy` (reached by assuming a role
/// into `LEGACY`), so the check reaches that account too.
pub fn plan(changes: &[Change]) -> Value {
    const D: &str = "aws_cloudfront_distribution";
    const M: &str = "aws_cloudfront_multitenant_distribution";
    const T: &str = "aws_cloudfront_distribution_tenant";
    let mut resource_changes = Vec::new();
    let mut resources = Vec::new();
    for c in changes {
        let (kind, name, rc) = match c {
            Change::NewDistribution {
                name,
                aliases,
                cert,
            } => (
                D,
                *name,
                change(
                    D,
                    name,
                    &["create"],
                    Value::Null,
                    distribution(aliases, cert, None),
                ),
            ),
            Change::UpdateDistribution {
                name,
                id,
                domain,
                before,
                after,
                cert,
            } => (
                D,
                *name,
                change(
                    D,
                    name,
                    &["update"],
                    distribution(before, cert, Some((id, domain))),
                    distribution(after, cert, Some((id, domain))),
                ),
            ),
            Change::MultiTenant { name, id } => {
                let v = json!({"id": id, "comment": ""});
                (M, *name, change(M, name, &["no-op"], v.clone(), v))
            }
            Change::NewTenant {
                name,
                parent,
                group,
                domains,
            } => {
                let domain: Vec<Value> = domains.iter().map(|d| json!({"domain": d})).collect();
                let after = json!({
                    "connection_group_id": group,
                    "distribution_id": parent,
                    "domain": domain,
                    "enabled": true,
                    "name": name,
                    "tags": null,
                    "customizations": [],
                    "managed_certificate_request": [],
                    "parameter": []
                });
                (T, *name, change(T, name, &["create"], Value::Null, after))
            }
        };
        resource_changes.push(rc);
        resources.push(json!({
            "address": format!("{kind}.{name}"),
            "mode": "managed",
            "type": kind,
            "name": name,
            "provider_config_key": "aws",
            "expressions": {},
            "schema_version": 1
        }));
    }
    json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": resource_changes,
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {"region": {"constant_value": "us-east-1"}}
                },
                "aws.legacy": {
                    "name": "aws",
                    "full_name": "registry.terraform.io/hashicorp/aws",
                    "alias": "legacy",
                    "expressions": {
                        "region": {"constant_value": "us-east-1"},
                        "assume_role": [{
                            "role_arn": {
                                "constant_value": format!("arn:aws:iam::{LEGACY}:role/read")
                            }
                        }]
                    }
                }
            },
            "root_module": {"resources": resources}
        },
        "applyable": true,
        "complete": true,
        "errored": false
    })
}
