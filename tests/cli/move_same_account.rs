//! `move` within one account, end to end against the emulator with every
//! rule on names enforced: the plan, one command that moves the name with
//! AssociateAlias, then `check` clean and the change applies; a second run
//! has nothing to do.

use crate::move_support::{Config, ONE_ACCOUNT, deploy_delay, doc, mv, stderr, stdout};
use crate::{check_against, moto};

#[tokio::test(flavor = "multi_thread")]
async fn moto_a_same_account_move_runs_with_one_command() {
    let moto = moto::Moto::start_strict();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (source, _) = moto
        .create_distribution(&ours, &["www.example.com", "old.example.com"], Some(&cert))
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let config = Config::new("same", ONE_ACCOUNT, &["www.example.com"], &cert, &target);

    // Before: the check refuses the change, the holder is the source, and
    // CloudFront refuses to apply it.
    let out = check_against(&moto, &[config.path()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(
        moto.try_set_aliases(&ours, &target, &["www.example.com"])
            .await,
        Err("CNAMEAlreadyExists".to_string())
    );

    // The plan alone: every precondition verified, AssociateAlias named,
    // nothing changed.
    let out = mv(&moto, &["www.example.com", "--to", &target]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("route: associate-alias"), "{text}");
    assert!(
        text.contains(&format!(
            "AssociateAlias TargetDistributionId={target} Alias=www.example.com  (changes CloudFront)"
        )),
        "{text}"
    );
    assert!(text.contains("every precondition is verified"), "{text}");
    assert!(text.contains("plan only"), "{text}");

    // One command moves it.
    let out = mv(&moto, &["www.example.com", "--to", &target, "--yes"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("calling AssociateAlias"), "{text}");
    assert!(text.contains("AssociateAlias: done"), "{text}");
    assert!(text.contains(&format!("`{target}` is Deployed")), "{text}");
    assert!(
        text.contains(&format!("moved `www.example.com` to `{target}`")),
        "{text}"
    );
    assert!(text.contains(&format!("held by `{source}`")), "{text}");

    // The check of the change is clean now, and the change applies.
    let out = check_against(&moto, &[config.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    moto.try_set_aliases(&ours, &target, &["www.example.com"])
        .await
        .unwrap();

    // Again: nothing to do, exit 0, nothing called.
    let out = mv(
        &moto,
        &["www.example.com", "--to", &target, "--yes", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = doc(&out);
    assert_eq!(d["plan"]["verdict"], "nothing-to-do", "{d}");
    assert_eq!(d["outcome"]["result"], "nothing-to-do", "{d}");
    assert_eq!(d["outcome"]["log"], serde_json::json!([]), "{d}");
}

/// A tenant target: UpdateDomainAssociation, with the ETag that
/// GetDistributionTenant answers just before, the tenant's certificate
/// (its multi-tenant distribution's) verified first.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_tenant_target_moves_with_update_domain_association() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (parent, _) = moto
        .create_multi_tenant_distribution(&ours, Some(&cert))
        .await;
    let seed = |name: &'static str, domains: &'static [&'static str]| moto::TenantSeed {
        distribution_id: &parent,
        name,
        domains,
        connection_group_id: None,
        enabled: true,
    };
    let source = moto
        .create_tenant(&ours, seed("old-shop", &["shop.example.com"]))
        .await;
    let target = moto
        .create_tenant(&ours, seed("shop", &["new.example.com"]))
        .await;
    let out = mv(&moto, &["shop.example.com", "--to", &target.id, "--yes"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("move `shop.example.com` to tenant"), "{text}");
    assert!(text.contains(&format!("held by `{}`", source.id)), "{text}");
    assert!(text.contains("route: update-domain-association"), "{text}");
    assert!(
        text.contains("[verified: the certificate names `*.example.com`]"),
        "{text}"
    );
    assert!(
        text.contains(&format!("GetDistributionTenant Identifier={}", target.id)),
        "{text}"
    );
    assert!(text.contains("UpdateDomainAssociation: done"), "{text}");
    assert!(text.contains("moved `shop.example.com`"), "{text}");
    let got = aws_sdk_cloudfront::Client::new(&ours)
        .get_distribution_tenant()
        .identifier(&target.id)
        .send()
        .await
        .unwrap();
    let domains: Vec<String> = got
        .distribution_tenant()
        .unwrap()
        .domains()
        .iter()
        .map(|d| d.domain().to_string())
        .collect();
    assert!(
        domains.contains(&"shop.example.com".to_string()),
        "{domains:?}"
    );
}

/// The wait for Deployed is bounded by `--wait`: a target still
/// InProgress when it runs out is exit 1, naming what was done and how to
/// go on; a wait within the bound succeeds; the same command again finds
/// the name on the target.
#[tokio::test(flavor = "multi_thread")]
async fn moto_the_wait_is_bounded_and_the_same_command_resumes() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (first, _) = moto
        .create_distribution(&ours, &["a.example.com", "c.example.com"], Some(&cert))
        .await;
    moto.create_distribution(&ours, &["b.example.com"], Some(&cert))
        .await;
    let (target, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;

    deploy_delay(&moto, 10_000);
    let started = std::time::Instant::now();
    let out = mv(
        &moto,
        &["a.example.com", "--to", &target, "--yes", "--wait", "2"],
    );
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(text.contains("AssociateAlias: done"), "{text}");
    assert!(
        err.contains(&format!("`{target}` was not Deployed within 2 s")),
        "{err}"
    );
    assert!(err.contains("run the same command again"), "{err}");
    // Again, while it still deploys: nothing to do but the wait and the
    // confirmation.
    let out = mv(&moto, &["a.example.com", "--to", &target, "--yes"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("nothing to do"), "{text}");
    assert!(!text.contains("calling "), "{text}");
    assert!(text.contains(&format!("`{target}` is Deployed")), "{text}");
    assert!(
        text.contains("ListDomainConflicts: `a.example.com` is on"),
        "{text}"
    );

    // Deployed within the bound: the wait reads until it is.
    deploy_delay(&moto, 2_500);
    let out = mv(&moto, &["b.example.com", "--to", &target, "--yes"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains(&format!("`{target}` is Deployed")), "{text}");

    // A source still deploying (it has just changed) is waited for
    // (bounded), then the facts are gathered again.
    deploy_delay(&moto, 3_000);
    moto.try_set_aliases(&ours, &first, &["c.example.com"])
        .await
        .unwrap();
    let out = mv(&moto, &["c.example.com", "--to", &target, "--yes"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains(&format!("[not met] `{first}` is InProgress")),
        "{text}"
    );
    let waited = text.find(&format!("`{first}` is Deployed")).expect(&text);
    let again = text
        .find("verifying every precondition again")
        .expect(&text);
    assert!(waited < again, "{text}");
}
