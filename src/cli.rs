//! Command-line arguments (clap derive types only).

use clap::{Args, Parser, Subcommand};

use crate::diag::Severity;
use crate::report::Format;

/// Find the CloudFront aliases a Terraform change will fail to add
/// (CNAMEAlreadyExists) before `terraform apply`.
#[derive(Debug, Parser)]
#[command(name = "cname-preflight", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check plans (`terraform show -json` output) for aliases CloudFront will refuse.
    Check(CheckArgs),
    /// Explain a finding code: what it means, why CloudFront refuses it, how to fix it.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Plan JSON files (`terraform show -json tfplan > plan.json`); `-` reads standard input.
    #[arg(required = true, value_name = "PLAN")]
    pub inputs: Vec<String>,

    /// Ask no network service (AWS, DNS); check the inputs alone.
    #[arg(long)]
    pub offline: bool,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit with 2 when a finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = Severity::Error, value_name = "SEVERITY")]
    pub minimum_failure_severity: Severity,

    /// When to colour human output (`NO_COLOR` turns it off under `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code, e.g. `duplicate-in-change`.
    #[arg(required_unless_present = "list", value_name = "CODE")]
    pub code: Option<String>,

    /// List every code with its severity and a one-line summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
