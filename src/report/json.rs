//! JSON output: one versioned document for tools. The schema is in
//! docs/formats.md; bump `version` on any change that removes or retypes a field.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Reporter;
use super::summary::Summary;
use crate::Outcome;
use crate::diag::Fix;
use crate::facts::{AwsFacts, DnsFacts};
use crate::model::{AliasValue, Span};
use crate::source::Sources;

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

fn location(sources: &Sources, span: Span) -> Value {
    let at = sources.locate(span);
    json!({
        "file": sources.name(span.source),
        "line": at.line,
        "column": at.column,
        "offset": span.offset,
        "length": span.len,
    })
}

fn fix(fix: &Fix) -> Value {
    json!({
        "remedy": fix.remedy.name(),
        "steps": steps(&fix.steps),
        "alternatives": fix.alternatives.iter().map(|a| json!({
            "remedy": a.remedy.name(),
            "when": a.when,
            "steps": steps(&a.steps),
        })).collect::<Vec<_>>(),
    })
}

fn steps(steps: &[crate::diag::Step]) -> Vec<Value> {
    steps
        .iter()
        .map(|s| {
            json!({
                "status": s.status.name(),
                "reason": match &s.status {
                    crate::diag::StepStatus::NotVerified(why) => Some(why.as_str()),
                    _ => None,
                },
                "text": s.text,
                "command": s.command,
            })
        })
        .collect()
}

fn document(outcome: &Outcome) -> Value {
    let inputs = &outcome.inputs;
    let sources = &inputs.sources;
    let claims: Vec<Value> = inputs
        .claims
        .iter()
        .map(|c| {
            let r = &inputs.resources[c.resource];
            let (alias, unknown_reason) = match (&c.alias, c.sensitive) {
                (AliasValue::Known { raw, .. }, false) => (json!(raw), Value::Null),
                (AliasValue::Known { .. }, true) => (Value::Null, Value::Null),
                (AliasValue::Unknown { reason }, _) => (Value::Null, json!(reason)),
            };
            json!({
                "address": r.address.to_string(),
                "resource_type": r.kind.type_name(),
                "alias": alias,
                "known": c.alias.name().is_some(),
                "sensitive": c.sensitive,
                "unknown_reason": unknown_reason,
                "action": r.action.name(),
                "provider_config_key": r.provider_key,
                "distribution_id": r.distribution_id,
                "location": location(sources, c.span),
            })
        })
        .collect();
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code.name(),
                "severity": f.severity.name(),
                "message": f.message,
                "alias": f.alias,
                "address": f.address.as_ref().map(ToString::to_string),
                "help": f.help,
                "suppressed": f.suppressed.as_ref().map(|s| json!({"kind": s.kind.name(), "reason": s.reason})),
                "fix": f.fix.as_ref().map(fix),
                "dns": f.dns.as_ref().map(|d| json!({
                    "name": d.name,
                    "chain": d.chain,
                    "points_to": d.points_to,
                    "distribution_id": d.distribution_id,
                    "account_id": d.account_id,
                    "via": d.via,
                })),
                "holder": f.holder.as_ref().map(|h| json!({
                    "distribution_id": h.distribution_id,
                    "account_id": h.account_id,
                    "same_account": h.same_account,
                    "domain_name": h.domain_name,
                    "enabled": h.enabled,
                    "status": h.status,
                })),
                "location": location(sources, f.span),
                "related": f.related.iter().map(|r| json!({
                    "message": r.label,
                    "address": r.address.as_ref().map(ToString::to_string),
                    "location": location(sources, r.span),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let errors: Vec<Value> = inputs
        .errors
        .iter()
        .map(|e| {
            use miette::Diagnostic;
            let at = e.offset().and_then(|offset| {
                let id = sources.find(e.path())?;
                let loc = sources.get(id).locate(offset);
                Some(json!({"file": e.path(), "line": loc.line, "column": loc.column, "offset": offset}))
            });
            json!({
                "code": e.code().map(|c| c.to_string()),
                "file": e.path(),
                "message": e.to_string(),
                "help": e.help().map(|h| h.to_string()),
                "location": at,
            })
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
    let aws = match &outcome.facts.aws {
        AwsFacts::NotAsked(why) => json!({"asked": false, "reason": why.reason()}),
        AwsFacts::Asked(inventory) => json!({
            "asked": true,
            "accounts": inventory.accounts.iter().map(|a| json!({
                "account_id": a.account_id,
                "provider_keys": a.provider_keys,
                "distributions": a.distributions.as_ref().ok().map(Vec::len),
                "error": a.distributions.as_ref().err(),
            })).collect::<Vec<_>>(),
            "aliases_looked_up": inventory.lookups.iter().filter(|l| l.result.is_ok()).count(),
            "aliases_not_verified": inventory.lookups.iter().filter(|l| l.result.is_err()).count(),
            "other_accounts_checked": !inventory.lookups.is_empty()
                && inventory.lookups.iter().all(|l| l.result.is_ok()),
            "lookups": inventory.lookups.iter().map(|l| json!({
                "alias": (!sensitive.contains(l.alias.as_str())).then(|| l.alias.as_str()),
                "account_id": l.account_id,
                "probe_distribution_id": l.result.as_ref().ok().map(|p| p.distribution_id.clone()),
                "query": l.result.as_ref().ok().map(|p| {
                    // A grouped query names the parent, never the alias.
                    if p.query == l.alias && sensitive.contains(l.alias.as_str()) {
                        None
                    } else {
                        Some(p.query.as_str())
                    }
                }),
                "conflicts": l.result.as_ref().ok().map(|p| p.conflicts.len()),
                "error": l.result.as_ref().err(),
            })).collect::<Vec<_>>(),
        }),
        AwsFacts::Failed(e) => json!({"asked": false, "reason": "failed", "error": e.to_string()}),
    };
    let dns = match &outcome.facts.dns {
        DnsFacts::NotAsked(why) => json!({"asked": false, "reason": why.reason()}),
        DnsFacts::Asked(answers) => json!({
            "asked": true,
            "resolvers": answers.resolvers,
            "names_looked_up": answers.names.values().filter(|r| r.is_ok()).count(),
            "names_not_verified": answers.names.values().filter(|r| r.is_err()).count(),
        }),
        DnsFacts::Failed(e) => json!({"asked": false, "reason": "failed", "error": e.to_string()}),
    };
    json!({
        "version": SCHEMA_VERSION,
        "tool": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "inputs": inputs.plans.iter().map(|p| json!({
            "file": p.file,
            "kind": "plan",
            "document": p.document,
            "format_version": p.format_version,
            "terraform_version": p.terraform_version,
        })).chain(inputs.config_roots.iter().map(|dir| json!({
            "file": dir,
            "kind": "configuration",
        }))).collect::<Vec<_>>(),
        "warnings": inputs.warnings,
        "claims": claims,
        "findings": findings,
        "errors": errors,
        "summary": {
            "resources": summary.resources,
            "claims": summary.claims,
            "unique_aliases": summary.unique_aliases,
            "unknown_aliases": summary.unknown_aliases(),
            "findings": {
                "error": summary.errors,
                "warning": summary.warnings,
                "note": summary.notes,
            },
            "suppressed": summary.suppressed,
            "input_errors": summary.input_errors,
            "aws": aws,
            "dns": dns,
            "minimum_failure_severity": outcome.threshold.name(),
            "exit_code": outcome.exit_code(),
        },
    })
}
