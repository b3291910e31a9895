//! `move` across accounts, end to end against the emulator and dnsmasq: a
//! disabled source in another account moved with one command once the
//! `_name` TXT record is served (refused, nothing changed, before it is);
//! an enabled source: the wildcard move refused under `--yes`, then
//! `--disable-source`; an error CloudFront answers surfaced with exit 1.

use crate::dnsmasq::{Dnsmasq, Record};
use crate::move_support::{Config, doc, mutating, mv, requests, since, stderr, stdout};
use crate::tf_dir::TWO_ACCOUNTS;
use crate::{check_against, moto};

const ADDRESS: &str = "aws_cloudfront_distribution.site";

#[tokio::test(flavor = "multi_thread")]
async fn moto_a_disabled_source_in_another_account_moves_once_the_txt_record_is_served() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let legacy = moto.config_for_account("222222222222").await;
    let cert = moto
        .request_certificate(&ours, "shop.example.com", &["*.shop.example.com"])
        .await;
    let (target, target_domain) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let seed = moto::DistributionSeed {
        aliases: &["c.shop.example.com", "d.shop.example.com"],
        disabled: true,
        ..moto::DistributionSeed::default()
    };
    let (source, _) = moto.try_create_distribution(&legacy, seed).await.unwrap();
    let config = Config::new("txt", TWO_ACCOUNTS, &["c.shop.example.com"], &cert, &target);
    let args = |dns: &str| -> Vec<String> {
        [
            "c.shop.example.com",
            "--to",
            ADDRESS,
            "--plan",
            config.path(),
            "--dns-server",
            dns,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };

    // No TXT record yet: the plan says so, --yes refuses (exit 1) and
    // changes nothing.
    let empty = Dnsmasq::start(&[]);
    moto.use_dns_server(&empty.server);
    let mut no_txt = args(&empty.server);
    let plan = mv(
        &moto,
        &no_txt.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(plan.status.code(), Some(2), "{}", stdout(&plan));
    no_txt.push("--yes".into());
    let before = requests(&moto);
    let out = mv(
        &moto,
        &no_txt.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(err.contains("refused, nothing was changed"), "{err}");
    assert!(
        err.contains("not met: the DNS TXT record `_c.shop.example.com."),
        "{err}"
    );
    assert!(mutating(&since(&before, &requests(&moto))).is_empty());

    // With the record: one command, UpdateDomainAssociation with the ETag
    // read just before; the edits left point at the configuration.
    let dns = Dnsmasq::start(&[Record::Txt("_c.shop.example.com", &target_domain)]);
    moto.use_dns_server(&dns.server);
    let mut yes = args(&dns.server);
    yes.push("--yes".into());
    let out = mv(&moto, &yes.iter().map(String::as_str).collect::<Vec<_>>());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("route: disable-then-associate"), "{text}");
    assert!(
        text.contains(&format!(
            "`{source}` in account 222222222222 is disabled already"
        )),
        "{text}"
    );
    assert!(text.contains("[verified: DNS has the TXT value"), "{text}");
    assert!(
        text.contains(&format!("read the ETag of `{target}`")),
        "{text}"
    );
    assert!(
        text.contains("calling UpdateDomainAssociation Domain=c.shop.example.com"),
        "{text}"
    );
    assert!(text.contains("UpdateDomainAssociation: done"), "{text}");
    assert!(
        text.contains(&format!("`{ADDRESS}` names `c.shop.example.com` already")),
        "{text}"
    );
    assert!(text.contains("main.tf:"), "{text}");
    assert!(text.contains("moved `c.shop.example.com`"), "{text}");
    let out = check_against(&moto, &[config.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // The change applies: the target keeps the name.
    moto.try_set_aliases(&ours, &target, &["c.shop.example.com"])
        .await
        .unwrap();

    // Again: nothing to do.
    let out = mv(&moto, &yes.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_an_enabled_source_is_disabled_only_with_disable_source() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let legacy = moto.config_for_account("222222222222").await;
    let cert = moto
        .request_certificate(&ours, "shop.example.com", &["*.shop.example.com"])
        .await;
    let (target, target_domain) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let (source, _) = moto
        .create_distribution(&legacy, &["e.shop.example.com", "f.shop.example.com"], None)
        .await;
    let config = Config::new(
        "disable",
        TWO_ACCOUNTS,
        &["e.shop.example.com"],
        &cert,
        &target,
    );
    let dns = Dnsmasq::start(&[Record::Txt("_e.shop.example.com", &target_domain)]);
    moto.use_dns_server(&dns.server);
    let base = [
        "e.shop.example.com",
        "--to",
        ADDRESS,
        "--plan",
        config.path(),
        "--dns-server",
        &dns.server,
    ];

    // The fix is the wildcard move: printed with its steps, refused by
    // --yes with the reason, nothing changed.
    let before = requests(&moto);
    let out = mv(&moto, &[&base[..], &["--yes"]].concat());
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(text.contains("route: wildcard-move"), "{text}");
    assert!(text.contains("add `*.shop.example.com` to"), "{text}");
    assert!(err.contains("the fix is `wildcard-move`"), "{err}");
    assert!(err.contains("pass --disable-source"), "{err}");
    assert!(mutating(&since(&before, &requests(&moto))).is_empty());

    // --disable-source: the plan names every name the source stops
    // serving; the source is disabled, then the name moves.
    let out = mv(&moto, &[&base[..], &["--disable-source", "--yes"]].concat());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("route: disable-then-associate"), "{text}");
    assert!(
        text.contains("every name it has (`e.shop.example.com`, `f.shop.example.com`)"),
        "{text}"
    );
    let disable = text.find("UpdateDistribution: done").expect(&text);
    let moved = text.find("UpdateDomainAssociation: done").expect(&text);
    assert!(disable < moved, "{text}");
    assert!(text.contains(&format!("`{source}` is Deployed")), "{text}");
    let got = aws_sdk_cloudfront::Client::new(&legacy)
        .get_distribution()
        .id(&source)
        .send()
        .await
        .unwrap();
    let config_now = got.distribution().unwrap().distribution_config().unwrap();
    assert!(!config_now.enabled());
    assert_eq!(
        config_now
            .aliases()
            .map(|a| a.items().to_vec())
            .unwrap_or_default(),
        ["f.shop.example.com"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_an_error_cloudfront_answers_is_surfaced_with_exit_1() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let legacy = moto.config_for_account("222222222222").await;
    let cert = moto
        .request_certificate(&ours, "shop.example.com", &["*.shop.example.com"])
        .await;
    let (target, target_domain) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let seed = moto::DistributionSeed {
        aliases: &["g.shop.example.com"],
        disabled: true,
        ..moto::DistributionSeed::default()
    };
    moto.try_create_distribution(&legacy, seed).await.unwrap();
    let config = Config::new(
        "refused",
        TWO_ACCOUNTS,
        &["g.shop.example.com"],
        &cert,
        &target,
    );
    // The tool's resolver has the record; CloudFront's does not (it reads
    // none), so CloudFront refuses what the plan found ready.
    let dns = Dnsmasq::start(&[Record::Txt("_g.shop.example.com", &target_domain)]);
    let out = mv(
        &moto,
        &[
            "g.shop.example.com",
            "--to",
            ADDRESS,
            "--plan",
            config.path(),
            "--dns-server",
            &dns.server,
            "--yes",
            "-f",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let d = doc(&out);
    let log = d["outcome"]["log"].as_array().unwrap();
    assert_eq!(log.len(), 1, "{d}");
    assert_eq!(log[0]["call"]["operation"], "UpdateDomainAssociation");
    assert_eq!(log[0]["result"], "failed");
    assert_eq!(log[0]["error"]["code"], "InvalidArgument", "{d}");
    assert!(!log[0]["error"]["message"].as_str().unwrap().is_empty());
    let error = d["outcome"]["error"].as_str().unwrap();
    assert!(
        error.starts_with("UpdateDomainAssociation failed: InvalidArgument: "),
        "{error}"
    );
    assert_eq!(d["outcome"]["exit_code"], 1);
}
