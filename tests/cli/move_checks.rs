//! `check` stays read-only, and `move`'s other answers: a precondition
//! that is not met (the target's certificate), the plan as data, a target
//! that is not there.

use crate::move_support::{
    Config, ONE_ACCOUNT, doc, mutating, mv, requests, since, stderr, stdout,
};
use crate::{check_against, moto};

/// A `check` that finds a holder (and asks every read it can: inventory,
/// certificates, conflicts, tenants) makes no request that changes
/// anything: the emulator's count of mutating requests does not move.
#[tokio::test(flavor = "multi_thread")]
async fn moto_check_makes_no_mutating_request() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    moto.create_distribution(&ours, &["www.example.com"], Some(&cert))
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let (multi, _) = moto
        .create_multi_tenant_distribution(&ours, Some(&cert))
        .await;
    moto.create_tenant(
        &ours,
        moto::TenantSeed {
            distribution_id: &multi,
            name: "shop",
            domains: &["shop.example.com"],
            connection_group_id: None,
            enabled: true,
        },
    )
    .await;
    let config = Config::new(
        "readonly",
        ONE_ACCOUNT,
        &["www.example.com", "shop.example.com"],
        &cert,
        &target,
    );
    let before = requests(&moto);
    let out = check_against(&moto, &[config.path()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let after = requests(&moto);
    let asked = since(&before, &after);
    assert!(
        asked.keys().any(|k| k.contains("domain-conflicts")),
        "the check asked AWS: {asked:?}"
    );
    assert_eq!(mutating(&asked), Default::default(), "{asked:?}");
    // The count does see mutating requests: a move makes one.
    let out = mv(&moto, &["www.example.com", "--to", &target, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let moved = mutating(&since(&after, &requests(&moto)));
    assert_eq!(
        moved.keys().collect::<Vec<_>>(),
        [&format!(
            "PUT /2020-05-31/distribution/{target}/associate-alias"
        )]
    );
}

/// The target's certificate does not cover the name: the plan says which
/// precondition is not met; `--yes` refuses with exit 1 naming it, and
/// nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_certificate_that_does_not_cover_is_refused() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let other = moto.request_certificate(&ours, "example.org", &[]).await;
    moto.create_distribution(&ours, &["www.example.com"], Some(&cert))
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&other)).await;
    let before = requests(&moto);
    let out = mv(&moto, &["www.example.com", "--to", &target, "--yes"]);
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(
        err.contains(&format!(
            "not met: the certificate of `{target}` does not cover `www.example.com`"
        )),
        "{err}"
    );
    assert!(mutating(&since(&before, &requests(&moto))).is_empty());
    // Without --yes: the plan, exit 2 (a blocker), as check's findings.
    let out = mv(&moto, &["www.example.com", "--to", &target]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("--yes refuses this move:"));
}

/// `-f json`: the plan and the outcome as data, with the documented
/// fields.
#[tokio::test(flavor = "multi_thread")]
async fn moto_the_plan_and_the_outcome_as_json() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (source, _) = moto
        .create_distribution(&ours, &["www.example.com"], Some(&cert))
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let out = mv(&moto, &["www.example.com", "--to", &target, "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = doc(&out);
    assert_eq!(d["version"], 1);
    let plan = &d["plan"];
    assert_eq!(plan["alias"], "www.example.com");
    assert_eq!(plan["target"]["id"], target.as_str());
    assert_eq!(plan["target"]["kind"], "distribution");
    assert_eq!(plan["target"]["account_id"], "123456789012");
    assert_eq!(plan["holder"]["id"], source.as_str());
    assert_eq!(plan["holder"]["same_account"], true);
    assert_eq!(plan["route"], "associate-alias");
    assert_eq!(plan["fix"]["remedy"], "associate-alias");
    assert_eq!(plan["verdict"], "ready");
    assert_eq!(plan["reasons"], serde_json::json!([]));
    let calls = plan["calls"].as_array().unwrap();
    assert_eq!(
        calls[0],
        serde_json::json!({
            "operation": "AssociateAlias",
            "parameters": {"TargetDistributionId": target, "Alias": "www.example.com"},
            "mutating": true,
        })
    );
    assert_eq!(calls.last().unwrap()["operation"], "ListDomainConflicts");
    let steps = plan["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["status"] == "verified"
        && s["precondition"] == true
        && s["seen"].as_str().unwrap().contains("*.example.com")));
    assert!(
        steps
            .iter()
            .any(|s| s["call"]["operation"] == "AssociateAlias")
    );
    for e in plan["edits"].as_array().unwrap() {
        assert!(e["text"].is_string() && e.get("file").is_some() && e.get("line").is_some());
    }
    assert_eq!(d["outcome"]["result"], "planned");
    assert_eq!(d["outcome"]["log"], serde_json::json!([]));
    assert_eq!(d["outcome"]["exit_code"], 0);
    // No line of the run's log on standard output: it is the document.
    assert!(stdout(&out).trim_start().starts_with('{'));
}

/// A target that is gone (the emulator forgets every account): exit 1,
/// said on standard error.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_missing_target_is_an_error() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let (target, _) = moto.create_distribution(&ours, &[], None).await;
    moto.reset();
    let out = mv(&moto, &["www.example.com", "--to", &target]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&format!(
            "`{target}` is not a distribution or tenant of the account"
        )),
        "{}",
        stderr(&out)
    );
}

/// Without AWS's answer there is no plan: `--no-aws` and `--offline` are
/// errors, never "nothing holds it".
#[tokio::test(flavor = "multi_thread")]
async fn moto_move_without_asking_aws_is_an_error() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    moto.create_distribution(&ours, &["www.example.com"], Some(&cert))
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    // `mv` adds `--no-dns` unless a resolver is named, and `--no-aws`
    // excludes it: a resolver that answers nothing, asked briefly.
    let quiet = ["--dns-server", "127.0.0.1:9", "--timeout", "2"];
    for flags in [&["--no-aws"][..], &["--offline"][..]] {
        let flag = flags[0];
        let args = [
            &["www.example.com", "--to", &target, "--yes"][..],
            flags,
            &quiet[..],
        ]
        .concat();
        let out = mv(&moto, &args);
        assert_eq!(out.status.code(), Some(1), "{flag}: {}", stdout(&out));
        assert!(
            stderr(&out).contains("AWS was not asked"),
            "{flag}: {}",
            stderr(&out)
        );
    }
}

/// A hostile alias (a line break and a workflow command, an escape
/// sequence) is printed escaped: no line of the output reads as a command
/// or carries a control character; it is refused before anything is
/// asked.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_hostile_alias_is_printed_escaped_and_refused() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let alias = "x\n::error::pwned\u{1b}[31m.example.com";
    let before = requests(&moto);
    let out = mv(&moto, &[alias, "--to", &target, "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("invalid-alias"), "{all}");
    for line in all.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line}");
        assert!(!line.contains('\u{1b}'), "{line:?}");
    }
    let asked = since(&before, &requests(&moto));
    assert!(asked.is_empty(), "{asked:?}");
}
