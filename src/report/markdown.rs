//! Markdown: a summary for `$GITHUB_STEP_SUMMARY` or a pull-request
//! comment: what was checked, each finding with its holder and fix, and
//! what could not be verified. It starts with a hidden marker
//! ([`MARKER`]) by which a pipeline finds its own earlier comment and
//! updates it instead of adding another.

use std::io::{self, Write};

use super::Reporter;
use super::markdown_text::{cell, code, fenced, paragraph, prose};
use super::summary::{Markup, Summary};
use crate::Outcome;
use crate::diag::{Code, Fix, Severity, StepStatus};

pub struct MarkdownReporter;

/// The first line of every Markdown report: invisible when rendered, and
/// what the GitHub Action (and any pipeline) looks for to update its own
/// pull-request comment.
pub const MARKER: &str = "<!-- cname-preflight comment -->";

impl Reporter for MarkdownReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let inputs = &outcome.inputs;
        let summary = Summary::of(outcome);
        writeln!(out, "{MARKER}\n## cname-preflight\n")?;
        let findings = summary.findings();
        let mut chars = findings.chars();
        let verdict: String = chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        writeln!(
            out,
            "**{verdict}** for {}.{}\n",
            summary.scope(Markup::Markdown),
            summary.remarks()
        )?;
        writeln!(out, "{}\n", prose(&summary.aws_sentence(Markup::Markdown)))?;
        writeln!(out, "{}\n", prose(&summary.dns_sentence()))?;
        if !inputs.errors.is_empty() {
            writeln!(out, "### Inputs that could not be read\n")?;
            for e in &inputs.errors {
                writeln!(out, "- {}", prose(&e.to_string()))?;
            }
            writeln!(out)?;
        }
        if !inputs.warnings.is_empty() {
            writeln!(out, "### Not checked\n")?;
            for w in &inputs.warnings {
                writeln!(out, "- {}", prose(w))?;
            }
            writeln!(out)?;
        }
        if outcome.reported().next().is_none() {
            return Ok(());
        }
        writeln!(out, "| | Code | Alias | Resource | Holder | Where |")?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        let sources = &inputs.sources;
        for f in outcome.reported() {
            let icon = match f.severity {
                Severity::Error => ":x:",
                Severity::Warning => ":warning:",
                Severity::Note => ":information_source:",
            };
            let holder = f.holder.as_ref().map_or(String::new(), |h| {
                format!(
                    "{} in {}{}",
                    code(&h.distribution_id),
                    prose(&h.account_id),
                    if h.same_account {
                        " (same account)"
                    } else {
                        ""
                    }
                )
            });
            let at = sources.locate(f.span);
            writeln!(
                out,
                "| {icon} | `{}` | {} | {} | {} | {} |",
                f.code,
                f.alias.as_deref().map_or(String::new(), |a| cell(&code(a))),
                f.address
                    .as_ref()
                    .map_or(String::new(), |a| cell(&code(&a.to_string()))),
                cell(&holder),
                cell(&code(&format!(
                    "{}:{}",
                    sources.name(f.span.source),
                    at.line
                ))),
            )?;
        }
        writeln!(
            out,
            "\n<details><summary>How to fix each finding</summary>\n"
        )?;
        for f in outcome.reported() {
            writeln!(out, "#### `{}`: {}\n", f.code, prose(&f.message))?;
            match &f.fix {
                Some(fix) => write_fix(out, fix)?,
                None => writeln!(out, "{}\n", paragraph(&f.help))?,
            }
        }
        writeln!(out, "</details>")?;
        let unverified: Vec<_> = outcome
            .reported()
            .filter(|f| f.code == Code::NotVerified)
            .collect();
        if !unverified.is_empty() {
            writeln!(out, "\n### Not verified\n")?;
            for f in unverified {
                writeln!(
                    out,
                    "- {}: {}",
                    code(f.alias.as_deref().unwrap_or("?")),
                    prose(&f.help)
                )?;
            }
        }
        Ok(())
    }
}

/// One finding as Markdown: its message, then its fix as the report's
/// "How to fix" section shows it (a run task outcome's body).
pub fn finding(f: &crate::diag::Finding) -> String {
    let mut out = Vec::new();
    let _ = writeln!(out, "**{}**\n", prose(&f.message));
    let _ = match &f.fix {
        Some(fix) => write_fix(&mut out, fix),
        None => writeln!(out, "{}", paragraph(&f.help)),
    };
    String::from_utf8_lossy(&out).into_owned()
}

/// A checklist as a Markdown list: each step's status, text and command.
fn write_fix(out: &mut dyn Write, fix: &Fix) -> io::Result<()> {
    writeln!(out, "{}\n", prose(&fix.title))?;
    write_steps(out, &fix.steps)?;
    for alt in &fix.alternatives {
        writeln!(
            out,
            "\nOr, {} (`{}`):\n",
            prose(&alt.when),
            alt.remedy.name()
        )?;
        write_steps(out, &alt.steps)?;
    }
    writeln!(out)
}

fn write_steps(out: &mut dyn Write, steps: &[crate::diag::Step]) -> io::Result<()> {
    for (i, step) in steps.iter().enumerate() {
        let status = match &step.status {
            StepStatus::Verified(seen) => {
                format!(":white_check_mark: (verified: {}) ", prose(seen))
            }
            StepStatus::NotMet => ":x: ".to_string(),
            StepStatus::NotVerified(why) => {
                format!(":grey_question: (not verified: {}) ", prose(why))
            }
            StepStatus::Todo => String::new(),
        };
        writeln!(out, "{}. {status}{}", i + 1, prose(&step.text))?;
        if let Some(command) = &step.command {
            writeln!(out, "{}", fenced(command, "sh"))?;
        }
    }
    Ok(())
}
