//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` annotation per finding, on the alias's file and line, with the
//! fix in the message; a `::warning` for each input that was not checked.

use std::io::{self, Write};

use super::Reporter;
use crate::Outcome;
use crate::diag::Severity;

pub struct GithubReporter;

impl Reporter for GithubReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let sources = &outcome.inputs.sources;
        for f in outcome.reported() {
            let at = sources.locate(f.span);
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},title={}::{}",
                property(sources.name(f.span.source)),
                at.line,
                at.column,
                property(&format!("cname-preflight {}", f.code)),
                data(&format!("{}\nhelp: {}", f.message, f.help)),
            )?;
        }
        // What was not checked (a module not installed...) has no line of
        // its own, but belongs on the run's summary as much as a finding.
        for w in &outcome.inputs.warnings {
            writeln!(
                out,
                "::warning title={}::{}",
                property("cname-preflight: not checked"),
                data(&crate::display::shown(w)),
            )?;
        }
        Ok(())
    }
}

/// Escapes a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_values() {
        assert_eq!(data("50%\na"), "50%25%0Aa");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
