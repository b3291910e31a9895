//! JSON output: one versioned document for tools. Its types are in
//! [`document`], from which docs/schema.json is generated; bump `version`
//! on any change that removes or retypes a field.

use std::io::{self, Write};

use super::Reporter;
use super::summary::Summary;
use crate::Outcome;
use crate::diag::Fix;
use crate::facts::{AwsFacts, DnsFacts};
use crate::model::{AliasValue, Span};
use crate::source::Sources;

pub mod document;

use document as doc;

/// The version of the JSON document's schema.
pub const SCHEMA_VERSION: u32 = 1;

pub struct JsonReporter;

impl Reporter for JsonReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let doc = document(outcome);
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

/// The schema of the document, as published in docs/schema.json.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(doc::Document)).unwrap_or_default()
}

fn location(sources: &Sources, span: Span) -> doc::Location {
    let at = sources.locate(span);
    doc::Location {
        file: sources.name(span.source).to_string(),
        line: at.line,
        column: at.column,
        offset: span.offset,
        length: span.len,
    }
}

fn severity(s: crate::diag::Severity) -> doc::Severity {
    match s {
        crate::diag::Severity::Error => doc::Severity::Error,
        crate::diag::Severity::Warning => doc::Severity::Warning,
        crate::diag::Severity::Note => doc::Severity::Note,
    }
}

fn fix(fix: &Fix) -> doc::Fix {
    doc::Fix {
        remedy: fix.remedy.name().to_string(),
        steps: steps(&fix.steps),
        alternatives: fix
            .alternatives
            .iter()
            .map(|a| doc::Alternative {
                remedy: a.remedy.name().to_string(),
                when: a.when.clone(),
                steps: steps(&a.steps),
            })
            .collect(),
    }
}

fn steps(steps: &[crate::diag::Step]) -> Vec<doc::Step> {
    steps
        .iter()
        .map(|s| doc::Step {
            status: s.status.name().to_string(),
            reason: match &s.status {
                crate::diag::StepStatus::NotVerified(why) => Some(why.clone()),
                _ => None,
            },
            evidence: match &s.status {
                crate::diag::StepStatus::Verified(seen) => Some(seen.clone()),
                _ => None,
            },
            text: s.text.clone(),
            command: s.command.clone(),
        })
        .collect()
}

fn document(outcome: &Outcome) -> doc::Document {
    let inputs = &outcome.inputs;
    let sources = &inputs.sources;
    let claims: Vec<doc::Claim> = inputs
        .claims
        .iter()
        .map(|c| {
            let r = &inputs.resources[c.resource];
            let (alias, unknown_reason) = match (&c.alias, c.sensitive) {
                (AliasValue::Known { raw, .. }, false) => (Some(raw.clone()), None),
                (AliasValue::Known { .. }, true) => (None, None),
                (AliasValue::Unknown { reason }, _) => (None, Some(reason.clone())),
            };
            doc::Claim {
                address: r.address.to_string(),
                resource_type: r.kind.type_name().to_string(),
                alias,
                known: c.alias.name().is_some(),
                sensitive: c.sensitive,
                unknown_reason,
                action: r.action.name().to_string(),
                provider_config_key: r.provider_key.clone(),
                distribution_id: r.distribution_id.clone(),
                location: location(sources, c.span),
            }
        })
        .collect();
    let findings: Vec<doc::Finding> = outcome
        .findings
        .iter()
        .map(|f| doc::Finding {
            code: f.code.name().to_string(),
            severity: severity(f.severity),
            message: f.message.clone(),
            alias: f.alias.clone(),
            address: f.address.as_ref().map(ToString::to_string),
            help: f.help.clone(),
            suppressed: f.suppressed.as_ref().map(|s| doc::Suppressed {
                kind: s.kind.name().to_string(),
                reason: s.reason.clone(),
            }),
            fix: f.fix.as_ref().map(fix),
            dns: f.dns.as_ref().map(|d| doc::Dns {
                name: d.name.clone(),
                chain: d.chain.clone(),
                points_to: d.points_to.clone(),
                distribution_id: d.distribution_id.clone(),
                account_id: d.account_id.clone(),
                via: d.via.map(str::to_string),
            }),
            holder: f.holder.as_ref().map(|h| doc::Holder {
                distribution_id: h.distribution_id.clone(),
                account_id: h.account_id.clone(),
                same_account: h.same_account,
                domain_name: h.domain_name.clone(),
                enabled: h.enabled,
                status: h.status.clone(),
            }),
            location: location(sources, f.span),
            related: f
                .related
                .iter()
                .map(|r| doc::Related {
                    message: r.label.clone(),
                    address: r.address.as_ref().map(ToString::to_string),
                    location: location(sources, r.span),
                })
                .collect(),
        })
        .collect();
    let errors: Vec<doc::InputError> = inputs
        .errors
        .iter()
        .map(|e| {
            use miette::Diagnostic;
            let at = e.offset().and_then(|offset| {
                let id = sources.find(e.path())?;
                let loc = sources.get(id).locate(offset);
                Some(doc::ErrorLocation {
                    file: e.path().to_string(),
                    line: loc.line,
                    column: loc.column,
                    offset,
                })
            });
            doc::InputError {
                code: e.code().map(|c| c.to_string()),
                file: e.path().to_string(),
                message: e.to_string(),
                help: e.help().map(|h| h.to_string()),
                location: at,
            }
        })
        .collect();
    let summary = Summary::of(outcome);
    // A name any claim marks sensitive is never printed, here either.
    let sensitive: std::collections::HashSet<&str> = inputs
        .claims
        .iter()
        .filter(|c| c.sensitive)
        .filter_map(|c| c.alias.name().map(|n| n.as_str()))
        .collect();
    let not_asked = |reason: &str, error: Option<String>| doc::NotAsked {
        asked: false,
        reason: reason.to_string(),
        error,
    };
    let aws = match &outcome.facts.aws {
        AwsFacts::NotAsked(why) => doc::Aws::NotAsked(not_asked(why.reason(), None)),
        AwsFacts::Asked(inventory) => doc::Aws::Asked {
            asked: true,
            accounts: inventory
                .accounts
                .iter()
                .map(|a| doc::Account {
                    account_id: a.account_id.clone(),
                    provider_keys: a.provider_keys.clone(),
                    distributions: a.distributions.as_ref().ok().map(Vec::len),
                    error: a.distributions.as_ref().err().cloned(),
                })
                .collect(),
            aliases_looked_up: inventory
                .lookups
                .iter()
                .filter(|l| l.result.is_ok())
                .count(),
            aliases_not_verified: inventory
                .lookups
                .iter()
                .filter(|l| l.result.is_err())
                .count(),
            other_accounts_checked: !inventory.lookups.is_empty()
                && inventory.lookups.iter().all(|l| l.result.is_ok()),
            lookups: inventory
                .lookups
                .iter()
                .map(|l| doc::Lookup {
                    alias: (!sensitive.contains(l.alias.as_str())).then(|| l.alias.to_string()),
                    account_id: l.account_id.clone(),
                    probe_distribution_id: l
                        .result
                        .as_ref()
                        .ok()
                        .map(|p| p.distribution_id.clone()),
                    operation: l
                        .result
                        .as_ref()
                        .ok()
                        .map(|p| p.operation.name().to_string()),
                    // A grouped query names the parent, never the alias.
                    query: l.result.as_ref().ok().and_then(|p| {
                        (p.query != l.alias || !sensitive.contains(l.alias.as_str()))
                            .then(|| p.query.to_string())
                    }),
                    conflicts: l.result.as_ref().ok().map(|p| p.conflicts.len()),
                    error: l.result.as_ref().err().cloned(),
                })
                .collect(),
        },
        AwsFacts::Failed(e) => doc::Aws::NotAsked(not_asked("failed", Some(e.to_string()))),
    };
    let dns = match &outcome.facts.dns {
        DnsFacts::NotAsked(why) => doc::DnsSummary::NotAsked(not_asked(why.reason(), None)),
        DnsFacts::Asked(answers) => doc::DnsSummary::Asked {
            asked: true,
            resolvers: answers.resolvers.clone(),
            names_looked_up: answers.names.values().filter(|r| r.is_ok()).count(),
            names_not_verified: answers.names.values().filter(|r| r.is_err()).count(),
        },
        DnsFacts::Failed(e) => doc::DnsSummary::NotAsked(not_asked("failed", Some(e.to_string()))),
    };
    doc::Document {
        version: SCHEMA_VERSION,
        tool: doc::Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        inputs: inputs
            .plans
            .iter()
            .map(|p| doc::Input::Plan {
                file: p.file.clone(),
                kind: doc::PlanKind::Plan,
                document: p.document,
                format_version: p.format_version.clone(),
                terraform_version: p.terraform_version.clone(),
            })
            .chain(
                inputs
                    .config_roots
                    .iter()
                    .map(|dir| doc::Input::Configuration {
                        file: dir.clone(),
                        kind: doc::ConfigurationKind::Configuration,
                    }),
            )
            .collect(),
        warnings: inputs.warnings.clone(),
        claims,
        findings,
        errors,
        summary: doc::Summary {
            resources: summary.resources,
            claims: summary.claims,
            unique_aliases: summary.unique_aliases,
            unknown_aliases: summary.unknown_aliases(),
            findings: doc::Counts {
                error: summary.errors,
                warning: summary.warnings,
                note: summary.notes,
            },
            suppressed: summary.suppressed,
            input_errors: summary.input_errors,
            aws,
            dns,
            minimum_failure_severity: severity(outcome.threshold),
            exit_code: outcome.exit_code(),
        },
    }
}
