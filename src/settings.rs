//! Settings: one pure function resolves the command line, the config file
//! and the environment into the check's options and the output format.
//! Flags win over the config file, which wins over the defaults; the
//! environment (TF_VAR_*, TF_WORKSPACE, the working directory, the clock)
//! is read by the binary and passed in, so this is unit-tested whole.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::Config;
use cname_preflight::CheckOptions;
use cname_preflight::diag::Severity;
use cname_preflight::facts::{AwsOptions, DnsOptions, OnApiError};
use cname_preflight::focus::Focus;
use cname_preflight::input::hcl;
use cname_preflight::report::Format;

use crate::cli::CheckArgs;

/// What the binary reads from its surroundings.
pub struct Environment {
    /// `TF_VAR_name` values.
    pub tf_vars: Vec<(String, String)>,
    /// `TF_WORKSPACE`, when set.
    pub workspace: Option<String>,
    /// Whether the working directory holds Terraform configuration files.
    pub cwd_has_configuration: bool,
    /// Today as `YYYY-MM-DD`, for ignore expiry.
    pub today: String,
    /// Where progress lines go (a terminal), if anywhere.
    pub progress: Option<fn(&str)>,
    /// The repository root (the nearest directory up with `.git`), relative
    /// to the working directory (`.` there) or absolute; the pre-commit hook
    /// reads it whole.
    pub repo_root: Option<PathBuf>,
    /// The working directory, against which the changed files the
    /// pre-commit hook is given are placed.
    pub cwd: PathBuf,
}

/// The resolved run: what to check and how to report it.
pub struct Settings {
    pub options: CheckOptions,
    pub format: Format,
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

pub fn resolve(args: &CheckArgs, config: Option<&Config>, env: &Environment) -> Settings {
    let default = Config::default();
    let file = config.unwrap_or(&default);
    let format = args.format.or(file.format).unwrap_or(Format::Human);
    let mut provider_profiles = args.provider_profile.clone();
    for (key, profile) in &file.provider_profiles {
        if !provider_profiles.iter().any(|(k, _)| k == key) {
            provider_profiles.push((key.clone(), profile.clone()));
        }
    }
    let on_api_error = args
        .on_api_error
        .or(file.on_api_error)
        .unwrap_or(OnApiError::Fail);
    let timeout = Duration::from_secs(args.timeout.max(1));
    let concurrency = usize::from(args.concurrency.or(file.concurrency).unwrap_or(4));
    let dns_concurrency = args.dns_concurrency.or(file.dns_concurrency).map_or(
        cname_preflight::facts::dns::DEFAULT_CONCURRENCY,
        usize::from,
    );
    // The pre-commit hook is given the changed files; it reads every root
    // module of the repository and reports what involves them.
    let (inputs, recursive, focus) = if args.pre_commit {
        let root = env.repo_root.clone().unwrap_or_else(|| PathBuf::from("."));
        let focus = Focus::new(&args.inputs, &env.cwd);
        (vec![root.display().to_string()], true, Some(focus))
    } else {
        (args.inputs.clone(), args.recursive, None)
    };
    let options = CheckOptions {
        inputs,
        // The pre-commit hook is offline unless the config file says not.
        offline: args.offline || file.offline.unwrap_or(args.pre_commit),
        no_aws: args.no_aws || file.aws == Some(false),
        no_dns: args.no_dns || file.dns == Some(false),
        threshold: args
            .minimum_failure_severity
            .or(file.minimum_failure_severity)
            .unwrap_or(Severity::Error),
        policy: config.map(|c| c.policy(env.today.clone())),
        config_dir: args
            .config_dir
            .clone()
            .or_else(|| env.cwd_has_configuration.then(|| PathBuf::from("."))),
        focus,
        hcl: hcl::Options {
            vars: args.vars.clone(),
            var_files: args.var_files.clone(),
            env: env.tf_vars.clone(),
            recursive,
            state: args.state.clone(),
            workspace: env.workspace.clone(),
            engine: args.engine.or(file.engine),
            cut_walk_is_error: args.pre_commit,
        },
        aws: AwsOptions {
            profile: args.profile.clone(),
            assume_role: args.assume_role.clone(),
            provider_profiles,
            endpoint_url: args.endpoint_url.clone(),
            timeout,
            on_api_error,
            probe_distribution: args
                .probe_distribution
                .clone()
                .or_else(|| file.probe_distribution.clone()),
            concurrency,
            group_lookups: !args.no_grouped_lookups,
            progress: env.progress,
        },
        dns: DnsOptions {
            servers: if args.dns_server.is_empty() {
                file.dns_servers.clone()
            } else {
                args.dns_server.clone()
            },
            timeout,
            on_api_error,
            concurrency: dns_concurrency,
        },
    };
    Settings { options, format }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use std::path::Path;

    fn args(line: &[&str]) -> CheckArgs {
        let mut full = vec!["cname-preflight", "check"];
        full.extend_from_slice(line);
        match Cli::parse_from(full).command {
            Command::Check(args) => *args,
            _ => unreachable!("a check command"),
        }
    }

    fn env() -> Environment {
        Environment {
            tf_vars: vec![("domain".into(), "example.com".into())],
            workspace: Some("staging".into()),
            cwd_has_configuration: false,
            today: "2026-11-22".into(),
            progress: None,
            repo_root: None,
            cwd: PathBuf::from("/repo/stacks"),
        }
    }

    fn config(text: &str) -> Config {
        crate::config::parse("c.hcl", text).unwrap()
    }

    #[test]
    fn flags_win_over_the_file_which_wins_over_the_defaults() {
        let file = config(
            "format = \"json\"\non_api_error = \"warn\"\nconcurrency = 8\ndns_concurrency = 100\ndns_servers = [\"10.0.0.2\"]\nminimum_failure_severity = \"warning\"\n",
        );
        // The file over the defaults.
        let s = resolve(&args(&["plan.json"]), Some(&file), &env());
        assert_eq!(s.format, Format::Json);
        assert_eq!(s.options.aws.on_api_error, OnApiError::Warn);
        assert_eq!(s.options.dns.on_api_error, OnApiError::Warn);
        assert_eq!(s.options.aws.concurrency, 8);
        assert_eq!(s.options.dns.concurrency, 100);
        assert_eq!(s.options.dns.servers, ["10.0.0.2:53".parse().unwrap()]);
        assert_eq!(s.options.threshold, Severity::Warning);
        // Flags over the file.
        let s = resolve(
            &args(&[
                "-f",
                "sarif",
                "--on-api-error",
                "fail",
                "--concurrency",
                "2",
                "--dns-concurrency",
                "7",
                "--dns-server",
                "127.0.0.1:5353",
                "--minimum-failure-severity",
                "error",
                "plan.json",
            ]),
            Some(&file),
            &env(),
        );
        assert_eq!(s.format, Format::Sarif);
        assert_eq!(s.options.aws.on_api_error, OnApiError::Fail);
        assert_eq!(s.options.aws.concurrency, 2);
        assert_eq!(s.options.dns.concurrency, 7);
        assert_eq!(s.options.dns.servers, ["127.0.0.1:5353".parse().unwrap()]);
        assert_eq!(s.options.threshold, Severity::Error);
        // Defaults without a file.
        let s = resolve(&args(&["plan.json"]), None, &env());
        assert_eq!(s.format, Format::Human);
        assert_eq!(s.options.aws.on_api_error, OnApiError::Fail);
        assert_eq!(s.options.aws.concurrency, 4);
        assert_eq!(s.options.dns.concurrency, 64);
        assert!(s.options.dns.servers.is_empty());
        assert!(s.options.policy.is_none());
    }

    #[test]
    fn pre_commit_is_offline_unless_the_file_says_otherwise() {
        let s = resolve(&args(&["--pre-commit", "main.tf"]), None, &env());
        assert!(s.options.offline);
        let file = config("offline = false\n");
        let s = resolve(&args(&["--pre-commit", "main.tf"]), Some(&file), &env());
        assert!(!s.options.offline);
        let file = config("aws = false\n");
        let s = resolve(&args(&["main.tf"]), Some(&file), &env());
        assert!(s.options.no_aws && !s.options.no_dns);
    }

    #[test]
    fn pre_commit_reads_the_whole_repository() {
        let mut e = env();
        e.repo_root = Some(PathBuf::from("../.."));
        let s = resolve(&args(&["--pre-commit", "stacks/prod/main.tf"]), None, &e);
        assert_eq!(s.options.inputs, ["../.."]);
        assert!(s.options.hcl.recursive);
        assert_eq!(
            s.options.focus,
            Some(Focus::new(
                &["stacks/prod/main.tf".into()],
                Path::new("/repo/stacks")
            ))
        );
        let s = resolve(&args(&["--pre-commit", "main.tf"]), None, &env());
        assert_eq!(s.options.inputs, ["."]);
        let s = resolve(&args(&["infra/main.tf"]), None, &e);
        assert_eq!(s.options.inputs, ["infra/main.tf"]);
        assert!(!s.options.hcl.recursive);
        assert!(s.options.focus.is_none());
    }

    #[test]
    fn the_environment_is_passed_in() {
        let mut e = env();
        e.cwd_has_configuration = true;
        let s = resolve(&args(&["plan.json"]), Some(&config("")), &e);
        assert_eq!(s.options.hcl.env, [("domain".into(), "example.com".into())]);
        assert_eq!(s.options.hcl.workspace.as_deref(), Some("staging"));
        assert_eq!(s.options.config_dir, Some(PathBuf::from(".")));
        assert_eq!(s.options.policy.unwrap().today, "2026-11-22");
    }

    #[test]
    fn today_is_a_date() {
        assert!(today().parse::<jiff::civil::Date>().is_ok());
    }
}
