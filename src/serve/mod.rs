//! `cname-preflight serve`: the check as an HCP Terraform / Terraform
//! Enterprise run task. This file turns the flags into the service's
//! settings and runs it until SIGTERM or Ctrl-C; the protocol's messages
//! (`protocol`), the signature (`signature`), which hosts may be called
//! (`hosts`), the outbound client (`client`), one run (`job`), the result
//! (`outcome`), the HTTP side and its queue (`server`), the bounded
//! listening socket (`listener`) and the log (`log`) each have their own
//! file.

mod client;
mod hosts;
mod job;
mod listener;
mod log;
mod outcome;
mod protocol;
mod server;
mod signature;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, FromArgMatches};

use crate::cli::{CheckArgs, ServeArgs};
use cname_preflight::exit;

/// Runs the service; returns the exit code (1 when it cannot start).
pub fn run(args: ServeArgs) -> u8 {
    match start(args) {
        Ok(()) => exit::CLEAN,
        Err(why) => {
            let line = format!("error: {why}");
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                cname_preflight::display::inert(&line)
            );
            exit::ERROR
        }
    }
}

fn start(args: ServeArgs) -> Result<(), String> {
    let variable = std::env::var("CNAME_PREFLIGHT_HMAC_KEY").ok();
    let key = signature::key(args.hmac_key_file.as_deref(), variable)?;
    let key = match (key, args.insecure_no_hmac) {
        (_, true) => None,
        (Some(key), false) => Some(key),
        (None, false) => {
            return Err(
                "an HMAC key is required: set `CNAME_PREFLIGHT_HMAC_KEY` or `--hmac-key-file` \
                 to the run task's HMAC key (or pass `--insecure-no-hmac` to accept unsigned requests)"
                    .into(),
            );
        }
    };
    let tfc = hosts::Host::parse(&args.tfc_host).map_err(|e| format!("`--tfc-host`: {e}"))?;
    let mut archivists = args
        .archivist_host
        .iter()
        .map(|h| hosts::Host::parse(h).map_err(|e| format!("`--archivist-host`: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    // HCP Terraform's plan JSON redirects to its archivist host; Terraform
    // Enterprise serves it from its own host.
    if archivists.is_empty() && tfc.name() == "app.terraform.io" {
        archivists.push(hosts::Host::parse("archivist.terraform.io")?);
    }
    let options = check_options(&args)?;
    let client = client::Client::new(
        tfc,
        archivists,
        u64::from(args.max_plan_mib) * 1024 * 1024,
        Duration::from_millis(args.retry_backoff_ms),
    )?;
    let context = Arc::new(job::Context {
        client,
        options,
        deadline: Duration::from_secs(args.run_deadline),
    });
    if key.is_none() {
        log::warn(
            "serve.insecure",
            &[("reason", "--insecure-no-hmac: requests are not verified")],
        );
    }
    // The check evaluates plans on blocking threads; they get room for
    // deep but bounded recursion, as the CLI's worker thread does.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(64 * 1024 * 1024)
        .max_blocking_threads(usize::from(args.max_concurrent_runs) + 2)
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let listener = listener::Bounded::new(
            listener,
            listener::MAX_CONNECTIONS,
            listener::CONNECTION_LIFETIME,
        );
        server::serve(
            listener,
            key,
            context,
            usize::from(args.max_concurrent_runs),
            usize::from(args.queue),
            shutdown(),
        )
        .await
        .map_err(|e| format!("the server stopped: {e}"))
    })
}

/// Resolves on SIGTERM (how containers are stopped) or Ctrl-C.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    log::info("serve.shutdown", &[]);
}

/// The check's options, as `check -` with the service's flags would resolve
/// them (the same config file discovery, severities and ignores).
fn check_options(args: &ServeArgs) -> Result<cname_preflight::CheckOptions, String> {
    let command = CheckArgs::augment_args(clap::Command::new("check").no_binary_name(true));
    let matches = command
        .try_get_matches_from(["-"])
        .map_err(|e| e.to_string())?;
    let mut check = CheckArgs::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    check.ask = args.ask.clone();
    check.aws.endpoint_url = args.endpoint_url.clone();
    check.aws.timeout = args.timeout;
    check.minimum_failure_severity = args.minimum_failure_severity;
    check.config = args.config.clone();
    check.quiet = true;
    let cwd = std::env::current_dir().unwrap_or_default();
    let config = crate::load_config(&check, &cwd).map_err(|e| {
        let style = cname_preflight::report::Style {
            color: false,
            width: 100,
            repo_root: None,
            quiet: false,
            verbose: false,
        };
        cname_preflight::report::render_error(&e, &style)
            .trim_end()
            .to_string()
    })?;
    let environment = crate::settings::Environment {
        // A service checks the plans it is sent: no variables, workspace
        // or configuration of its own working directory apply.
        tf_vars: Vec::new(),
        workspace: None,
        cwd_has_configuration: false,
        today: crate::settings::today(),
        progress: None,
        repo_root: None,
        cwd,
    };
    let settings = crate::settings::resolve(&check, config.as_ref(), &environment);
    Ok(settings.options)
}
