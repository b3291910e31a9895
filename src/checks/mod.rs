//! Checks: pure functions from claims and facts to findings.
//!
//! One file per family. No check does I/O or prints; each reads the
//! resources and claims of the inputs and the facts fetched before.

mod aws;
mod certificate;
mod dns;
mod holders;
mod merge;
mod names;
mod remedies;
mod staging;

use crate::diag::{Code, Finding, Related};
use crate::facts::Facts;
use crate::input::Inputs;
use crate::model::{Address, Claim, Resource};

/// Runs every check; findings come back in source order.
pub fn check(inputs: &Inputs, facts: &Facts) -> Vec<Finding> {
    let resources = &inputs.resources;
    let mut findings = Vec::new();
    // A staging distribution's aliases are wrong whoever holds them: one
    // finding says so, and no other check judges them (a move onto a
    // staging distribution is never a fix).
    staging::check(resources, &inputs.claims, &mut findings);
    let claims: &Vec<Claim> = &inputs
        .claims
        .iter()
        .filter(|c| !resources[c.resource].staging)
        .cloned()
        .collect();
    names::check(resources, claims, &mut findings);
    holders::check(resources, claims, &mut findings);
    certificate::check(resources, claims, facts, &mut findings);
    aws::check(resources, claims, facts, &mut findings);
    let (dns_findings, seen) = dns::check(resources, claims, &inputs.records, facts);
    findings.extend(dns_findings);
    // Evidence that belongs together is joined here, once every check ran.
    let mut findings = merge::join(findings, &seen);
    findings.sort_by_key(|f| (f.span.source, f.span.offset, f.code));
    findings
}

/// A finding about one claim, with the claim's span as primary label.
fn about_claim(
    code: Code,
    claim: &Claim,
    resource: &Resource,
    message: String,
    label: impl Into<String>,
    help: String,
) -> Finding {
    Finding {
        code,
        severity: code.default_severity(),
        message,
        alias: claim.alias.name().map(|_| claim.display()),
        address: Some(resource.address.clone()),
        input: Some(resource.file.clone()),
        span: claim.span,
        label: label.into(),
        show_source: !claim.sensitive,
        related: Vec::new(),
        help,
        holder: None,
        fix: None,
        dns: None,
        suppressed: None,
        caveat: None,
        party: None,
    }
}

fn related(resource: &Resource, label: String) -> Related {
    Related {
        input: Some(resource.file.clone()),
        ..related_span(resource.span, resource.address.clone(), label)
    }
}

fn related_span(span: crate::model::Span, address: Address, label: String) -> Related {
    Related {
        span,
        label,
        address: Some(address),
        input: None,
    }
}

/// The address as written in configuration: `module.a["x"].aws_t.n[0]` is
/// `aws_t.n` inside its module.
fn config_address(address: &str) -> String {
    let segments = crate::input::address::segments(address);
    let last = segments.last().cloned().unwrap_or_default();
    crate::input::address::strip_keys(&last)
}
