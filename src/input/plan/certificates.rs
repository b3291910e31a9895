//! ACM certificates the plan creates or keeps, for certificate coverage.

use serde::Deserialize;

use crate::error::InputError;
use crate::model::DomainName;
use crate::source::Source;

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
