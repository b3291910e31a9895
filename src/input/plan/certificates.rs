//! The certificate a distribution or tenant serves its aliases with, and
//! the ACM certificates the plan creates or keeps that it may be.

use serde::Deserialize;

use crate::error::InputError;
use crate::input::address;
use crate::model::{CertificateUse, DomainName};
use crate::source::Source;

use super::config::*;
use super::document::*;

#[derive(Deserialize, Default)]
pub(super) struct CertificateState {
    #[serde(default)]
    pub(super) arn: Option<String>,
    #[serde(default)]
    pub(super) domain_name: Option<String>,
    #[serde(default)]
    pub(super) subject_alternative_names: Option<Vec<String>>,
}

/// A certificate resource in the same plan.
pub(super) struct PlannedCertificate {
    pub(super) address: String,
    pub(super) arn: Option<String>,
    pub(super) names: Option<Vec<DomainName>>,
}

pub(super) fn read_certificate(
    source: &Source,
    rc: &RawChange,
) -> Result<PlannedCertificate, InputError> {
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

#[derive(Deserialize, Default)]
pub(super) struct ViewerCertificate {
    #[serde(default)]
    pub(super) acm_certificate_arn: Option<String>,
    #[serde(default)]
    pub(super) cloudfront_default_certificate: Option<bool>,
    #[serde(default)]
    pub(super) iam_certificate_id: Option<String>,
}

pub(super) fn certificate_use(
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
pub(super) fn certificate_by_ref<'c>(
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
        // A validation leads to a certificate, never to another validation
        // (`aws_acm_certificate_validation` also starts with
        // `aws_acm_certificate`): one step, so a plan whose validation names
        // itself cannot recurse.
        let certificate = format!("{CERTIFICATE}.");
        return validation
            .certificate_arn
            .iter()
            .filter(|r| resource_ref(r).is_some_and(|t| t.starts_with(&certificate)))
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

/// What the plan knows that a resource's certificate may refer to.
pub(super) struct Planned<'p> {
    pub(super) config: &'p Config,
    pub(super) certificates: &'p [PlannedCertificate],
    pub(super) parents: &'p [PlannedParent],
}

/// A multi-tenant distribution in the plan: its ID when known, and the
/// certificate its tenants inherit.
pub(super) struct PlannedParent {
    pub(super) address: String,
    pub(super) id: Option<String>,
    pub(super) certificate: CertificateUse,
}

#[derive(Deserialize, Default)]
struct ParentState {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    viewer_certificate: Option<Vec<ViewerCertificate>>,
}

/// An `aws_cloudfront_multitenant_distribution` change: its ID and its
/// `viewer_certificate` (the Terraform AWS provider's schema for it has
/// the same `acm_certificate_arn` and `cloudfront_default_certificate` as
/// a standard distribution's).
pub(super) fn read_parent(
    source: &Source,
    rc: &RawChange,
    config: &Config,
    certificates: &[PlannedCertificate],
) -> Result<PlannedParent, InputError> {
    let change: Change = parse(source, rc.change)?;
    let after: ParentState = parse_or_default(source, change.after)?;
    let before: ParentState = parse_or_default(source, change.before)?;
    let unknown: serde_json::Value = parse_or_default(source, change.after_unknown)?;
    let address = string_of(source, rc.address)?;
    let module_address = rc.module_address.as_deref().unwrap_or("").to_string();
    let refs = config.resources.get(&(
        address::strip_keys(&module_address),
        format!("{MULTI_TENANT}.{}", resource_name(&address)),
    ));
    let certificate = certificate_use(
        after.viewer_certificate.as_ref().and_then(|v| v.first()),
        &unknown["viewer_certificate"],
        refs,
        &module_address,
        certificates,
        config,
    );
    Ok(PlannedParent {
        address,
        id: after.id.or(before.id).filter(|i| !i.is_empty()),
        certificate,
    })
}

/// A tenant's `customizations` block, as far as its certificate goes.
#[derive(Deserialize, Default)]
pub(super) struct Customizations {
    #[serde(default)]
    certificate: Option<Vec<TenantCertificate>>,
}

#[derive(Deserialize, Default)]
struct TenantCertificate {
    #[serde(default)]
    arn: Option<String>,
}

/// The attributes of an `aws_cloudfront_distribution_tenant` that decide
/// its certificate: `customizations { certificate { arn } }` and
/// `managed_certificate_request` (the Terraform AWS provider's schema;
/// `DistributionTenant.Customizations.Certificate.Arn` and
/// `ManagedCertificateRequest` in CloudFront's API).
#[derive(Deserialize, Default)]
pub(super) struct TenantCertificateState {
    #[serde(default)]
    customizations: Option<Vec<Customizations>>,
    #[serde(default)]
    managed_certificate_request: Option<Vec<serde_json::Value>>,
}

/// The certificate a tenant serves its domains with: one CloudFront
/// manages for it, else its own ACM certificate, else its multi-tenant
/// distribution's, from the plan when the plan knows it, else as AWS
/// describes that distribution.
///
/// "When you create a distribution tenant, the tenant inherits the shared
/// AWS Certificate Manager (ACM) certificate from the multi-tenant
/// distribution. [...] you can add a managed CloudFront certificate from
/// ACM. CloudFront then gets an HTTP-validated certificate from ACM on your
/// behalf" (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/managed-cloudfront-certificates.html>);
/// a tenant's customizations hold "the Amazon Resource Names (ARNs) for
/// the ACM certificate [...] that you can override or disable from the
/// multi-tenant distribution"
/// (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Customizations.html>).
pub(super) fn tenant_certificate_use(
    state: &TenantCertificateState,
    unknown_customizations: &serde_json::Value,
    parent_id: Option<&str>,
    refs: Option<&ResourceRefs>,
    module_address: &str,
    planned: &Planned,
) -> CertificateUse {
    if state
        .managed_certificate_request
        .as_ref()
        .is_some_and(|m| !m.is_empty())
    {
        return CertificateUse::Managed;
    }
    let own = state
        .customizations
        .iter()
        .flatten()
        .flat_map(|c| c.certificate.iter().flatten())
        .find_map(|c| c.arn.clone())
        .filter(|a| !a.is_empty());
    let u = unknown_customizations;
    let own_unknown = is_true(u)
        || is_true(&u[0])
        || is_true(&u[0]["certificate"])
        || is_true(&u[0]["certificate"][0])
        || is_true(&u[0]["certificate"][0]["arn"]);
    if own.is_some() || own_unknown {
        let vc = ViewerCertificate {
            acm_certificate_arn: own,
            ..ViewerCertificate::default()
        };
        let flags = serde_json::json!([{ "acm_certificate_arn": own_unknown }]);
        return certificate_use(
            Some(&vc),
            &flags,
            refs,
            module_address,
            planned.certificates,
            planned.config,
        );
    }
    let by_id =
        parent_id.and_then(|id| planned.parents.iter().find(|p| p.id.as_deref() == Some(id)));
    let by_ref = || {
        refs?
            .parent
            .iter()
            .find_map(|r| parent_by_ref(r, module_address, planned.parents))
    };
    match by_id.or_else(by_ref) {
        Some(p) if p.certificate != CertificateUse::Unknown => p.certificate.clone(),
        _ => CertificateUse::Parent {
            distribution_id: parent_id.map(str::to_string),
        },
    }
}

/// `aws_cloudfront_multitenant_distribution.x.id` made in module instance
/// `module_address` -> that distribution in the plan, when there is exactly
/// one.
fn parent_by_ref<'p>(
    reference: &str,
    module_address: &str,
    parents: &'p [PlannedParent],
) -> Option<&'p PlannedParent> {
    let target = resource_ref(reference)?;
    if !target.starts_with(&format!("{MULTI_TENANT}.")) {
        return None;
    }
    let prefix = address::join(module_address, &target);
    let mut matching = parents
        .iter()
        .filter(|p| address::strip_last_key(&p.address) == prefix);
    let first = matching.next()?;
    match matching.next() {
        None => Some(first),
        Some(_) => None,
    }
}
