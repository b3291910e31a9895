//! DNS end to end: the real binary against dnsmasq on a loopback port.

use super::*;
use crate::dnsmasq::{Dnsmasq, Record};

/// Runs `check --no-aws` against a local resolver, with no AWS credentials
/// anywhere: DNS alone needs none.
fn check_dns(dns: &Dnsmasq, args: &[&str]) -> Output {
    isolated()
        .args(["check", "--no-aws", "--dns-server", &dns.server])
        .args(args)
        .output()
        .expect("the binary runs")
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
    ] {
        assert!(
            queries.iter().any(|q| q == expected),
            "{expected} not asked: {queries:#?}"
        );
    }
    // The TXT record matters only for a holder in another account, which
    // only AWS can name: without AWS it is not asked.
    assert!(
        !queries.iter().any(|q| q.starts_with("TXT ")),
        "{queries:#?}"
    );
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
    assert!(stderr.contains("REFUSED"), "{stderr}");
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
/// finding whose checklist has the DNS step; the TXT record, which no move
/// within one account needs, is not asked; `blog`'s DNS points at a listed
/// distribution that does not hold it, which is named.
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
        (findings(&out), dns.queries())
    };
    let (found, queries) = run("d1site000001.cloudfront.net");
    assert_eq!(found.len(), 2, "{found:#?}");
    let taken = found
        .iter()
        .find(|f| f["alias"] == "shop.example.com")
        .unwrap();
    assert_eq!(taken["code"], "alias-taken");
    assert_eq!(taken["holder"]["distribution_id"], holder.as_str());
    assert_eq!(taken["fix"]["remedy"], "associate-alias");
    let steps = taken["fix"]["steps"].as_array().unwrap();
    // No TXT step within one account (the guide's set-up page), and no
    // TXT query.
    assert!(
        !steps
            .iter()
            .any(|s| s["text"].as_str().unwrap().contains("TXT record `")),
        "{steps:#?}"
    );
    assert!(
        !queries.iter().any(|q| q.starts_with("TXT ")),
        "{queries:#?}"
    );
    // The DNS step, after the associate-alias command, is to do (what
    // comes after the move never stops an automation), and says where DNS
    // leads now (AssociateAlias works with it there).
    let command = steps.iter().position(|s| !s["command"].is_null()).unwrap();
    let dns_step = &steps[command + 1];
    assert_eq!(dns_step["status"], "todo", "{steps:#?}");
    assert!(
        dns_step["text"]
            .as_str()
            .unwrap()
            .contains(&format!("DNS leads to `{holder_domain}` now")),
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
