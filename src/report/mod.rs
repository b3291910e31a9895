//! Reports: render one run's findings in one format.
//!
//! Each format is one file and one [`Format`] arm. Reporters write to the
//! writer they are given; only they and `main.rs` produce output.

mod checkstyle;
mod compact;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod markdown;
mod markdown_text;
mod paths;
mod sarif;
mod summary;
mod xml;

use std::io::{self, Write};

use crate::Outcome;

pub use checkstyle::CheckstyleReporter;
pub use compact::CompactReporter;
pub use github::GithubReporter;
pub use gitlab::GitlabReporter;
pub use human::{HumanReporter, render_error};
pub use json::{JsonReporter, schema as json_schema};
pub use junit::JunitReporter;
pub use markdown::{MarkdownReporter, finding as finding_markdown};
pub use sarif::SarifReporter;
pub use summary::{Markup, Reached, Service, Summary};

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
    Gitlab,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Human,
        Format::Json,
        Format::Compact,
        Format::Github,
        Format::Markdown,
        Format::Junit,
        Format::Checkstyle,
        Format::Sarif,
        Format::Gitlab,
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
            Format::Gitlab => "gitlab",
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
            Format::Gitlab => "GitLab Code Quality JSON, for the merge-request widget",
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
    /// Findings only: no summary lines (`--quiet`).
    pub quiet: bool,
    /// Every alternative of a fix in full, not one line each (`--verbose`).
    pub verbose: bool,
}

/// Renders the outcome in every format, into nothing: what fuzzing and
/// property tests run to show that no report panics on any outcome.
pub fn render_all(outcome: &Outcome) {
    for format in Format::ALL {
        let style = Style {
            color: false,
            width: 100,
            repo_root: None,
            quiet: false,
            verbose: false,
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
        Format::Gitlab => Box::new(GitlabReporter { style }),
    }
}
