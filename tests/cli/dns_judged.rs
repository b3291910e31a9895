//! DNS answers judged, not trusted, end to end: wildcard aliases asked as
//! they are, chains that end at the first CloudFront name (a resolver that
//! serves only the user's zones), resolvers that lie or never answer
//! (`lying_dns.py`), and the TXT record asked only for a holder in another
//! account.

use super::*;
use crate::dnsmasq::{Dnsmasq, Record};
use crate::lying_dns::LyingDns;

/// `fixtures/plans/two-accounts.json` (the new account adds `a.foo.com`,
/// the legacy one is reached through `aws.legacy`) with `a.foo.com`
/// replaced by `alias`, written to a scratch file.
fn two_accounts_plan(alias: &str, tag: &str) -> std::path::PathBuf {
    let plan = std::fs::read_to_string("fixtures/plans/two-accounts.json")
        .unwrap()
        .replace("a.foo.com", alias);
    let path =
        std::env::temp_dir().join(format!("cname-preflight-{tag}-{}.json", std::process::id()));
    std::fs::write(&path, plan).unwrap();
    path
}

fn check_dns(server: &str, args: &[&str]) -> Output {
    isolated()
        .args(["check", "--no-aws", "--dns-server", server])
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A wildcard alias with DNS asked and no AWS: `*.foo.com` is asked as it
/// is, and the run ends on its findings, never on a name the resolver
/// library would refuse.
#[test]
fn a_wildcard_alias_is_asked_in_dns_as_it_is() {
    let dns = Dnsmasq::start(&[]);
    let plan = two_accounts_plan("*.foo.com", "wildcard-no-aws");
    let out = check_dns(&dns.server, &["-f", "json", plan.to_str().unwrap()]);
    std::fs::remove_file(&plan).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(findings(&out), Vec::<serde_json::Value>::new());
    let queries = dns.queries();
    assert!(
        queries.iter().any(|q| q == "CNAME *.foo.com"),
        "{queries:#?}"
    );
}

/// The legacy account holds `*.foo.com`, the new one adds it: AWS names a
/// holder in another account, so the TXT record `_*.foo.com` of the move
/// is asked (built from raw labels) and its value reported.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_holder_in_another_account_has_the_txt_record_asked() {
    let moto = moto::Moto::start();
    let legacy = moto.config_for_account("222222222222").await;
    let (id, _) = moto
        .create_distribution(&legacy, &["*.foo.com"], None)
        .await;
    let new = moto.config_for_account("111111111111").await;
    let cert = moto.request_certificate(&new, "*.foo.com", &[]).await;
    moto.create_distribution(&new, &["qrs.example.net"], Some(&cert))
        .await;
    let dns = Dnsmasq::start(&[Record::Txt("_*.foo.com", "d1new0000001.cloudfront.net")]);
    let plan = two_accounts_plan("*.foo.com", "wildcard-moto");
    let out = check_against(
        &moto,
        &[
            "--dns-server",
            &dns.server,
            "-f",
            "json",
            plan.to_str().unwrap(),
        ],
    );
    std::fs::remove_file(&plan).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let taken = found
        .iter()
        .find(|f| f["code"] == "alias-taken")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(taken["holder"]["distribution_id"], id.as_str());
    let steps = taken["fix"]["steps"].as_array().unwrap();
    let txt = steps
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("TXT"))
        .unwrap_or_else(|| panic!("{steps:#?}"));
    assert!(
        txt.to_string().contains("d1new0000001.cloudfront.net"),
        "{txt}"
    );
    let queries = dns.queries();
    assert!(
        queries.iter().any(|q| q == "TXT _*.foo.com"),
        "{queries:#?}"
    );
}

/// A resolver authoritative only for the user's zone (dnsmasq with
/// `--local=/example.com/` and nothing else) refuses every name past the
/// user's records: the chain ends at the first CloudFront name, which is
/// the answer, and nothing past it is asked.
#[test]
fn the_chain_ends_at_the_first_cloudfront_name() {
    let dns = Dnsmasq::start_for(
        &["example.com"],
        &[Record::Cname(
            "www.example.com",
            "d1abcdef0001.cloudfront.net",
        )],
    );
    let out = check_dns(
        &dns.server,
        &["-f", "json", "fixtures/plans/clean-create.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "dns-points-elsewhere");
    assert_eq!(found[0]["dns"]["points_to"], "d1abcdef0001.cloudfront.net");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("d1abcdef0001.cloudfront.net"),
        "{}",
        found[0]["message"]
    );
    let queries = dns.queries();
    assert!(
        !queries.iter().any(|q| q.ends_with(".cloudfront.net")),
        "{queries:#?}"
    );
}

/// The same resolver with AWS asked: the CloudFront name the chain ends at
/// is a reached account's distribution, which the finding names.
#[tokio::test(flavor = "multi_thread")]
async fn moto_the_chain_end_names_the_distribution_behind_a_zone_only_resolver() {
    let moto = moto::Moto::start();
    let conf = moto.config().await;
    let (old, old_domain) = moto
        .create_distribution(&conf, &["old.example.org"], None)
        .await;
    let dns = Dnsmasq::start_for(
        &["example.com"],
        &[Record::Cname("blog.example.com", &old_domain)],
    );
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
    assert_eq!(f["alias"], "blog.example.com");
    assert_eq!(f["dns"]["points_to"], old_domain.as_str());
    assert_eq!(f["dns"]["distribution_id"], old.as_str());
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains(&format!("distribution `{old}`")),
        "{}",
        f["message"]
    );
}

/// A resolver that lies in `mode`: with `--on-api-error fail` the run
/// stops (exit 1, `dns::failure`); with `warn` every name is
/// `not-verified` with `reason`, and nothing reads as a pass or as a
/// distribution found.
fn lied_to(mode: &str, reason: &str) {
    let dns = LyingDns::start(mode);
    let base = ["--timeout", "5", "fixtures/plans/clean-create.json"];
    let out = check_dns(&dns.server, &base);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("dns::failure"), "{stderr}");

    let warn = [&["--on-api-error", "warn", "-f", "json"][..], &base].concat();
    let out = check_dns(&dns.server, &warn);
    assert_eq!(out.status.code(), Some(0));
    let found = findings(&out);
    assert_eq!(found.len(), 2, "{found:#?}");
    for f in &found {
        assert_eq!(f["code"], "not-verified", "{f:#}");
        let help = f["help"].as_str().unwrap();
        assert!(help.contains(reason), "{help}");
    }
}

#[test]
fn a_cname_owned_by_another_name_is_not_believed() {
    lied_to("other-owner", "only for other names");
}

#[test]
fn two_cnames_for_one_name_are_not_believed() {
    lied_to("two-cnames", "2 CNAME records");
}

#[test]
fn an_unassigned_response_code_with_an_answer_is_a_failure() {
    lied_to("rcode12", "answered response code 12");
}

#[test]
fn servfail_is_a_failure() {
    lied_to("servfail", "answered SERVFAIL");
}

#[test]
fn refused_is_a_failure() {
    lied_to("refused", "answered REFUSED");
}

#[test]
fn notimp_is_a_failure() {
    lied_to("notimp", "answered NOTIMP");
}

/// A resolver that never answers (UDP read and dropped, TCP held open):
/// each name costs at most `--timeout` in all, and with `--on-api-error
/// fail` the first failure stops the rest, so 100 aliases fail in about
/// one timeout, far below the 10 timeouts this allows.
#[test]
fn a_dead_resolver_fails_a_hundred_aliases_in_about_one_timeout() {
    let dns = LyingDns::start("silent");
    let dir = std::env::temp_dir().join(format!("cname-preflight-dead-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let aliases: Vec<String> = (0..100).map(|i| format!("\"a{i}.example.com\"")).collect();
    std::fs::write(
        dir.join("main.tf"),
        format!(
            "resource \"aws_cloudfront_distribution\" \"site\" {{\n  aliases = [{}]\n  \
             viewer_certificate {{\n    acm_certificate_arn = \
             \"arn:aws:acm:us-east-1:123456789012:certificate/1\"\n  }}\n}}\n",
            aliases.join(", ")
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = check_dns(&dns.server, &["--timeout", "1", dir.to_str().unwrap()]);
    let elapsed = started.elapsed();
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no answer within 1 s") || stderr.contains("timed out"),
        "{stderr}"
    );
    assert!(
        elapsed < std::time::Duration::from_secs(10),
        "100 aliases against a dead resolver took {elapsed:?}"
    );
}

/// With `--on-api-error fail`, a DNS failure fails the run, so AWS is
/// stopped rather than waited for: against an emulator that answers each
/// request after 1.5 s (about ten requests here, 15 s), a silent resolver
/// ends the run after one `--timeout` and the summary says AWS was stopped.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_dns_failure_stops_the_aws_phase() {
    let moto = moto::Moto::start();
    moto.request("POST", "/moto-wrapper/latency?ms=1500")
        .expect("the emulator takes a latency");
    let dns = LyingDns::start("silent");
    let out = check_against(
        &moto,
        &[
            "--dns-server",
            &dns.server,
            "--timeout",
            "3",
            "fixtures/plans/clean-create.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("AWS was not asked (stopped: the other service could not be asked)"),
        "{text}"
    );
}
