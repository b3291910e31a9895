//! Checkstyle XML: one `<error>` per finding, grouped by file.

use std::io::{self, Write};

use super::Reporter;
use super::xml::{attr, finish, writer};
use crate::Outcome;
use crate::diag::Severity;

pub struct CheckstyleReporter;

impl Reporter for CheckstyleReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let sources = &outcome.inputs.sources;
        let mut files: Vec<usize> = outcome.reported().map(|f| f.span.source).collect();
        files.sort_unstable();
        files.dedup();
        let mut xml = writer(out)?;
        xml.create_element("checkstyle")
            .with_attribute(("version", "4.3"))
            .write_inner_content(|xml| {
                for &file in &files {
                    xml.create_element("file")
                        .with_attribute(attr("name", sources.name(file)))
                        .write_inner_content(|xml| {
                            for f in outcome.reported().filter(|f| f.span.source == file) {
                                let at = sources.locate(f.span);
                                let severity = match f.severity {
                                    Severity::Error => "error",
                                    Severity::Warning => "warning",
                                    Severity::Note => "info",
                                };
                                xml.create_element("error")
                                    .with_attribute(("line", at.line.to_string().as_str()))
                                    .with_attribute(("column", at.column.to_string().as_str()))
                                    .with_attribute(("severity", severity))
                                    .with_attribute(attr(
                                        "message",
                                        &format!("{} (help: {})", f.message, f.help),
                                    ))
                                    .with_attribute(attr(
                                        "source",
                                        &format!("cname-preflight.{}", f.code.name()),
                                    ))
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        finish(xml)
    }
}
