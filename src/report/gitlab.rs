//! GitLab Code Quality: the JSON array the merge-request widget reads
//! (`artifacts: reports: codequality`). One issue per reported finding,
//! with the file relative to the repository root and a fingerprint that
//! stays the same when lines move, so GitLab tells new issues from fixed
//! ones between the target branch and the merge request.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::paths::{finding_fingerprint, repository_path};
use super::{Reporter, Style};
use crate::Outcome;
use crate::diag::Severity;

pub struct GitlabReporter {
    pub style: Style,
}

/// GitLab's scale is info, minor, major, critical, blocker: an error stops
/// the apply (critical), a warning may (minor), a note is information.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

impl Reporter for GitlabReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let sources = &outcome.inputs.sources;
        let root = self.style.repo_root.as_deref();
        let issues: Vec<Value> = outcome
            .reported()
            .map(|f| {
                let name = sources.name(f.span.source);
                let path = repository_path(name, root);
                let at = sources.locate(f.span);
                json!({
                    "description": format!("{} ({})", super::compact::one_line(&f.message), f.code),
                    "check_name": f.code.name(),
                    "fingerprint": finding_fingerprint(f, &path),
                    "severity": severity(f.severity),
                    "location": {"path": path, "lines": {"begin": at.line}},
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &issues)?;
        writeln!(out)
    }
}
