//! CloudFront as it is today, end to end against the emulator (moto and the
//! CloudFront operations the emulator adds, each rule cited there) and
//! dnsmasq: tenants anywhere found with ListDomainConflicts, cross-account
//! wildcards allowed (a note), staging distributions, tenants reached
//! through connection groups, disabled holders in another account, and an
//! endpoint that lacks ListDomainConflicts.

use crate::dnsmasq::{Dnsmasq, Record};
use crate::tf_dir::{TWO_ACCOUNTS as PROVIDERS, TfDir};
use crate::{check_against, findings, moto};
use aws_config::SdkConfig;

fn config(name: &str, main_tf: &str) -> TfDir {
    TfDir::new("today", name, main_tf)
}

/// A distribution of ours with `aliases` and `cert`.
fn distribution(name: &str, aliases: &[&str], cert: &str, extra: &str) -> String {
    let aliases: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        r#"
resource "aws_cloudfront_distribution" "{name}" {{
  aliases = [{}]
  {extra}
  viewer_certificate {{
    acm_certificate_arn = "{cert}"
    ssl_support_method  = "sni-only"
  }}
}}
"#,
        aliases.join(", ")
    )
}

/// Our account with a probe distribution whose certificate covers
/// `*.example.com`, `*.bar.com` and `*.foo.com`; returns the certificate.
async fn our_probe(moto: &moto::Moto, ours: &SdkConfig) -> String {
    let cert = moto
        .request_certificate(
            ours,
            "example.com",
            &[
                "*.example.com",
                "*.bar.com",
                "*.foo.com",
                "bar.com",
                "foo.com",
            ],
        )
        .await;
    moto.create_distribution(ours, &["probe.example.com"], Some(&cert))
        .await;
    cert
}

fn exit(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A tenant in an account no provider reaches holds the name:
/// ListDomainConflicts sees it (ListConflictingAliases "only supports
/// standard distributions" and would not); an endpoint that lacks
/// ListDomainConflicts falls back and the summary says what it missed.
#[tokio::test(flavor = "multi_thread")]
async fn moto_tenant_holder_in_an_unreached_account_is_taken() {
    for (moto, tenant_seen) in [
        (moto::Moto::start(), true),
        (moto::Moto::start_without_domain_conflicts(), false),
    ] {
        let elsewhere = moto.config_for_account("333333333333").await;
        let their_cert = moto
            .request_certificate(&elsewhere, "example.com", &["*.example.com"])
            .await;
        let (parent, _) = moto
            .create_multi_tenant_distribution(&elsewhere, Some(&their_cert))
            .await;
        moto.create_tenant(
            &elsewhere,
            moto::TenantSeed {
                distribution_id: &parent,
                name: "shop",
                domains: &["shop.example.com"],
                connection_group_id: None,
                enabled: true,
            },
        )
        .await;
        let ours = moto.config().await;
        let cert = our_probe(&moto, &ours).await;
        let config = config(
            "tenant-elsewhere",
            &format!(
                "{PROVIDERS}{}",
                distribution("site", &["shop.example.com"], &cert, "")
            ),
        );
        let out = check_against(&moto, &["-f", "json", config.path()]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let lookups = doc["summary"]["aws"]["lookups"].as_array().unwrap().clone();
        if tenant_seen {
            assert_eq!(exit(&out), Some(2), "{}", stderr(&out));
            let found = findings(&out);
            let taken = found
                .iter()
                .find(|f| f["code"] == "alias-taken")
                .unwrap_or_else(|| panic!("{found:#?}"));
            assert!(
                taken["message"]
                    .as_str()
                    .unwrap()
                    .contains("held by tenant `"),
                "{taken}"
            );
            assert_eq!(taken["holder"]["same_account"], false);
            assert!(
                lookups
                    .iter()
                    .all(|l| l["operation"] == "ListDomainConflicts")
            );
        } else {
            // The older operation does not see tenants: nothing is found,
            // and the summary says which operation answered and what it
            // cannot see.
            assert_eq!(exit(&out), Some(0), "{}", stderr(&out));
            assert!(
                lookups
                    .iter()
                    .all(|l| l["operation"] == "ListConflictingAliases")
            );
            let human = check_against(&moto, &[config.path()]);
            let text = String::from_utf8_lossy(&human.stdout);
            assert!(
                text.contains("the endpoint lacks ListDomainConflicts, so distribution tenants"),
                "{text}"
            );
        }
    }
}

/// A tenant of ours adds a domain another tenant of ours holds (same
/// account), and one a tenant in the legacy account holds: both taken,
/// with the tenant route (UpdateDomainAssociation).
#[tokio::test(flavor = "multi_thread")]
async fn moto_tenant_target_and_tenant_holders_in_this_and_a_reached_account() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = our_probe(&moto, &ours).await;
    let (parent, _) = moto
        .create_multi_tenant_distribution(&ours, Some(&cert))
        .await;
    let held_here = moto
        .create_tenant(
            &ours,
            moto::TenantSeed {
                distribution_id: &parent,
                name: "old-shop",
                domains: &["shop.example.com"],
                connection_group_id: None,
                enabled: true,
            },
        )
        .await;
    let legacy = moto.config_for_account("222222222222").await;
    let legacy_cert = moto
        .request_certificate(&legacy, "example.com", &["*.example.com"])
        .await;
    let (legacy_parent, _) = moto
        .create_multi_tenant_distribution(&legacy, Some(&legacy_cert))
        .await;
    let held_there = moto
        .create_tenant(
            &legacy,
            moto::TenantSeed {
                distribution_id: &legacy_parent,
                name: "old-blog",
                domains: &["blog.example.com"],
                connection_group_id: None,
                enabled: true,
            },
        )
        .await;
    let config = config(
        "tenant-target",
        &format!(
            r#"{PROVIDERS}
resource "aws_cloudfront_distribution_tenant" "shop" {{
  distribution_id = "{parent}"
  name            = "shop"
  domain {{
    domain = "shop.example.com"
  }}
  domain {{
    domain = "blog.example.com"
  }}
}}
"#
        ),
    );
    let out = check_against(&moto, &["-f", "json", config.path()]);
    assert_eq!(exit(&out), Some(2), "{}", stderr(&out));
    let found = findings(&out);
    let taken = |alias: &str| {
        found
            .iter()
            .find(|f| f["code"] == "alias-taken" && f["alias"] == alias)
            .unwrap_or_else(|| panic!("{alias}: {found:#?}"))
            .clone()
    };
    let here = taken("shop.example.com");
    assert_eq!(here["holder"]["distribution_id"], held_here.id.as_str());
    assert_eq!(here["holder"]["same_account"], true);
    assert_eq!(here["fix"]["remedy"], "update-domain-association");
    let there = taken("blog.example.com");
    assert_eq!(there["holder"]["distribution_id"], held_there.id.as_str());
    assert_eq!(there["holder"]["account_id"], "222222222222");
}

/// `c.bar.com` under another account's `*.bar.com`, and `*.foo.com` over
/// another account's `a.foo.com`: allowed since July 2021, exit 0 with a
/// note each that says where traffic goes.
#[tokio::test(flavor = "multi_thread")]
async fn moto_cross_account_wildcard_overlaps_are_notes() {
    let moto = moto::Moto::start();
    let legacy = moto.config_for_account("222222222222").await;
    let (wild, _) = moto
        .create_distribution(&legacy, &["*.bar.com", "a.foo.com"], None)
        .await;
    let ours = moto.config().await;
    let cert = our_probe(&moto, &ours).await;
    let config = config(
        "wildcards",
        &format!(
            "{PROVIDERS}{}",
            distribution("site", &["c.bar.com", "*.foo.com"], &cert, "")
        ),
    );
    let out = check_against(&moto, &["-f", "json", config.path()]);
    assert_eq!(exit(&out), Some(0), "{}", stderr(&out));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in &found {
        assert_eq!(f["code"], "wildcard-overlap", "{f}");
        assert_eq!(f["severity"], "note", "{f}");
        assert_eq!(f["holder"]["account_id"], "222222222222");
        assert_eq!(f["holder"]["distribution_id"], wild.as_str());
    }
    let c = found.iter().find(|f| f["alias"] == "c.bar.com").unwrap();
    assert!(
        c["help"]
            .as_str()
            .unwrap()
            .contains("requests for it go to `aws_cloudfront_distribution.site`"),
        "{c}"
    );
}

/// A staging distribution with a name another distribution holds and with
/// a fresh one: `staging-has-aliases` for both, no alias-taken (no move
/// onto a staging distribution), and neither name is looked up.
#[tokio::test(flavor = "multi_thread")]
async fn moto_staging_distribution_with_a_held_and_a_fresh_alias() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = our_probe(&moto, &ours).await;
    moto.create_distribution(&ours, &["www.example.com"], Some(&cert))
        .await;
    let config = config(
        "staging",
        &format!(
            "{PROVIDERS}{}",
            distribution(
                "staging",
                &["www.example.com", "fresh.example.com"],
                &cert,
                "staging = true"
            )
        ),
    );
    let out = check_against(&moto, &["-f", "json", config.path()]);
    assert_eq!(exit(&out), Some(2), "{}", stderr(&out));
    let found = findings(&out);
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["alias"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("staging-has-aliases", "www.example.com"),
            ("staging-has-aliases", "fresh.example.com")
        ]
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["aws"]["lookups"], serde_json::json!([]));
}

/// A holder in another reached account that is disabled already: the move
/// can be made now; its disable step is verified, not a to-do.
#[tokio::test(flavor = "multi_thread")]
async fn moto_disabled_holder_in_another_account_is_moved_now() {
    let moto = moto::Moto::start();
    let legacy = moto.config_for_account("222222222222").await;
    let (old, _) = moto
        .try_create_distribution(
            &legacy,
            moto::DistributionSeed {
                aliases: &["www.example.com"],
                disabled: true,
                ..moto::DistributionSeed::default()
            },
        )
        .await
        .unwrap();
    let ours = moto.config().await;
    let cert = our_probe(&moto, &ours).await;
    let config = config(
        "disabled",
        &format!(
            "{PROVIDERS}{}",
            distribution("site", &["www.example.com"], &cert, "")
        ),
    );
    let out = check_against(&moto, &["-f", "json", config.path()]);
    assert_eq!(exit(&out), Some(2), "{}", stderr(&out));
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["holder"]["distribution_id"], old.as_str());
    assert_eq!(f["holder"]["enabled"], false);
    let steps = f["fix"]["steps"].as_array().unwrap();
    let disabled = steps
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("disabled already"))
        .unwrap_or_else(|| panic!("{steps:#?}"));
    assert_eq!(disabled["status"], "verified");
    assert!(
        !steps
            .iter()
            .any(|s| s["text"].as_str().unwrap().starts_with("disable `")),
        "{steps:#?}"
    );
}

/// A tenant whose DNS points at its connection group's routing endpoint
/// is pointed right (no finding); pointed at another group's endpoint, the
/// finding names that group and its tenant.
#[tokio::test(flavor = "multi_thread")]
async fn moto_tenant_dns_at_its_connection_group() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = our_probe(&moto, &ours).await;
    let (parent, _) = moto
        .create_multi_tenant_distribution(&ours, Some(&cert))
        .await;
    // The account's default group comes with its first tenant.
    let first = moto
        .create_tenant(
            &ours,
            moto::TenantSeed {
                distribution_id: &parent,
                name: "first",
                domains: &["first.example.com"],
                connection_group_id: None,
                enabled: true,
            },
        )
        .await;
    let custom = moto.create_connection_group(&ours, "custom").await;
    let other = moto
        .create_tenant(
            &ours,
            moto::TenantSeed {
                distribution_id: &parent,
                name: "other",
                domains: &["other.example.com"],
                connection_group_id: Some(&custom.id),
                enabled: true,
            },
        )
        .await;
    let config = config(
        "tenant-dns",
        &format!(
            r#"{PROVIDERS}
resource "aws_cloudfront_distribution_tenant" "new" {{
  distribution_id = "{parent}"
  name            = "new"
  domain {{
    domain = "new.example.com"
  }}
  domain {{
    domain = "moved.example.com"
  }}
}}
"#
        ),
    );
    let dns = Dnsmasq::start_for(
        &["example.com"],
        &[
            // Pointed at the default group: this tenant's own endpoint.
            Record::Cname("new.example.com", &first.routing_endpoint),
            // Pointed at the custom group, which serves another tenant.
            Record::Cname("moved.example.com", &other.routing_endpoint),
        ],
    );
    let out = check_against(
        &moto,
        &["--dns-server", &dns.server, "-f", "json", config.path()],
    );
    assert_eq!(exit(&out), Some(2), "{}", stderr(&out));
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "dns-points-elsewhere");
    assert_eq!(f["alias"], "moved.example.com");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains(&format!("connection group `{}`", custom.id)),
        "{f}"
    );
}

/// In a plan, a tenant placed in a connection group the plan manages is
/// reached through that group's `routing_endpoint`: DNS pointing there is
/// right (no finding, AWS not asked); pointing at another CloudFront name
/// is `dns-points-elsewhere`. The staging distribution's alias is never
/// asked of DNS.
#[test]
fn tenant_routing_endpoint_from_the_plan() {
    for (target, findings_expected) in [
        ("dvdg9gprgabc.cloudfront.net", 0),
        ("d1other00example.cloudfront.net", 1),
    ] {
        let dns = Dnsmasq::start_for(
            &["example.com"],
            &[Record::Cname("shop.example.com", target)],
        );
        let out = crate::isolated()
            .args([
                "check",
                "--no-aws",
                "--dns-server",
                &dns.server,
                "-f",
                "json",
                "fixtures/plans/staging-and-tenants.json",
            ])
            .output()
            .unwrap();
        assert_eq!(exit(&out), Some(2), "{}", stderr(&out));
        let found = findings(&out);
        let tenant: Vec<_> = found
            .iter()
            .filter(|f| f["alias"] == "shop.example.com")
            .collect();
        assert_eq!(tenant.len(), findings_expected, "{target}: {found:#?}");
        if let Some(f) = tenant.first() {
            assert_eq!(f["code"], "dns-points-elsewhere");
        }
        assert!(
            !dns.queries()
                .iter()
                .any(|q| q.ends_with(" www.example.com")),
            "{:?}",
            dns.queries()
        );
    }
}
