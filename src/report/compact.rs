//! Compact output, tflint's shape: `file:line:col: Error - message (code)`,
//! one line per finding, so existing problem matchers work. Nothing is
//! printed when there is nothing to report. A file name that could start a
//! workflow command is printed as `./name`, and no line reads as one.

use std::io::{self, Write};

use super::Reporter;
use crate::Outcome;
use crate::diag::Severity;

pub struct CompactReporter;

impl Reporter for CompactReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let sources = &outcome.inputs.sources;
        for f in outcome.reported() {
            let at = sources.locate(f.span);
            let severity = match f.severity {
                Severity::Error => "Error",
                Severity::Warning => "Warning",
                Severity::Note => "Notice",
            };
            let line = format!(
                "{}:{}:{}: {severity} - {} ({})",
                crate::display::leading_path(sources.name(f.span.source)),
                at.line,
                at.column,
                one_line(&f.message),
                f.code
            );
            writeln!(out, "{}", crate::display::inert(&line))?;
        }
        Ok(())
    }
}

/// Messages are one line already; this keeps the format safe if one is not.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
