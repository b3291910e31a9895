//! Command-line arguments (clap derive types only).

use clap::{Args, Parser, Subcommand};

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use cname_preflight::diag::Severity;
use cname_preflight::facts::OnApiError;
use cname_preflight::input::hcl::listing::Engine;
use cname_preflight::report::Format;

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
    Check(Box<CheckArgs>),
    /// Move an alias another distribution or tenant holds onto yours: prints
    /// the plan (the check's fix, its calls and what is left to you);
    /// `--yes` carries it out when it is one API call.
    Move(Box<MoveArgs>),
    /// Explain a finding code: what it means, why CloudFront refuses it, how to fix it.
    Explain(ExplainArgs),
    /// Print a shell completion script, e.g. `cname-preflight completions bash > /etc/bash_completion.d/cname-preflight`.
    Completions(CompletionsArgs),
    /// Print a manual page (roff): `man > cname-preflight.1`, `man check > cname-preflight-check.1`.
    Man(ManArgs),
    /// Serve the check as an HCP Terraform / Terraform Enterprise run task.
    Serve(Box<ServeArgs>),
}

/// `serve`: the run task service. The HMAC key comes from
/// `CNAME_PREFLIGHT_HMAC_KEY` or `--hmac-key-file`, never from a flag value
/// (which `ps` shows).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (`0.0.0.0:8080` in a container).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,

    /// File holding the run task's HMAC key (`CNAME_PREFLIGHT_HMAC_KEY` works
    /// too); a trailing line break is ignored.
    #[arg(long, value_name = "FILE")]
    pub hmac_key_file: Option<std::path::PathBuf>,

    /// Accept requests without checking `X-TFC-Task-Signature`: anyone who
    /// reaches the port can then make the service fetch and report.
    #[arg(long)]
    pub insecure_no_hmac: bool,

    /// The HCP Terraform or Terraform Enterprise host: plan and callback
    /// URLs on any other host are refused (https, except on a loopback host).
    #[arg(long, value_name = "HOST[:PORT]", default_value = "app.terraform.io")]
    pub tfc_host: String,

    /// A host the plan JSON may be redirected to, besides `--tfc-host`
    /// (repeatable) [default: `archivist.terraform.io` with the default
    /// `--tfc-host`]. The access token is never sent there.
    #[arg(long, value_name = "HOST[:PORT]")]
    pub archivist_host: Vec<String>,

    /// Runs checked at once; more wait in the queue.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub max_concurrent_runs: u16,

    /// Runs that may wait; a request beyond it is answered 503 (HCP
    /// Terraform retries it).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=10000))]
    pub queue: u16,

    /// Largest plan JSON accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub max_plan_mib: u32,

    /// Seconds one run may take, from the request to its result (HCP
    /// Terraform gives up after 10 minutes without an update).
    #[arg(long, value_name = "SECONDS", default_value_t = 540, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub run_deadline: u64,

    /// First wait before a retry (plan not ready, callback failed), in
    /// milliseconds; each retry waits twice as long as the one before.
    #[arg(long, value_name = "MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60000))]
    pub retry_backoff_ms: u64,

    #[command(flatten)]
    pub ask: AskArgs,

    /// Send AWS requests to this endpoint (an emulator); `AWS_ENDPOINT_URL` works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Seconds one AWS request attempt, or one DNS query, may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,

    /// Fail the run when a finding has this severity or a higher one [default: error].
    #[arg(long, value_name = "SEVERITY", value_parser = severity_parser())]
    pub minimum_failure_severity: Option<Severity>,

    /// Config file (default: `CNAME_PREFLIGHT_CONFIG`, then `.cname-preflight.hcl`
    /// in the working directory or a parent, then in the home directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`check`, `move`, `explain`, `completions`);
    /// without one, the page of the tool itself.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Plan JSON files (`terraform show -json tfplan > plan.json`; `-` reads
    /// standard input), or configuration: a module directory or its `.tf`,
    /// `.tf.json`, `.tofu` files, checked without a plan.
    #[arg(value_name = "PLAN|DIR|FILE.tf", default_value = ".")]
    pub inputs: Vec<String>,

    /// With directories: check every directory below them that has `.tf`
    /// files as a root module (except those another root calls as a module).
    #[arg(short, long)]
    pub recursive: bool,

    #[command(flatten)]
    pub config_args: ConfigArgs,

    /// Every alternative of a fix in full in the human format (by default
    /// the primary fix in full and each alternative as one line); say on
    /// standard error why a plan finding could not be pointed at a `.tf`
    /// line.
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub ask: AskArgs,

    /// Run as a pre-commit hook: the files given are changed files; every
    /// root module of the repository is read, and the findings that involve
    /// a changed file are reported. Offline unless the config file sets
    /// `offline = false`.
    #[arg(long)]
    pub pre_commit: bool,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Output format [default: human].
    #[arg(short, long, value_parser = format_parser())]
    pub format: Option<Format>,

    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,

    /// Also write a report in another format to a file, from the same run
    /// (repeatable), e.g. `--report json=report.json`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_report)]
    pub report: Vec<(Format, std::path::PathBuf)>,

    /// Exit with 2 when a finding has this severity or a higher one [default: error].
    #[arg(long, value_name = "SEVERITY", value_parser = severity_parser())]
    pub minimum_failure_severity: Option<Severity>,

    /// Config file (default: `CNAME_PREFLIGHT_CONFIG`, then `.cname-preflight.hcl`
    /// in this directory or a parent up to the repository root, then in the home directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// Exit with 0 even when findings reach the threshold (they are still
    /// reported); problems that stop the check still exit with 1.
    #[arg(long)]
    pub force: bool,

    /// When to colour human output (`NO_COLOR` turns it off under `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// No colour: the same as `--color never`.
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,

    /// Print the findings only: no summary lines, no progress line, no
    /// warnings about inputs (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
}

/// How a configuration is evaluated: variables, engine, state, where it is.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Value of a root module variable, as `terraform plan -var` takes it (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// A `.tfvars` or `.tfvars.json` file of variable values (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<String>,

    /// The engine that applies the configuration: which of `.tf` and
    /// `.tofu` files are read (Terraform ignores `.tofu` files; OpenTofu reads
    /// a `.tofu` file instead of the `.tf` file of the same name). Unset, files
    /// are read as OpenTofu reads them, with a warning for every `.tf` file hidden.
    #[arg(
        long,
        value_name = "ENGINE",
        value_parser = PossibleValuesParser::new(Engine::NAMES)
            .map(|name| Engine::from_name(&name).expect("a listed name")),
    )]
    pub engine: Option<Engine>,

    /// State of the configuration checked without a plan (`terraform show
    /// -json` of the state, or a `terraform.tfstate`): which distributions
    /// already exist [default: the root module's `terraform.tfstate`].
    #[arg(long, value_name = "FILE")]
    pub state: Option<String>,

    /// The configuration the plans were made from: findings point at its
    /// `.tf` lines [default: the current directory when it has `.tf` files].
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<std::path::PathBuf>,
}

/// Which services are asked, and DNS's resolver.
#[derive(Debug, Clone, Args)]
pub struct AskArgs {
    /// Ask no network service (AWS, DNS); check the inputs alone.
    #[arg(long)]
    pub offline: bool,

    /// Ask DNS but not AWS: needs no credentials (pre-commit, pull requests
    /// from forks).
    #[arg(long, conflicts_with = "no_dns")]
    pub no_aws: bool,

    /// Ask AWS but not DNS.
    #[arg(long)]
    pub no_dns: bool,

    /// Ask this DNS resolver instead of the system's, as `IP` or `IP:PORT`
    /// (repeatable): split-horizon DNS, a resolver of your own.
    #[arg(long, value_name = "HOST[:PORT]", value_parser = cname_preflight::facts::dns::parse_server)]
    pub dns_server: Vec<std::net::SocketAddr>,
}

/// How AWS is asked: credentials, endpoint, bounds.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// AWS profile for providers that name none (default: the standard chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Role to assume for providers that set no `assume_role`.
    #[arg(long, value_name = "ARN")]
    pub assume_role: Option<String>,

    /// Profile for one provider configuration, e.g. `aws.legacy=legacy-readonly` (repeatable).
    #[arg(long, value_name = "KEY=PROFILE", value_parser = parse_provider_profile)]
    pub provider_profile: Vec<(String, String)>,

    /// Send AWS requests to this endpoint (an emulator); `AWS_ENDPOINT_URL` works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Distribution of your account to look conflicts up with, when neither the
    /// target nor another distribution has a certificate covering the alias.
    #[arg(long, value_name = "ID")]
    pub probe_distribution: Option<String>,

    /// Ask ListDomainConflicts once per alias, instead of once per parent
    /// domain (`*.parent`) where a distribution's certificate covers it.
    #[arg(long)]
    pub no_grouped_lookups: bool,

    /// How many AWS lookups run at once [default: 4].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: Option<u16>,

    /// How many names DNS is asked about at once, each with at most two
    /// queries in flight (1 to 256) [default: 64].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub dns_concurrency: Option<u16>,

    /// Seconds one AWS request attempt, or all the DNS queries about one name, may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,

    /// What to do when AWS or DNS cannot be asked: `fail` (exit 1) or `warn` (`not-verified` findings) [default: fail].
    #[arg(long, value_name = "MODE", value_parser = on_api_error_parser())]
    pub on_api_error: Option<OnApiError>,
}

/// `move ALIAS --to TARGET`: the check's AWS and DNS flags, shared.
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The alternate domain name to move.
    #[arg(value_name = "ALIAS")]
    pub alias: String,

    /// Where it goes: a distribution ID, a tenant ID (`dt_...`), or the
    /// address of a distribution or tenant of `--plan`.
    #[arg(long, value_name = "TARGET")]
    pub to: String,

    /// Plan JSON files or configuration (as `check` takes them): the
    /// target's address, the accounts their providers reach, and the files
    /// and lines of the edits left to you (repeatable).
    #[arg(long = "plan", value_name = "PLAN|DIR")]
    pub plans: Vec<String>,

    /// Carry the plan out: the API calls, the wait for Deployed, the
    /// confirmation. Without it, nothing is changed.
    #[arg(long)]
    pub yes: bool,

    /// Disable the source when the move needs it (every name it serves
    /// goes offline; they are listed first): GetDistributionConfig and
    /// UpdateDistribution with `Enabled` false.
    #[arg(long)]
    pub disable_source: bool,

    /// Seconds to wait for a distribution to be Deployed, after each change.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    pub wait: u64,

    #[command(flatten)]
    pub config_args: ConfigArgs,

    #[command(flatten)]
    pub ask: AskArgs,

    #[command(flatten)]
    pub aws: AwsArgs,

    /// Output format: `human` or `json` [default: human].
    #[arg(short, long, value_parser = ["human", "json"])]
    pub format: Option<String>,

    /// Config file (as for `check`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl CheckArgs {
    /// `--color`, with `--no-color` as `never`.
    pub fn color(&self) -> ColorChoice {
        if self.no_color {
            ColorChoice::Never
        } else {
            self.color
        }
    }
}

/// The library's enums carry their names and descriptions; the command
/// line builds its value parsers from them (the library knows no clap).
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        Format::ALL.map(|f| PossibleValue::new(f.name()).help(f.description())),
    )
    .map(|name| Format::from_name(&name).expect("a listed format"))
}

fn on_api_error_parser() -> impl TypedValueParser<Value = OnApiError> {
    PossibleValuesParser::new(
        OnApiError::ALL.map(|o| PossibleValue::new(o.name()).help(o.description())),
    )
    .map(|name| OnApiError::from_name(&name).expect("a listed mode"))
}

fn severity_parser() -> impl TypedValueParser<Value = Severity> {
    PossibleValuesParser::new(
        Severity::ALL.map(|s| PossibleValue::new(s.name()).aliases(s.aliases().iter().copied())),
    )
    .map(|name| Severity::from_name(&name).expect("a listed severity"))
}

fn parse_report(s: &str) -> Result<(Format, std::path::PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .filter(|(f, p)| !f.is_empty() && !p.is_empty())
        .ok_or_else(|| format!("expected FORMAT=FILE, e.g. `json=report.json`, got `{s}`"))?;
    let format = Format::from_name(format).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format `{format}`; one of: {}", names.join(", "))
    })?;
    Ok((format, file.into()))
}

/// `--var NAME=VALUE`: the value may be empty, as Terraform allows.
fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!(
            "expected NAME=VALUE, e.g. `domain=example.com`, got `{}`",
            cname_preflight::display::shown(s)
        )),
    }
}

fn parse_provider_profile(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!(
            "expected KEY=PROFILE, e.g. `aws.legacy=legacy`, got `{}`",
            cname_preflight::display::shown(s)
        )),
    }
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
