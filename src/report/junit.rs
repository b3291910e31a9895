//! JUnit XML, for CI systems that show test reports: one test case per
//! alias claimed, and one failing case per finding.

use std::io::{self, Write};

use super::Reporter;
use super::xml::escape;
use crate::Outcome;

pub struct JunitReporter;

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
                    &f.address
                        .as_ref()
                        .map_or("plan".into(), ToString::to_string)
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
                escape(&r.address.to_string()),
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
