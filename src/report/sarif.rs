//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers: one rule
//! per code with its description and help, one result per finding with
//! artifact URIs relative to the repository root (code scanning drops
//! absolute ones) and a `partialFingerprints` value that does not change when
//! lines move.

use std::io::{self, Write};
use std::path::Path;

use super::paths::{finding_fingerprint, repository_path, uri};

use serde_json::{Value, json};

use super::{Reporter, Style};
use crate::Outcome;
use crate::diag::{Code, Finding, Severity, SuppressionKind};
use crate::model::Span;
use crate::source::Sources;

pub struct SarifReporter {
    pub style: Style,
}

impl Reporter for SarifReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let sources = &outcome.inputs.sources;
        let root = self.style.repo_root.as_deref();
        let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
        let results: Vec<Value> = outcome
            .findings
            .iter()
            .map(|f| result(f, sources, root))
            .collect();
        let notifications: Vec<Value> = outcome
            .inputs
            .errors
            .iter()
            .map(|e| {
                json!({
                    "level": "error",
                    "message": {"text": e.to_string()},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(e.path(), root)}}}],
                })
            })
            // What was not checked (a module not installed) is a warning.
            .chain(outcome.inputs.warnings.iter().map(|w| {
                json!({
                    "level": "warning",
                    "message": {"text": crate::display::clean(w)},
                })
            }))
            .collect();
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [{
                    "executionSuccessful": outcome.exit_code() != crate::exit::ERROR,
                    "toolExecutionNotifications": notifications,
                }],
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule(code: Code) -> Value {
    let name: String = code
        .name()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    json!({
        "id": code.name(),
        "name": name,
        "shortDescription": {"text": code.summary()},
        "fullDescription": {"text": full_description(code)},
        "help": {"text": code.doc(), "markdown": code.doc()},
        "helpUri": format!("{}/blob/main/docs/codes/{}.md", env!("CARGO_PKG_REPOSITORY"), code.name()),
        "defaultConfiguration": {"level": level(code.default_severity())},
    })
}

/// The code page's "What it means" paragraphs, as one text: longer than
/// the one-line summary, shorter than the whole page (`help`).
fn full_description(code: Code) -> String {
    let doc = code.doc();
    let section = doc
        .split_once("## What it means")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or(rest))
        .unwrap_or(code.summary());
    section
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn result(f: &Finding, sources: &Sources, root: Option<&Path>) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": i,
                "message": {"text": r.label},
                "physicalLocation": physical(sources, r.span, root),
            })
        })
        .collect();
    let index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
    let suppressions: Vec<Value> = f
        .suppressed
        .iter()
        .map(|s| {
            let kind = match s.kind {
                SuppressionKind::Inline => "inSource",
                SuppressionKind::Config => "external",
            };
            json!({"kind": kind, "justification": s.reason})
        })
        .collect();
    json!({
        "suppressions": suppressions,
        "ruleId": f.code.name(),
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": format!("{}\n\nhelp: {}", f.message, f.help)},
        "locations": [{"physicalLocation": physical(sources, f.span, root)}],
        "relatedLocations": related,
        "partialFingerprints": {
            "cnamePreflight/v1": finding_fingerprint(f, &repository_path(sources.name(f.span.source), root)),
        },
    })
}

fn physical(sources: &Sources, span: Span, root: Option<&Path>) -> Value {
    let start = sources.locate(span);
    let end = sources.locate(Span {
        offset: span.offset + span.len,
        len: 0,
        ..span
    });
    json!({
        "artifactLocation": {"uri": uri(sources.name(span.source), root), "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column.max(start.column + usize::from(end.line == start.line)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_longer_description_and_a_help_page() {
        for code in Code::ALL {
            let rule = rule(*code);
            let short = rule["shortDescription"]["text"].as_str().unwrap();
            let full = rule["fullDescription"]["text"].as_str().unwrap();
            assert!(full.len() > short.len(), "{}: {full}", code.name());
            assert!(!full.contains("##"), "{full}");
            let page = format!("docs/codes/{}.md", code.name());
            assert!(Path::new(&page).exists(), "{page}");
            assert!(
                rule["helpUri"].as_str().unwrap().ends_with(&page),
                "{}",
                rule["helpUri"]
            );
        }
    }
}
