//! Checks of the emulator (`moto_server.py`, `cloudfront_emu/`) through the
//! SDK the tool uses: the seeding helpers work, the Rust SDK parses every
//! added operation's answer, and the rules CloudFront applies hold.

use super::*;
use aws_sdk_cloudfront::types::{ConnectionMode, DistributionResourceId};

fn standard<'a>(aliases: &'a [&'a str]) -> DistributionSeed<'a> {
    DistributionSeed {
        aliases,
        ..DistributionSeed::default()
    }
}

fn staging<'a>(aliases: &'a [&'a str]) -> DistributionSeed<'a> {
    DistributionSeed {
        aliases,
        staging: true,
        ..DistributionSeed::default()
    }
}

fn masked(id: &str) -> String {
    let half = id.len() / 2;
    format!("{}{}", "*".repeat(half), &id[half..])
}

async fn domain_conflicts(
    conf: &SdkConfig,
    domain: &str,
    probe: DistributionResourceId,
    page_size: i32,
) -> Result<Vec<(String, String, String, String)>, String> {
    let client = aws_sdk_cloudfront::Client::new(conf);
    let mut found = Vec::new();
    let mut marker = None;
    for _ in 0..20 {
        let out = client
            .list_domain_conflicts()
            .domain(domain)
            .domain_control_validation_resource(probe.clone())
            .max_items(page_size)
            .set_marker(marker)
            .send()
            .await
            .map_err(error_code)?;
        for c in out.domain_conflicts() {
            found.push((
                c.domain().to_string(),
                c.resource_type().as_str().to_string(),
                c.resource_id().to_string(),
                c.account_id().to_string(),
            ));
        }
        marker = out.next_marker().map(str::to_string);
        if marker.is_none() {
            return Ok(found);
        }
    }
    panic!("ListDomainConflicts did not end within 20 pages")
}

#[tokio::test(flavor = "multi_thread")]
async fn domain_conflicts_list_distributions_and_tenants_of_every_account() {
    let moto = Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (probe, _) = moto
        .create_distribution(&ours, &["probe.example.com"], Some(&cert))
        .await;
    let (uncovered, _) = moto
        .create_distribution(&ours, &["probe.example.net"], None)
        .await;
    let other = moto.config_for_account("222222222222").await;
    let other_cert = moto
        .request_certificate(&other, "shop.example.com", &["pay.example.com"])
        .await;
    let (parent, _) = moto
        .create_multi_tenant_distribution(&other, Some(&other_cert))
        .await;
    let (wildcard, _) = moto
        .create_distribution(&other, &["*.example.com"], None)
        .await;
    let tenant = moto
        .create_tenant(
            &other,
            TenantSeed {
                distribution_id: &parent,
                name: "shop",
                domains: &["shop.example.com"],
                connection_group_id: None,
                enabled: true,
            },
        )
        .await;
    assert!(tenant.id.starts_with("dt_"), "{tenant:?}");
    assert_eq!(tenant.name, "shop");
    assert!(tenant.connection_group_id.starts_with("cg_"), "{tenant:?}");
    moto.request("POST", "/moto-api/recorder/start-recording");

    let by_distribution = DistributionResourceId::builder()
        .distribution_id(&probe)
        .build();
    // A name lists itself and the wildcard over it, IDs masked.
    let found = domain_conflicts(&ours, "shop.example.com", by_distribution.clone(), 100)
        .await
        .unwrap();
    let account = masked("222222222222");
    assert_eq!(
        found,
        [
            (
                "*.example.com".into(),
                "distribution".into(),
                masked(&wildcard),
                account.clone()
            ),
            (
                "shop.example.com".into(),
                "distribution-tenant".into(),
                masked(&tenant.id),
                account
            ),
        ]
    );
    // A wildcard lists itself and every name below it, one per page.
    let below = domain_conflicts(&ours, "*.example.com", by_distribution, 1)
        .await
        .unwrap();
    let names: Vec<&str> = below.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        names,
        ["*.example.com", "probe.example.com", "shop.example.com"]
    );
    // The validation resource must be in the caller's account.
    let elsewhere = DistributionResourceId::builder()
        .distribution_id(&parent)
        .build();
    let refused = domain_conflicts(&ours, "shop.example.com", elsewhere, 100).await;
    assert_eq!(refused, Err("EntityNotFound".to_string()));
    // And its certificate must cover the domain.
    let without = DistributionResourceId::builder()
        .distribution_id(&uncovered)
        .build();
    let refused = domain_conflicts(&ours, "shop.example.com", without, 100).await;
    assert_eq!(refused, Err("InvalidArgument".to_string()));
    let one_level = DistributionResourceId::builder()
        .distribution_id(&probe)
        .build();
    let refused = domain_conflicts(&ours, "a.shop.example.com", one_level, 100).await;
    assert_eq!(refused, Err("InvalidArgument".to_string()));
    // A tenant validates too.
    let by_tenant = DistributionResourceId::builder()
        .distribution_tenant_id(&tenant.id)
        .build();
    assert_eq!(
        domain_conflicts(&other, "shop.example.com", by_tenant, 100)
            .await
            .unwrap()
            .len(),
        2
    );
    moto.request("POST", "/moto-api/recorder/stop-recording");
    let counts = moto.recorded_cloudfront_operations();
    assert_eq!(counts.get("ListDomainConflicts"), Some(&8), "{counts:?}");
    let recorded = moto.recorded_operations();
    assert!(recorded.iter().all(|op| is_read_only(op)), "{recorded:#?}");
    assert!(!is_read_only("POST /2020-05-31/distribution-tenant"));
    assert!(!is_read_only("PUT /2020-05-31/distribution/E1/config"));

    // The tenant and its parent read back as CloudFront reports them.
    let client = aws_sdk_cloudfront::Client::new(&other);
    let got = client
        .get_distribution_tenant()
        .identifier(&tenant.id)
        .send()
        .await
        .unwrap();
    let t = got.distribution_tenant().unwrap();
    assert_eq!(t.distribution_id(), Some(parent.as_str()));
    assert_eq!(t.domains()[0].domain(), "shop.example.com");
    assert_eq!(t.enabled(), Some(true));
    let listed = client.list_distribution_tenants().send().await.unwrap();
    assert_eq!(listed.distribution_tenant_list().len(), 1);
    let summaries = client.list_distributions().send().await.unwrap();
    let modes: Vec<_> = summaries
        .distribution_list()
        .unwrap()
        .items()
        .iter()
        .map(|d| (d.id().to_string(), d.connection_mode().cloned()))
        .collect();
    assert!(
        modes.contains(&(parent.clone(), Some(ConnectionMode::TenantOnly))),
        "{modes:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_domain_conflicts_the_endpoint_answers_404() {
    let moto = Moto::start_without_domain_conflicts();
    let conf = moto.config().await;
    let cert = moto.request_certificate(&conf, "a.example.com", &[]).await;
    let (probe, _) = moto
        .create_distribution(&conf, &["a.example.com"], Some(&cert))
        .await;
    let client = aws_sdk_cloudfront::Client::new(&conf);
    let err = client
        .list_domain_conflicts()
        .domain("a.example.com")
        .domain_control_validation_resource(
            DistributionResourceId::builder()
                .distribution_id(&probe)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(404));
    let aliases = client
        .list_conflicting_aliases()
        .distribution_id(&probe)
        .alias("a.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(aliases.conflicting_aliases_list().unwrap().items().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn tenants_are_reached_through_their_connection_groups() {
    let moto = Moto::start();
    let conf = moto.config_for_account("333333333333").await;
    let (parent, parent_domain) = moto.create_multi_tenant_distribution(&conf, None).await;
    let custom = moto.create_connection_group(&conf, "edge").await;
    assert!(
        custom.id.starts_with("cg_") && !custom.is_default,
        "{custom:?}"
    );
    let seed = |name, domains, connection_group_id| TenantSeed {
        distribution_id: &parent,
        name,
        domains,
        connection_group_id,
        enabled: true,
    };
    let grouped = moto
        .create_tenant(&conf, seed("grouped", &["a.example.org"], Some(&custom.id)))
        .await;
    assert_eq!(grouped.connection_group_id, custom.id);
    assert_eq!(grouped.routing_endpoint, custom.routing_endpoint);
    // No group given: the account's default one, made for the first tenant
    // without one and shared by the next.
    let first = moto
        .create_tenant(&conf, seed("first", &["b.example.org"], None))
        .await;
    let second = moto
        .create_tenant(&conf, seed("second", &["c.example.org"], None))
        .await;
    assert_eq!(first.connection_group_id, second.connection_group_id);
    let default = moto
        .connection_group(&conf, &first.connection_group_id)
        .await;
    assert!(default.is_default, "{default:?}");
    // A routing endpoint has a distribution domain's form, not the parent's.
    for endpoint in [&custom.routing_endpoint, &default.routing_endpoint] {
        let label = endpoint.strip_suffix(".cloudfront.net").unwrap();
        assert!(
            label.len() == 14
                && label.starts_with('d')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{endpoint}"
        );
        assert_ne!(endpoint, &parent_domain);
    }

    let client = aws_sdk_cloudfront::Client::new(&conf);
    let found = client
        .get_connection_group_by_routing_endpoint()
        .routing_endpoint(&custom.routing_endpoint)
        .send()
        .await
        .unwrap();
    assert_eq!(
        ConnectionGroup::from(found.connection_group().unwrap()),
        custom
    );
    let by_name = moto.connection_group(&conf, "edge").await;
    assert_eq!(by_name, custom);
    let listed = client.list_connection_groups().send().await.unwrap();
    let mut names: Vec<&str> = listed
        .connection_groups()
        .iter()
        .map(|g| g.name())
        .collect();
    names.sort();
    assert_eq!(names, ["CreatedByCloudFront", "edge"]);
    let by_group = client
        .list_distribution_tenants()
        .association_filter(
            aws_sdk_cloudfront::types::DistributionTenantAssociationFilter::builder()
                .connection_group_id(&default.id)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let tenants: Vec<&str> = by_group
        .distribution_tenant_list()
        .iter()
        .map(|t| t.name())
        .collect();
    assert_eq!(tenants, ["first", "second"]);

    // By domain, disabled with the current ETag, and by customization.
    let by_domain = client
        .get_distribution_tenant_by_domain()
        .domain("b.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_domain.distribution_tenant().unwrap().id(),
        Some(first.id.as_str())
    );
    let updated = client
        .update_distribution_tenant()
        .id(&first.id)
        .if_match(by_domain.e_tag().unwrap())
        .enabled(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.distribution_tenant().unwrap().enabled(),
        Some(false)
    );
    assert_ne!(updated.e_tag(), by_domain.e_tag());
    let customized = client
        .list_distribution_tenants_by_customization()
        .certificate_arn("arn:aws:acm:us-east-1:333333333333:certificate/none")
        .send()
        .await
        .unwrap();
    assert!(customized.distribution_tenant_list().is_empty());

    // Another account does not see these groups.
    let elsewhere = aws_sdk_cloudfront::Client::new(&moto.config().await)
        .get_connection_group_by_routing_endpoint()
        .routing_endpoint(&custom.routing_endpoint)
        .send()
        .await
        .map_err(error_code);
    assert_eq!(elsewhere.err().as_deref(), Some("EntityNotFound"));
}

#[tokio::test(flavor = "multi_thread")]
async fn names_are_refused_as_cloudfront_refuses_them() {
    let moto = Moto::start();
    let ours = moto.config().await;
    let other = moto.config_for_account("222222222222").await;
    moto.create_distribution(&other, &["*.bar.com", "held.foo.com"], None)
        .await;
    let (parent, _) = moto.create_multi_tenant_distribution(&other, None).await;
    moto.create_tenant(
        &other,
        TenantSeed {
            distribution_id: &parent,
            name: "t",
            domains: &["tenant.foo.com"],
            connection_group_id: None,
            enabled: false,
        },
    )
    .await;

    // An exact name held anywhere, by a distribution or a (even disabled)
    // tenant, is refused with CNAMEAlreadyExists.
    for taken in [["held.foo.com"], ["tenant.foo.com"], ["*.bar.com"]] {
        let refused = moto.try_create_distribution(&ours, standard(&taken)).await;
        assert_eq!(refused, Err("CNAMEAlreadyExists".to_string()), "{taken:?}");
    }
    let (mine, _) = moto.create_multi_tenant_distribution(&ours, None).await;
    let tenant = |domains| TenantSeed {
        distribution_id: &mine,
        name: "mine",
        domains,
        connection_group_id: None,
        enabled: true,
    };
    let refused = moto
        .try_create_tenant(&ours, tenant(&["held.foo.com"]))
        .await;
    assert_eq!(refused.err().as_deref(), Some("CNAMEAlreadyExists"));
    // A disabled distribution still holds its names.
    let disabled = DistributionSeed {
        aliases: &["old.foo.com"],
        disabled: true,
        ..DistributionSeed::default()
    };
    let (old, _) = moto
        .try_create_distribution(&other, disabled)
        .await
        .unwrap();
    let got = aws_sdk_cloudfront::Client::new(&other)
        .get_distribution()
        .id(&old)
        .send()
        .await
        .unwrap();
    let old_config = got.distribution().unwrap().distribution_config().unwrap();
    assert!(!old_config.enabled());
    let refused = moto
        .try_create_distribution(&ours, standard(&["old.foo.com"]))
        .await;
    assert_eq!(refused, Err("CNAMEAlreadyExists".to_string()));
    // Cross-account wildcard overlaps are allowed, both ways.
    moto.try_create_distribution(&ours, standard(&["c.bar.com"]))
        .await
        .unwrap();
    moto.try_create_distribution(&ours, standard(&["*.foo.com"]))
        .await
        .unwrap();
    moto.try_create_tenant(&ours, tenant(&["d.bar.com"]))
        .await
        .unwrap();

    // A staging distribution takes no alias; a fresh staging one is kept
    // and listed as staging.
    let refused = moto
        .try_create_distribution(&ours, staging(&["fresh.baz.com"]))
        .await;
    assert_eq!(refused, Err("InvalidArgument".to_string()));
    let (staged, _) = moto.create_staging_distribution(&ours, None).await;
    // Nor does a multi-tenant one.
    let multi = DistributionSeed {
        aliases: &["fresh.baz.com"],
        tenant_only: true,
        ..DistributionSeed::default()
    };
    let refused = moto.try_create_distribution(&ours, multi).await;
    assert_eq!(refused, Err("InvalidArgument".to_string()));

    let client = aws_sdk_cloudfront::Client::new(&ours);
    let listed = client.list_distributions().send().await.unwrap();
    let staging_ids: Vec<&str> = listed
        .distribution_list()
        .unwrap()
        .items()
        .iter()
        .filter(|d| d.staging())
        .map(|d| d.id())
        .collect();
    assert_eq!(staging_ids, [staged.as_str()]);
    let got = client.get_distribution().id(&staged).send().await.unwrap();
    let config = got.distribution().unwrap().distribution_config().unwrap();
    assert_eq!(config.staging(), Some(true));
    assert_eq!(config.connection_mode(), Some(&ConnectionMode::Direct));

    // An update is held to the same rules, and keeps the distribution's kind.
    let config = client
        .get_distribution_config()
        .id(&staged)
        .send()
        .await
        .unwrap();
    let mut next = config.distribution_config().unwrap().clone();
    next.aliases = Some(
        aws_sdk_cloudfront::types::Aliases::builder()
            .quantity(1)
            .items("fresh.baz.com")
            .build()
            .unwrap(),
    );
    next.staging = None;
    let refused = client
        .update_distribution()
        .id(&staged)
        .if_match(config.e_tag().unwrap())
        .distribution_config(next)
        .send()
        .await
        .map_err(error_code);
    assert_eq!(refused.err().as_deref(), Some("InvalidArgument"));
}
