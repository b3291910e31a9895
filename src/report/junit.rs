//! JUnit XML, for CI systems that show test reports: one test case per
//! alias claimed, and one failing case per finding.

use std::io::{self, Write};

use super::Reporter;
use super::xml::{attr, finish, text, writer};
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
        let errors = inputs.errors.len().to_string();
        let tests = (failing.len() + clean.len() + inputs.errors.len()).to_string();
        let failures = failing.len().to_string();
        let counts = [
            ("name", "cname-preflight"),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", errors.as_str()),
        ];
        let mut xml = writer(out)?;
        xml.create_element("testsuites")
            .with_attributes(counts)
            .write_inner_content(|xml| {
                xml.create_element("testsuite")
                    .with_attributes(counts)
                    .write_inner_content(|xml| {
                        for f in &failing {
                            let at = sources.locate(f.span);
                            let subject = f
                                .alias
                                .as_deref()
                                .map_or_else(|| "aliases".to_string(), crate::display::shown);
                            let class = crate::display::shown(
                                &f.address
                                    .as_ref()
                                    .map_or("plan".into(), ToString::to_string),
                            );
                            xml.create_element("testcase")
                                .with_attribute(attr("classname", &class))
                                .with_attribute(attr(
                                    "name",
                                    &format!("{} {subject}", f.code.name()),
                                ))
                                .with_attribute(attr("file", sources.name(f.span.source)))
                                .with_attribute(("line", at.line.to_string().as_str()))
                                .write_inner_content(|xml| {
                                    xml.create_element("failure")
                                        .with_attribute(attr("type", f.code.name()))
                                        .with_attribute(attr("message", &f.message))
                                        .write_text_content(text(&f.help))?;
                                    Ok(())
                                })?;
                        }
                        for c in &clean {
                            let r = &inputs.resources[c.resource];
                            let at = sources.locate(c.span);
                            xml.create_element("testcase")
                                .with_attribute(attr("classname", &r.address.to_string()))
                                .with_attribute(attr("name", &c.shown()))
                                .with_attribute(attr("file", sources.name(c.span.source)))
                                .with_attribute(("line", at.line.to_string().as_str()))
                                .write_empty()?;
                        }
                        for e in &inputs.errors {
                            xml.create_element("testcase")
                                .with_attribute(("classname", "input"))
                                .with_attribute(attr("name", e.path()))
                                .write_inner_content(|xml| {
                                    xml.create_element("error")
                                        .with_attribute(attr("message", &e.to_string()))
                                        .write_empty()?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        finish(xml)
    }
}
