//! AssociateAlias and UpdateDomainAssociation against the emulator through
//! the SDK the tool uses: the Rust SDK parses both answers, and the move
//! pages' rules hold (a covering certificate on the target; across accounts
//! a disabled source and the `_name` TXT record, read from dnsmasq).

use super::*;
use crate::dnsmasq::{Dnsmasq, Record};
use aws_sdk_cloudfront::types::DistributionResourceId;

async fn aliases(conf: &SdkConfig, id: &str) -> (Vec<String>, String) {
    let got = aws_sdk_cloudfront::Client::new(conf)
        .get_distribution()
        .id(id)
        .send()
        .await
        .expect("GetDistribution");
    let config = got.distribution().unwrap().distribution_config().unwrap();
    let items = config
        .aliases()
        .map(|a| a.items().to_vec())
        .unwrap_or_default();
    (items, got.e_tag().unwrap_or_default().to_string())
}

async fn associate(conf: &SdkConfig, target: &str, alias: &str) -> Result<(), String> {
    aws_sdk_cloudfront::Client::new(conf)
        .associate_alias()
        .target_distribution_id(target)
        .alias(alias)
        .send()
        .await
        .map(|_| ())
        .map_err(error_code)
}

#[tokio::test(flavor = "multi_thread")]
async fn moves_follow_the_move_pages() {
    let moto = Moto::start();
    let ours = moto.config().await;
    let other = moto.config_for_account("222222222222").await;
    let cert = moto
        .request_certificate(&ours, "shop.example.com", &["*.shop.example.com"])
        .await;
    let (target, target_domain) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let (bare, _) = moto.create_distribution(&ours, &[], None).await;

    // Same account: AssociateAlias moves the name as it is.
    let (same, _) = moto
        .create_distribution(&ours, &["a.shop.example.com"], None)
        .await;
    let (_, before) = aliases(&ours, &target).await;
    assert_eq!(
        associate(&ours, &bare, "a.shop.example.com").await,
        Err("InvalidArgument".into()),
        "the target's certificate must cover the name"
    );
    associate(&ours, &target, "a.shop.example.com")
        .await
        .unwrap();
    let (on_target, after) = aliases(&ours, &target).await;
    assert_eq!(on_target, ["a.shop.example.com"]);
    assert_ne!(before, after, "the target's ETag changes");
    assert!(aliases(&ours, &same).await.0.is_empty());

    // Another account: the source must be disabled, and `_name` must hold
    // the target's domain.
    let enabled = DistributionSeed {
        aliases: &["b.shop.example.com"],
        ..DistributionSeed::default()
    };
    moto.try_create_distribution(&other, enabled).await.unwrap();
    let disabled = DistributionSeed {
        aliases: &["c.shop.example.com"],
        disabled: true,
        ..DistributionSeed::default()
    };
    let (source, _) = moto
        .try_create_distribution(&other, disabled)
        .await
        .unwrap();
    assert_eq!(
        associate(&ours, &target, "b.shop.example.com").await,
        Err("IllegalUpdate".into())
    );
    assert_eq!(
        associate(&ours, &target, "c.shop.example.com").await,
        Err("InvalidArgument".into()),
        "no resolver, no TXT record"
    );
    let dns = Dnsmasq::start(&[Record::Txt("_c.shop.example.com", &target_domain)]);
    moto.use_dns_server(&dns.server);
    associate(&ours, &target, "c.shop.example.com")
        .await
        .unwrap();
    assert!(aliases(&other, &source).await.0.is_empty());

    // UpdateDomainAssociation moves it on, If-Match the target's ETag, and
    // answers the new one.
    let (second, _) = moto.create_distribution(&ours, &[], Some(&cert)).await;
    let (_, etag) = aliases(&ours, &second).await;
    let client = aws_sdk_cloudfront::Client::new(&ours);
    let to_second = || {
        client
            .update_domain_association()
            .domain("c.shop.example.com")
            .target_resource(
                DistributionResourceId::builder()
                    .distribution_id(&second)
                    .build(),
            )
    };
    let stale = to_second()
        .if_match("stale")
        .send()
        .await
        .map_err(error_code);
    assert_eq!(stale.err().as_deref(), Some("PreconditionFailed"));
    let moved = to_second().if_match(&etag).send().await.unwrap();
    assert_eq!(moved.resource_id(), Some(second.as_str()));
    assert_eq!(moved.domain(), Some("c.shop.example.com"));
    assert_ne!(moved.e_tag(), Some(etag.as_str()));
    assert_eq!(aliases(&ours, &second).await.0, ["c.shop.example.com"]);
    assert_eq!(aliases(&ours, &target).await.0, ["a.shop.example.com"]);
}
