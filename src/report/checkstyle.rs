//! Checkstyle XML: one `<error>` per finding, grouped by file.

use std::io::{self, Write};

use super::Reporter;
use super::xml::escape;
use crate::Outcome;
use crate::diag::Severity;

pub struct CheckstyleReporter;

impl Reporter for CheckstyleReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let sources = &outcome.inputs.sources;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<checkstyle version="4.3">"#)?;
        let mut files: Vec<usize> = outcome.reported().map(|f| f.span.source).collect();
        files.sort_unstable();
        files.dedup();
        for file in files {
            writeln!(out, r#"  <file name="{}">"#, escape(sources.name(file)))?;
            for f in outcome.reported().filter(|f| f.span.source == file) {
                let at = sources.locate(f.span);
                let severity = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "info",
                };
                writeln!(
                    out,
                    r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="cname-preflight.{}"/>"#,
                    at.line,
                    at.column,
                    escape(&format!("{} (help: {})", f.message, f.help)),
                    escape(f.code.name())
                )?;
            }
            writeln!(out, "  </file>")?;
        }
        writeln!(out, "</checkstyle>")
    }
}
