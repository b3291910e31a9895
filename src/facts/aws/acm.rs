//! ACM: the names of the certificates distributions use, each asked once
//! from the account that uses it.

use std::collections::BTreeMap;

use super::super::{Ask, AwsOptions, Inventory, bounded, tolerate};
use super::clients::Clients;
use super::errors::classify;
use crate::error::FetchError;
use crate::model::DomainName;

pub(super) type CertificateNames = BTreeMap<String, Result<Vec<DomainName>, String>>;

/// Names of every ACM certificate the listed distributions use, asked from
/// the account that owns the distribution, and of those the plan's
/// distributions name by ARN, asked from the claiming resource's account.
pub async fn describe_certificates(
    inventory: &Inventory,
    clients: &[Clients],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<CertificateNames, FetchError> {
    // Each ARN once, asked with the clients of the account that uses it.
    let mut wanted: Vec<(String, &Clients)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut want = |arn: &str, account_id: &str| {
        if seen.contains(arn) {
            return;
        }
        if let Some(c) = clients.iter().find(|c| c.account_id == account_id) {
            seen.insert(arn.to_string());
            wanted.push((arn.to_string(), c));
        }
    };
    for account in &inventory.accounts {
        for d in account.distributions.iter().flatten() {
            if let Some(arn) = &d.certificate_arn {
                want(arn, &account.account_id);
            }
        }
    }
    for ask in asks {
        if let (Some(arn), Some(account)) = (
            &ask.certificate_arn,
            inventory.account_of(ask.provider_key.as_deref()),
        ) {
            want(arn, &account.account_id);
        }
    }
    let jobs = wanted.into_iter().map(|(arn, c)| {
        let c = c.clone();
        async move {
            let names = certificate_names(&c.acm, &arn, &c.provider).await;
            (arn, names)
        }
    });
    let mut out = BTreeMap::new();
    for (arn, names) in bounded(jobs, options.concurrency).await? {
        out.insert(arn, tolerate(names, options.on_api_error)?);
    }
    Ok(out)
}

/// The domain name and SANs of an ACM certificate.
pub async fn certificate_names(
    acm: &aws_sdk_acm::Client,
    arn: &str,
    provider: &str,
) -> Result<Vec<DomainName>, FetchError> {
    let out = acm
        .describe_certificate()
        .certificate_arn(arn)
        .send()
        .await
        .map_err(|e| classify(e, "acm:DescribeCertificate", provider))?;
    // An answer without the certificate or its name is not "no names": it
    // would turn into false certificate-does-not-cover errors.
    let certificate = out
        .certificate()
        .filter(|c| c.domain_name().is_some_and(|d| !d.is_empty()))
        .ok_or_else(|| FetchError::Api {
            operation: "acm:DescribeCertificate".into(),
            provider: provider.into(),
            detail: format!("the answer for `{arn}` has no certificate domain name"),
        })?;
    let mut names = Vec::new();
    for n in certificate.domain_name().into_iter().chain(
        certificate
            .subject_alternative_names()
            .iter()
            .map(String::as_str),
    ) {
        let n = DomainName::new(n);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    Ok(names)
}
