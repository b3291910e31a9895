//! AWS end to end: the real binary against moto over HTTP.

use super::*;

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
        help.contains("(verified: the certificate names `*.example.com`) the certificate of `aws_cloudfront_distribution.site` covers `www.example.com`"),
        "{help}"
    );
    // No TXT record within one account (the guide's set-up page).
    assert!(!help.contains("TXT record `"), "{help}");
    assert_eq!(f["fix"]["remedy"], "associate-alias");
    let steps = f["fix"]["steps"].as_array().unwrap();
    let statuses: Vec<&str> = steps
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    // Target, certificate, the source Deployed (moto says so), the move,
    // DNS to the target, the source's configuration.
    assert_eq!(
        statuses,
        ["not-met", "verified", "verified", "todo", "todo", "todo"],
        "{steps:#?}"
    );
    assert_eq!(steps[2]["evidence"], "ListDistributions: status Deployed");
    assert_eq!(
        steps[3]["command"],
        "aws cloudfront associate-alias --target-distribution-id TARGET_ID --alias www.example.com"
    );
    let iam = steps[3]["text"].as_str().unwrap();
    for action in [
        "GetDistribution",
        "ListConflictingAliases",
        "AssociateAlias",
        "UpdateDistribution",
    ] {
        assert!(iam.contains(action), "{iam}");
    }
    // UpdateDomainAssociation is the alternative, with both pages' words.
    let alternatives = f["fix"]["alternatives"].as_array().unwrap();
    assert_eq!(alternatives.len(), 1);
    assert_eq!(alternatives[0]["remedy"], "update-domain-association");

    // The human report says which account was asked and what was not.
    let out = check_against(&moto, &["fixtures/plans/clean-create.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("AWS was asked: account 123456789012 (aws: 2 distributions)"),
        "{text}"
    );
    assert!(
        text.contains("2 aliases looked up in all accounts (ListDomainConflicts)"),
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
    // The branches, as data: the wildcard move (AWS's zero-downtime route,
    // allowed across accounts), disable then move, the Q&A's keep-serving
    // order, AWS Support.
    assert_eq!(f["fix"]["remedy"], "wildcard-move");
    let remedies: Vec<&str> = f["fix"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["remedy"].as_str().unwrap())
        .collect();
    assert_eq!(
        remedies,
        ["disable-then-associate", "keep-serving-move", "aws-support"]
    );
    let wildcard = f["fix"]["steps"].to_string();
    assert!(wildcard.contains("add `*.foo.com` to"), "{wildcard}");
    assert!(!wildcard.contains("refuse"), "{wildcard}");

    // Read-only: STS identity and AssumeRole, ACM DescribeCertificate and
    // CloudFront GETs, nothing else.
    let operations = moto.recorded_operations();
    for op in &operations {
        assert!(
            moto::is_read_only(op),
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
    moto.create_distribution(&conf, &["other.example.org"], None)
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
    // With a probe named (its certificate covers the aliases, as
    // ListConflictingAliases requires), the lookups are made with it and
    // find nothing.
    let cert = moto
        .request_certificate(&conf, "example.com", &["www.example.com"])
        .await;
    let (other, _) = moto.create_distribution(&conf, &[], Some(&cert)).await;
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

/// ListDomainConflicts per parent domain: the aliases under
/// `example.com` share a `*.example.com` query (a certificate covers it)
/// and the representative's own, and find exactly what one query per alias
/// finds: holders in both accounts, masked or listed, and a wildcard held
/// in the other account that overlaps every one of them.
#[tokio::test(flavor = "multi_thread")]
async fn grouped_lookups_find_what_one_query_per_alias_finds() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    moto.create_distribution(&ours, &["probe.example.com"], Some(&cert))
        .await;
    moto.create_distribution(&ours, &["c.example.com"], None)
        .await;
    let other = moto.config_for_account("222222222222").await;
    moto.create_distribution(&other, &["b.example.com"], None)
        .await;
    moto.create_distribution(&other, &["*.example.com"], None)
        .await;

    let dir = std::env::temp_dir().join(format!("cname-preflight-grouped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        format!(
            "resource \"aws_cloudfront_distribution\" \"site\" {{\n  aliases = [\"a.example.com\", \
             \"b.example.com\", \"c.example.com\", \"d.example.com\", \"e.example.com\", \
             \"example.com\", \"x.y.example.com\"]\n  viewer_certificate {{\n    \
             acm_certificate_arn = \"{cert}\"\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let lookups = |moto: &moto::Moto| -> usize {
        moto.request("GET", "/moto-wrapper/requests")
            .unwrap_or_default()
            .lines()
            .filter(|l| {
                l.starts_with("GET /2020-05-31/conflicting-alias")
                    || l.starts_with("POST /2020-05-31/domain-conflicts")
            })
            .filter_map(|l| l.split('\t').nth(1)?.parse::<usize>().ok())
            .sum()
    };
    let path = dir.to_str().unwrap();

    let before = lookups(&moto);
    let grouped = doc(&check_against(&moto, &["-f", "json", path]));
    let grouped_requests = lookups(&moto) - before;
    let per_alias = doc(&check_against(
        &moto,
        &["-f", "json", "--no-grouped-lookups", path],
    ));
    let per_alias_requests = lookups(&moto) - before - grouped_requests;
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(grouped["summary"]["exit_code"], 2, "{grouped:#}");
    assert_eq!(grouped["findings"], per_alias["findings"]);
    let codes: Vec<(&str, &str)> = grouped["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["alias"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for taken in ["b.example.com", "c.example.com"] {
        assert!(codes.contains(&("alias-taken", taken)), "{codes:?}");
    }
    for overlapped in ["a.example.com", "d.example.com", "e.example.com"] {
        assert!(
            codes.contains(&("wildcard-overlap", overlapped)),
            "{codes:?}"
        );
    }
    // The five names under example.com: two queries; the apex: one; the
    // deeper name none (no certificate covers it, so no probe can ask).
    // One query per alias: six.
    assert_eq!((grouped_requests, per_alias_requests), (3, 6));
    let queries: Vec<(&str, &str)> = grouped["summary"]["aws"]["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["alias"].as_str().unwrap(),
                l["query"].as_str().unwrap_or("(none)"),
            )
        })
        .collect();
    assert_eq!(
        queries,
        [
            ("a.example.com", "a.example.com"),
            ("b.example.com", "*.example.com"),
            ("c.example.com", "*.example.com"),
            ("d.example.com", "*.example.com"),
            ("e.example.com", "*.example.com"),
            ("example.com", "example.com"),
            ("x.y.example.com", "(none)"),
        ]
    );
}
