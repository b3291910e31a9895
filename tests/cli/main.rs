//! Runs the real binary: every case in `tests/cmd/*.toml` (arguments,
//! expected exit code, and the exact stdout/stderr users see), then checks
//! properties that snapshots alone would not pin. One test binary, with a
//! module per subject; the helpers every subject uses are here.

mod action_comment;
mod action_config;
mod action_install;
mod action_lint;
mod action_step;
mod aws;
mod cloudfront_today;
mod commands;
mod differential;
mod dns;
mod dns_judged;
mod fixes;
mod formats;
mod hostile;
mod hostile_files;
mod hostile_output;
mod move_accounts;
mod move_checks;
mod move_replay;
mod move_same_account;
mod move_support;
mod pre_commit;
mod serve;
mod serve_aws;
mod serve_platforms;
mod tf_dir;

#[path = "../support/moto.rs"]
mod moto;

#[path = "../support/dnsmasq.rs"]
mod dnsmasq;

#[path = "../support/tfc_standin.rs"]
mod tfc_standin;

#[path = "../support/lying_dns.rs"]
mod lying_dns;

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cname-preflight");

/// Every case runs the real binary with no colour, at a fixed width, with
/// a home directory that holds nothing (no config file, no AWS profile);
/// the tool's version is redacted so that a release does not touch them.
#[test]
fn cli_cases() {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("cname-preflight", Path::new(BIN))
        .default_bin_name("cname-preflight")
        .env("HOME", "/nonexistent/home")
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1");
    cases
        .insert_var("[VERSION]", env!("CARGO_PKG_VERSION"))
        .expect("a redaction");
    cases.case("tests/cmd/*.toml");
}

/// Runs `cname-preflight ARGS`; `check` runs offline unless the test asks
/// AWS on purpose (the AWS tests run against a local emulator).
fn run(args: &[&str]) -> Output {
    let mut args = args.to_vec();
    if args.first() == Some(&"check") && !args.contains(&"--offline") {
        args.insert(1, "--offline");
    }
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    doc(&run(args))
}

/// Runs `check` against moto with its test credentials and no other
/// credential source, so nothing can reach real AWS; DNS is not asked
/// unless the test names a resolver of its own (`--dns-server`).
fn check_against(moto: &moto::Moto, args: &[&str]) -> Output {
    let dns = if args.contains(&"--dns-server") {
        None
    } else {
        Some("--no-dns")
    };
    isolated()
        .arg("check")
        .args(["--endpoint-url", &moto.url])
        .args(dns)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .expect("the binary runs")
}

/// The binary with no colour, a fixed width, and nothing of this machine's
/// own: no home directory, config file, AWS credentials, profile or
/// instance metadata. Tests add what they mean to give it.
fn isolated() -> Command {
    let mut command = Command::new(BIN);
    command
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("HOME", "/nonexistent/home")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/cname-preflight/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/cname-preflight/credentials",
        )
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("CNAME_PREFLIGHT_CONFIG");
    command
}

fn findings(out: &Output) -> Vec<serde_json::Value> {
    doc(out)["findings"].as_array().unwrap().clone()
}

/// The JSON report on standard output, checked against the published
/// schema (docs/schema.json): every report a test reads, with AWS and DNS
/// asked or not, is one the schema accepts.
fn doc(out: &Output) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/schema.json").unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "the report does not match docs/schema.json: {errors:#?}"
    );
    doc
}

/// Waits for `child` at most `seconds`, reading its output while it runs
/// (a report larger than a pipe's buffer never stalls it); past the
/// deadline it is killed and the test fails, naming `what`.
fn output_within(mut child: std::process::Child, seconds: u64, what: &str) -> Output {
    use std::io::Read;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{what}` ran past {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}
