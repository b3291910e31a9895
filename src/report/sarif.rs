//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers: one rule
//! per code with its description and help, one result per finding with
//! artifact URIs relative to the repository root (code scanning drops
//! absolute ones) and a `partialFingerprints` value that does not change when
//! lines move.

use std::io::{self, Write};
use std::path::Path;

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
        "fullDescription": {"text": code.summary()},
        "help": {"text": code.doc(), "markdown": code.doc()},
        "defaultConfiguration": {"level": level(code.default_severity())},
    })
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
            "cnamePreflight/v1": fingerprint(&[
                f.code.name(),
                &f.address.as_ref().map(ToString::to_string).unwrap_or_default(),
                f.alias.as_deref().unwrap_or(""),
                sources.name(f.span.source),
            ]),
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

/// The file's path relative to the repository root, with `/` separators;
/// the path as given when it is outside the repository.
fn uri(path: &str, root: Option<&Path>) -> String {
    let given = Path::new(path);
    let relative = root.and_then(|root| {
        let absolute = if given.is_absolute() {
            given.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(given)
        };
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        absolute.strip_prefix(root).ok().map(Path::to_path_buf)
    });
    let path = relative.unwrap_or_else(|| given.to_path_buf());
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .filter(|c| c != ".")
        .collect::<Vec<_>>()
        .join("/")
        .replace(' ', "%20")
}

/// FNV-1a over the parts: the same finding gets the same value in every run,
/// wherever its line moves.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_repository_root() {
        let root = std::env::current_dir().unwrap().canonicalize().unwrap();
        assert_eq!(
            uri("fixtures/plans/clean-create.json", Some(&root)),
            "fixtures/plans/clean-create.json"
        );
        assert_eq!(
            uri("./fixtures/plans/clean-create.json", Some(&root)),
            "fixtures/plans/clean-create.json"
        );
        let absolute = root.join("fixtures/plans/clean-create.json");
        assert_eq!(
            uri(absolute.to_str().unwrap(), Some(&root)),
            "fixtures/plans/clean-create.json"
        );
        assert_eq!(uri("plan.json", None), "plan.json");
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab", ""]));
    }
}
