//! Replay: for every holder `move --yes` can move a name from (this
//! account, enabled or disabled; an account a provider reaches, disabled,
//! or enabled with `--disable-source`; an account no provider reaches,
//! disabled), against the emulator with every rule on names enforced:
//! before, applying the change fails and `check` reports it; `move --yes`
//! succeeds; after, applying the change succeeds and `check` is clean.
//! Every scenario that disagrees is printed before the test fails.

use crate::dnsmasq::{Dnsmasq, Record};
use crate::move_support::{Config, mv, stderr, stdout};
use crate::tf_dir::TWO_ACCOUNTS as PROVIDERS;
use crate::{check_against, moto};

#[derive(Clone, Copy, Debug)]
struct Scenario {
    /// The holder's account: ours, one `aws.legacy` reaches, or another.
    account: &'static str,
    enabled: bool,
    /// `move` needs `--disable-source`.
    disable_source: bool,
}

const SCENARIOS: [Scenario; 5] = [
    Scenario {
        account: "123456789012",
        enabled: true,
        disable_source: false,
    },
    Scenario {
        account: "123456789012",
        enabled: false,
        disable_source: false,
    },
    Scenario {
        account: "222222222222",
        enabled: false,
        disable_source: false,
    },
    Scenario {
        account: "222222222222",
        enabled: true,
        disable_source: true,
    },
    Scenario {
        account: "333333333333",
        enabled: false,
        disable_source: false,
    },
];

async fn replay(s: Scenario, n: usize) -> Result<(), String> {
    let moto = moto::Moto::start_strict();
    let ours = moto.config().await;
    let name = "www.shop.example.com";
    let holder_conf = if s.account == "123456789012" {
        ours.clone()
    } else {
        moto.config_for_account(s.account).await
    };
    let cert = moto
        .request_certificate(&ours, "shop.example.com", &["*.shop.example.com"])
        .await;
    let holder_cert = moto
        .request_certificate(&holder_conf, "shop.example.com", &["*.shop.example.com"])
        .await;
    let seed = moto::DistributionSeed {
        aliases: &[name],
        certificate_arn: Some(&holder_cert),
        disabled: !s.enabled,
        ..moto::DistributionSeed::default()
    };
    moto.try_create_distribution(&holder_conf, seed)
        .await
        .map_err(|e| format!("seeding the holder: {e}"))?;
    let (target, target_domain) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let dns = Dnsmasq::start(&[Record::Txt("_www.shop.example.com", &target_domain)]);
    moto.use_dns_server(&dns.server);
    let config = Config::new(&format!("replay-{n}"), PROVIDERS, &[name], &cert, &target);

    if moto.try_set_aliases(&ours, &target, &[name]).await.is_ok() {
        return Err("the change applied before the move".into());
    }
    let args = ["--dns-server", dns.server.as_str(), config.path()];
    let out = check_against(&moto, &args);
    if out.status.code() != Some(2) {
        return Err(format!(
            "check before: {:?}\n{}",
            out.status.code(),
            stdout(&out)
        ));
    }
    let mut line = vec![
        name,
        "--to",
        "aws_cloudfront_distribution.site",
        "--plan",
        config.path(),
        "--dns-server",
        &dns.server,
        "--yes",
    ];
    if s.disable_source {
        line.push("--disable-source");
    }
    let out = mv(&moto, &line);
    if out.status.code() != Some(0) {
        return Err(format!(
            "move: {:?}\n{}{}",
            out.status.code(),
            stdout(&out),
            stderr(&out)
        ));
    }
    moto.try_set_aliases(&ours, &target, &[name])
        .await
        .map_err(|e| format!("the change after the move: {e}"))?;
    let out = check_against(&moto, &args);
    if out.status.code() != Some(0) {
        return Err(format!(
            "check after: {:?}\n{}",
            out.status.code(),
            stdout(&out)
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_every_movable_holder_replays_to_a_change_that_applies() {
    let mut failed = Vec::new();
    for (n, s) in SCENARIOS.iter().enumerate() {
        if let Err(why) = replay(*s, n).await {
            println!("scenario {s:?}: {why}");
            failed.push(*s);
        }
    }
    assert!(
        failed.is_empty(),
        "{} scenarios disagree: {failed:?}",
        failed.len()
    );
}
