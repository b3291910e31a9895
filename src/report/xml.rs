//! XML formats for CI systems: JUnit (one test case per alias claimed, and
//! one failing case per finding) and Checkstyle (one `<error>` per finding,
//! grouped by file).

use std::io::{self, Write};

use super::Reporter;
use crate::Outcome;
use crate::diag::Severity;

pub struct JunitReporter;
pub struct CheckstyleReporter;

impl Reporter for JunitReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let inputs = &outcome.inputs;
        let sources = &inputs.sources;
        let failing: Vec<_> = outcome
            .reported()
            .filter(|f| f.severity >= outcome.threshold)
            .collect();
        let clean: Vec<_> = inputs
            .claims
            .iter()
            .filter(|c| !outcome.findings.iter().any(|f| f.span == c.span))
            .collect();
        let errors = inputs.errors.len();
        let tests = failing.len() + clean.len() + errors;
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="cname-preflight" tests="{tests}" failures="{}" errors="{errors}">"#,
            failing.len()
        )?;
        writeln!(
            out,
            r#"  <testsuite name="cname-preflight" tests="{tests}" failures="{}" errors="{errors}">"#,
            failing.len()
        )?;
        for f in &failing {
            let at = sources.locate(f.span);
            let subject = f
                .alias
                .as_deref()
                .map_or_else(|| "aliases".to_string(), crate::display::shown);
            writeln!(
                out,
                r#"    <testcase classname="{}" name="{} {}" file="{}" line="{}">"#,
                escape(&crate::display::shown(
                    f.address.as_deref().unwrap_or("plan")
                )),
                escape(f.code.name()),
                escape(&subject),
                escape(sources.name(f.span.source)),
                at.line
            )?;
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                escape(f.code.name()),
                escape(&f.message),
                escape(&f.help)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        for c in &clean {
            let r = &inputs.resources[c.resource];
            let at = sources.locate(c.span);
            writeln!(
                out,
                r#"    <testcase classname="{}" name="{}" file="{}" line="{}"/>"#,
                escape(&r.address),
                escape(&c.shown()),
                escape(sources.name(c.span.source)),
                at.line
            )?;
        }
        for e in &inputs.errors {
            writeln!(
                out,
                r#"    <testcase classname="input" name="{}"><error message="{}"/></testcase>"#,
                escape(e.path()),
                escape(&e.to_string())
            )?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

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

/// Escapes text for XML attributes and content.
fn escape(text: &str) -> String {
    // Values from inputs are escaped as in every text format first (XML
    // 1.0 cannot carry most control characters at all).
    let text = crate::display::clean(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            super::escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\\u{1}"
        );
    }
}
