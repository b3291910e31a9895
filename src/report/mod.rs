//! Reports: render one run's findings in one format.
//!
//! Each format is one file and one [`Format`] arm. Reporters write to the
//! writer they are given; only they and `main.rs` produce output.

mod checkstyle;
mod compact;
mod github;
mod human;
mod json;
mod junit;
mod markdown;
mod sarif;
mod xml;

use std::io::{self, Write};

use crate::Outcome;

pub use checkstyle::CheckstyleReporter;
pub use compact::CompactReporter;
pub use github::GithubReporter;
pub use human::{HumanReporter, render_error};
pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use markdown::MarkdownReporter;
pub use sarif::SarifReporter;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Compact,
    Github,
    Markdown,
    Junit,
    Checkstyle,
    Sarif,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Json,
        Format::Compact,
        Format::Github,
        Format::Markdown,
        Format::Junit,
        Format::Checkstyle,
        Format::Sarif,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Compact => "compact",
            Format::Github => "github",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Checkstyle => "checkstyle",
            Format::Sarif => "sarif",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// What the format is for, as `--help` and the README say.
    pub fn description(self) -> &'static str {
        match self {
            Format::Human => "Diagnostics with source excerpts, for people",
            Format::Json => "A versioned JSON document, for tools",
            Format::Compact => {
                "One line per finding, `file:line:col: Error - message (code)` (tflint's compact)"
            }
            Format::Github => "GitHub Actions annotations (`::error file=...,line=...::...`)",
            Format::Markdown => {
                "A Markdown summary, for `$GITHUB_STEP_SUMMARY` or a pull-request comment"
            }
            Format::Junit => "JUnit XML, for CI systems that show test reports",
            Format::Checkstyle => "Checkstyle XML",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning",
        }
    }
}

/// How human output may look on this terminal.
#[derive(Debug, Clone)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// The repository root, for paths relative to it (SARIF).
    pub repo_root: Option<std::path::PathBuf>,
}

/// Renders the outcome in every format, into nothing: what fuzzing and
/// property tests run to show that no report panics on any outcome.
pub fn render_all(outcome: &Outcome) {
    for format in Format::ALL {
        let style = Style {
            color: false,
            width: 100,
            repo_root: None,
        };
        let _ = reporter(format, style).report(outcome, &mut io::sink());
    }
}

pub trait Reporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()>;
}

pub fn reporter(format: Format, style: Style) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(HumanReporter { style }),
        Format::Json => Box::new(JsonReporter),
        Format::Compact => Box::new(CompactReporter),
        Format::Github => Box::new(GithubReporter),
        Format::Markdown => Box::new(MarkdownReporter),
        Format::Junit => Box::new(JunitReporter),
        Format::Checkstyle => Box::new(CheckstyleReporter),
        Format::Sarif => Box::new(SarifReporter { style }),
    }
}

/// The words for how many of something there are: `1 alias`, `2 aliases`.
/// What was read, for summary lines: `plan.json`, `3 plans`, `module .`,
/// `2 root modules`, or both; `quote` wraps single names in backticks.
pub(crate) fn described_inputs(inputs: &crate::input::Inputs, quote: bool) -> String {
    let q = |s: &str| {
        let s = crate::display::shown(s);
        if quote { format!("`{s}`") } else { s }
    };
    let mut parts = Vec::new();
    match inputs.plans.as_slice() {
        [] => {}
        [one] => parts.push(q(&one.file)),
        many => parts.push(count(many.len(), "plan", "plans")),
    }
    match inputs.config_roots.as_slice() {
        [] => {}
        [one] => parts.push(format!("module {}", q(one))),
        many => parts.push(count(many.len(), "root module", "root modules")),
    }
    if parts.is_empty() {
        "no readable input".to_string()
    } else {
        parts.join(" and ")
    }
}

/// One sentence on what DNS was asked, for summaries.
pub(crate) fn dns_line(outcome: &Outcome) -> String {
    use crate::facts::DnsFacts;
    match &outcome.facts.dns {
        DnsFacts::NotAsked(why) => format!(
            "DNS was not asked ({}): records that point at another distribution were not looked up.",
            why.reason()
        ),
        DnsFacts::Asked(answers) => {
            let failed = answers.names.values().filter(|r| r.is_err()).count();
            let asked = answers.names.len();
            let resolvers = answers.resolvers.join(", ");
            if failed == 0 {
                format!(
                    "DNS was asked: {} resolved with {resolvers}.",
                    count(asked, "name", "names")
                )
            } else {
                format!(
                    "DNS was asked: {failed} of {asked} names could not be resolved with \
                     {resolvers} (see not-verified)."
                )
            }
        }
        DnsFacts::Failed(e) => {
            use miette::Diagnostic;
            let code = e.code().map(|c| c.to_string()).unwrap_or_default();
            format!("DNS could not be asked ({code}): nothing was verified in DNS.")
        }
    }
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
