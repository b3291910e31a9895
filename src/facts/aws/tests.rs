use std::time::Duration;

use super::acm::CertificateNames;
use super::*;
use crate::facts::DistributionFacts;
use crate::model::DomainName;
use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::operation::list_conflicting_aliases::{
    ListConflictingAliasesError, ListConflictingAliasesOutput,
};
use aws_sdk_cloudfront::types::DistributionResourceId;
use aws_sdk_cloudfront::types::error::{InvalidArgument, NoSuchDistribution};
use aws_sdk_cloudfront::types::{ConflictingAlias, ConflictingAliasesList};
use aws_smithy_mocks::{RuleMode, mock, mock_client};

fn page(items: &[(&str, &str, &str)], next: Option<&str>) -> ListConflictingAliasesOutput {
    let mut list = ConflictingAliasesList::builder()
        .max_items(100)
        .quantity(items.len() as i32)
        .set_next_marker(next.map(str::to_string));
    for (alias, id, account) in items {
        list = list.items(
            ConflictingAlias::builder()
                .alias(*alias)
                .distribution_id(*id)
                .account_id(*account)
                .build(),
        );
    }
    ListConflictingAliasesOutput::builder()
        .conflicting_aliases_list(list.build())
        .build()
}

fn error_xml(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
             <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>5e8d7f3c-example</RequestId></ErrorResponse>"
    )
}

#[tokio::test]
async fn follows_next_marker_across_pages() {
    let first = mock!(Client::list_conflicting_aliases)
        .match_requests(|r| r.marker().is_none() && r.distribution_id() == Some("EPROBE1234567"))
        .then_output(|| {
            page(
                &[("www.example.com", "*******EXAMPLE", "******789012")],
                Some("page-2"),
            )
        });
    let second = mock!(Client::list_conflicting_aliases)
        .match_requests(|r| r.marker() == Some("page-2"))
        .then_output(|| page(&[("*.example.com", "******WILDCRD", "******210987")], None));
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&first, &second]);
    let found = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].distribution_id, "*******EXAMPLE");
    assert_eq!(found[1].alias, DomainName::new("*.example.com"));
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
}

/// A grouped answer is read page by page up to its budget: within it, the
/// conflicts of every page; past it, nothing (its members are then asked
/// one by one), and no page beyond the budget is requested.
#[tokio::test]
async fn a_grouped_answer_is_read_within_its_page_budget() {
    let rules = |n: usize| {
        (0..n)
            .map(|i| {
                let marker = (i > 0).then(|| format!("m{i}"));
                let next = (i + 1 < n).then(|| format!("m{}", i + 1));
                mock!(Client::list_conflicting_aliases)
                    .match_requests(move |r| {
                        r.marker() == marker.as_deref() && r.alias() == Some("*.example.com")
                    })
                    .then_output(move || {
                        let alias = format!("n{i}.example.com");
                        page(
                            &[(alias.as_str(), "******EX0001", "******222222")],
                            next.as_deref(),
                        )
                    })
            })
            .collect::<Vec<_>>()
    };
    let three = rules(3);
    let client = mock_client!(
        aws_sdk_cloudfront,
        RuleMode::MatchAny,
        [&three[0], &three[1], &three[2]]
    );
    let all = list_conflicts_within(&client, "EPROBE", "*.example.com", "aws", Some(3))
        .await
        .unwrap()
        .expect("three pages fit a budget of three");
    let names: Vec<&str> = all.iter().map(|c| c.alias.as_str()).collect();
    assert_eq!(
        names,
        ["n0.example.com", "n1.example.com", "n2.example.com"]
    );

    let three = rules(3);
    let client = mock_client!(
        aws_sdk_cloudfront,
        RuleMode::MatchAny,
        [&three[0], &three[1], &three[2]]
    );
    let over = list_conflicts_within(&client, "EPROBE", "*.example.com", "aws", Some(2))
        .await
        .unwrap();
    assert!(over.is_none());
    let calls: Vec<usize> = three.iter().map(|r| r.num_calls()).collect();
    assert_eq!(calls, [1, 1, 0]);
}

/// An answer whose marker never ends, with a new marker each page or the
/// same one again, is an error after the page limit or at the repeat.
#[tokio::test]
async fn endless_or_repeated_markers_are_errors() {
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let next = counter.clone();
    let endless = mock!(Client::list_conflicting_aliases).then_output(move || {
        let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        page(&[], Some(&format!("marker-{n}")))
    });
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&endless]);
    let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("past 1000 pages"), "{err}");
    assert_eq!(endless.num_calls(), crate::facts::paging::MAX_PAGES);

    let same = mock!(Client::list_conflicting_aliases).then_output(|| page(&[], Some("again")));
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&same]);
    let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("never end"), "{err}");
    assert_eq!(same.num_calls(), 2);

    // ListDistributions used to stop quietly after two pages.
    let listing = mock!(Client::list_distributions).then_output(|| {
        aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput::builder()
            .distribution_list(
                aws_sdk_cloudfront::types::DistributionList::builder()
                    .marker("")
                    .max_items(100)
                    .is_truncated(true)
                    .quantity(0)
                    .next_marker("again")
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&listing]);
    let Err(err) = list_distributions(&client, "aws").await else {
        panic!("a malformed listing was accepted");
    };
    assert!(err.to_string().contains("never end"), "{err}");
}

/// An answer without the list it must have is an API error, not "none".
#[tokio::test]
async fn empty_answers_are_errors() {
    let empty = mock!(Client::list_conflicting_aliases)
        .then_output(|| ListConflictingAliasesOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudfront, [&empty]);
    let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("malformed"), "{err}");

    let acm = mock!(aws_sdk_acm::Client::describe_certificate).then_output(|| {
        aws_sdk_acm::operation::describe_certificate::DescribeCertificateOutput::builder().build()
    });
    let client = mock_client!(aws_sdk_acm, [&acm]);
    let arn = "arn:aws:acm:us-east-1:111111111111:certificate/0b6e1f4c";
    let err = certificate_names(&client, arn, "aws").await.unwrap_err();
    assert!(
        err.to_string().contains("no certificate domain name"),
        "{err}"
    );
}

#[tokio::test]
async fn access_denied_names_the_permission() {
    let rule = mock!(Client::list_conflicting_aliases)
        .sequence()
        .http_status(
            403,
            Some(error_xml(
                "AccessDenied",
                "User is not authorized to perform cloudfront:ListConflictingAliases",
            )),
        )
        .build();
    let client = mock_client!(aws_sdk_cloudfront, [&rule]);
    let err = list_conflicts(&client, "EPROBE1234567", "www.example.com", "aws.legacy")
        .await
        .unwrap_err();
    match &err {
        FetchError::AccessDenied {
            permission,
            provider,
            ..
        } => {
            assert_eq!(permission, "cloudfront:ListConflictingAliases");
            assert_eq!(provider, "aws.legacy");
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    assert!(
        err.reason()
            .contains("allow `cloudfront:ListConflictingAliases`")
    );
}

#[tokio::test]
async fn no_such_distribution_and_invalid_argument_are_api_errors_with_the_reason() {
    let missing = mock!(Client::list_conflicting_aliases).then_error(|| {
        ListConflictingAliasesError::NoSuchDistribution(
            NoSuchDistribution::builder()
                .message("The specified distribution does not exist.")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_cloudfront, [&missing]);
    let err = list_conflicts(&client, "EWRONG", "www.example.com", "aws")
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Api { .. }), "{err:?}");
    assert!(err.to_string().contains("does not exist"), "{err}");

    let invalid = mock!(Client::list_conflicting_aliases).then_error(|| {
        ListConflictingAliasesError::InvalidArgument(
            InvalidArgument::builder()
                .message("The certificate of the distribution does not cover the alias.")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_cloudfront, [&invalid]);
    let err = list_conflicts(&client, "EPROBE", "www.example.com", "aws")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("does not cover the alias"),
        "{err}"
    );
}

/// Adaptive retries slow the client down once throttled (the waits pass
/// on tokio's paused clock here); each client has a partition of its own so
/// that one test's throttling does not slow another's.
#[tokio::test(start_paused = true)]
async fn throttling_is_retried_with_the_shared_retry_settings() {
    use aws_sdk_cloudfront::config::retry::RetryPartition;
    let rule = mock!(Client::list_conflicting_aliases)
        .sequence()
        .http_status(400, Some(error_xml("Throttling", "Rate exceeded")))
        .times(2)
        .output(|| page(&[], None))
        .build();
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::Sequential, [&rule], |c| {
        c.retry_config(retry_config().with_initial_backoff(Duration::from_millis(1)))
            .retry_partition(RetryPartition::new("throttling-recovers"))
    });
    let found = list_conflicts(&client, "EPROBE", "www.example.com", "aws")
        .await
        .unwrap();
    assert!(found.is_empty());
    assert_eq!(rule.num_calls(), 3);

    // A third throttle exceeds the three attempts and is reported.
    let rule = mock!(Client::list_conflicting_aliases)
        .sequence()
        .http_status(400, Some(error_xml("Throttling", "Rate exceeded")))
        .times(3)
        .build();
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::Sequential, [&rule], |c| {
        c.retry_config(retry_config().with_initial_backoff(Duration::from_millis(1)))
            .retry_partition(RetryPartition::new("throttling-fails"))
    });
    let err = list_conflicts(&client, "EPROBE", "www.example.com", "aws")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("Throttling") || err.to_string().contains("Rate exceeded"),
        "{err}"
    );
}

#[tokio::test]
async fn tenant_domains_are_looked_up_with_list_domain_conflicts_across_pages() {
    use aws_sdk_cloudfront::operation::list_domain_conflicts::ListDomainConflictsOutput;
    use aws_sdk_cloudfront::types::{DistributionResourceType, DomainConflict};
    let conflict = |domain: &str, id: &str| {
        DomainConflict::builder()
            .domain(domain)
            .resource_type(DistributionResourceType::DistributionTenant)
            .resource_id(id)
            .account_id("********9999")
            .build()
            .unwrap()
    };
    let first = mock!(Client::list_domain_conflicts)
        .match_requests(|r| {
            r.marker().is_none()
                && r.domain_control_validation_resource()
                    .and_then(|v| v.distribution_id())
                    == Some("EMULTITENANT1")
        })
        .then_output(move || {
            ListDomainConflictsOutput::builder()
                .domain_conflicts(conflict("shop.example.com", "*******TENANT1"))
                .next_marker("p2")
                .build()
        });
    let second = mock!(Client::list_domain_conflicts)
        .match_requests(|r| r.marker() == Some("p2"))
        .then_output(move || {
            ListDomainConflictsOutput::builder()
                .domain_conflicts(conflict("*.example.com", "*******TENANT2"))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, [&first, &second]);
    let resource = DistributionResourceId::builder()
        .distribution_id("EMULTITENANT1")
        .build();
    let found = list_domain_conflicts(&client, resource, "shop.example.com", "aws")
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].distribution_id, "*******TENANT1");
    assert_eq!(found[1].alias, DomainName::new("*.example.com"));
}

#[tokio::test]
async fn tenants_of_multi_tenant_distributions_are_listed_with_their_domains() {
    use aws_sdk_cloudfront::operation::list_connection_groups::ListConnectionGroupsOutput;
    use aws_sdk_cloudfront::operation::list_distribution_tenants::ListDistributionTenantsOutput;
    use aws_sdk_cloudfront::types::*;
    let summary = DistributionSummary::builder()
        .id("EMULTITENANT1")
        .arn("arn:aws:cloudfront::111111111111:distribution/EMULTITENANT1")
        .status("Deployed")
        .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
        .domain_name("d111saas.cloudfront.net")
        .aliases(Aliases::builder().quantity(0).build().unwrap())
        .origins(
            Origins::builder()
                .quantity(1)
                .items(
                    Origin::builder()
                        .id("o")
                        .domain_name("o.example.com")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .connection_mode(ConnectionMode::TenantOnly)
        .comment("saas")
        .price_class(PriceClass::PriceClassAll)
        .enabled(true)
        .web_acl_id("")
        .http_version(HttpVersion::Http2)
        .is_ipv6_enabled(true)
        .staging(false)
        .build()
        .unwrap();
    let list = mock!(Client::list_distributions).then_output(move || {
        aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput::builder()
            .distribution_list(
                aws_sdk_cloudfront::types::DistributionList::builder()
                    .marker("")
                    .max_items(100)
                    .is_truncated(false)
                    .quantity(1)
                    .items(summary.clone())
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let tenants = mock!(Client::list_distribution_tenants).then_output(|| {
        ListDistributionTenantsOutput::builder()
            .distribution_tenant_list(
                DistributionTenantSummary::builder()
                    .id("dt_shop")
                    .distribution_id("EMULTITENANT1")
                    .name("shop")
                    .arn("arn:aws:cloudfront::111111111111:distribution-tenant/dt_shop")
                    .domains(
                        DomainResult::builder()
                            .domain("shop.example.com")
                            .build()
                            .unwrap(),
                    )
                    .created_time(aws_smithy_types::DateTime::from_secs(0))
                    .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
                    .e_tag("E1")
                    .enabled(true)
                    .status("Deployed")
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let groups = mock!(Client::list_connection_groups).then_output(|| {
        ListConnectionGroupsOutput::builder()
            .connection_groups(
                ConnectionGroupSummary::builder()
                    .id("cg_default")
                    .name("default")
                    .arn("arn:aws:cloudfront::111111111111:connection-group/cg_default")
                    .routing_endpoint("d2routing.cloudfront.net")
                    .created_time(aws_smithy_types::DateTime::from_secs(0))
                    .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
                    .e_tag("E1")
                    .is_default(true)
                    .enabled(true)
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let client = mock_client!(
        aws_sdk_cloudfront,
        RuleMode::MatchAny,
        [&list, &tenants, &groups]
    );
    let listing = list_distributions(&client, "aws").await.unwrap();
    let found = &listing.distributions;
    assert_eq!(found.len(), 2, "{found:#?}");
    let tenant = &found[1];
    assert_eq!(tenant.tenant_of.as_deref(), Some("EMULTITENANT1"));
    assert_eq!(tenant.aliases, vec![DomainName::new("shop.example.com")]);
    // A tenant is reached through its connection group's routing endpoint
    // (here the account's default group), not its parent's domain.
    assert_eq!(tenant.domain_name, "d2routing.cloudfront.net");
    assert_eq!(listing.connection_groups.len(), 1);
    assert!(listing.connection_groups[0].is_default);
    assert_eq!(
        tenant.describe(),
        "tenant `dt_shop` (of distribution `EMULTITENANT1`)"
    );
    assert_eq!(tenants.num_calls(), 1);
}

fn distribution(id: &str, cert: Option<&str>) -> DistributionFacts {
    DistributionFacts {
        id: id.into(),
        arn: format!("arn:aws:cloudfront::111111111111:distribution/{id}"),
        domain_name: format!("{}.cloudfront.net", id.to_lowercase()),
        status: "Deployed".into(),
        enabled: true,
        aliases: Vec::new(),
        certificate_arn: cert.map(str::to_string),
        tenant_of: None,
        connection_group_id: None,
        staging: false,
    }
}

#[test]
fn probe_prefers_the_target_then_any_covering_distribution_then_the_flag() {
    let alias = DomainName::new("www.example.com");
    let mut certs = CertificateNames::new();
    certs.insert(
        "arn:wild".into(),
        Ok(vec![DomainName::new("*.example.com")]),
    );
    certs.insert(
        "arn:other".into(),
        Ok(vec![DomainName::new("shop.example.net")]),
    );
    let dists = vec![
        distribution("EOTHER", Some("arn:other")),
        distribution("EWILD", Some("arn:wild")),
        distribution("ETARGET", Some("arn:wild")),
    ];
    assert_eq!(
        choose_probe(&alias, Some("ETARGET"), &dists, &certs, None).unwrap(),
        "ETARGET"
    );
    assert_eq!(
        choose_probe(&alias, Some("EOTHER"), &dists, &certs, None).unwrap(),
        "EWILD"
    );
    assert_eq!(
        choose_probe(&alias, None, &dists[..1], &certs, Some("EFLAG")).unwrap(),
        "EFLAG"
    );
    let why = choose_probe(&alias, None, &dists[..1], &certs, None).unwrap_err();
    assert!(why.contains("--probe-distribution"), "{why}");
    // `*.example.com` covers one label only.
    let deep = DomainName::new("a.b.example.com");
    assert!(choose_probe(&deep, None, &dists, &certs, None).is_err());
}

#[test]
fn a_tenants_domain_is_looked_up_with_a_covering_resource_or_not_at_all() {
    let alias = DomainName::new("a.shop.example.com");
    let mut inventory = Inventory::default();
    inventory.certificates.insert(
        "arn:parent".into(),
        Ok(vec![DomainName::new("elsewhere.example.com")]),
    );
    inventory.certificates.insert(
        "arn:wild".into(),
        Ok(vec![DomainName::new("*.shop.example.com")]),
    );
    let mut tenant = distribution("dt_other", Some("arn:wild"));
    tenant.tenant_of = Some("EPARENT".into());
    let mut dists = vec![distribution("EPARENT", Some("arn:parent")), tenant];
    let ask = Ask {
        alias: alias.clone(),
        provider_key: None,
        target_id: None,
        certificate_arn: None,
        claimant: crate::facts::Claimant::Tenant {
            parent: Some("EPARENT".into()),
        },
        sensitive: false,
    };
    let options = crate::CheckOptions::offline().aws;
    // The parent's certificate does not cover the name, and a tenant is
    // never a probe by distribution ID: nothing can be asked, and why.
    let why = lookups::probe_for(&ask, &dists, &inventory, &options).unwrap_err();
    assert!(
        why.contains("`EPARENT`") && why.contains("does not cover"),
        "{why}"
    );
    // Another distribution whose certificate covers it is asked instead.
    dists.push(distribution("EWILD", Some("arn:wild")));
    assert_eq!(
        lookups::probe_for(&ask, &dists, &inventory, &options).unwrap(),
        "EWILD"
    );
    // A parent whose certificate covers it (or is not known) validates it.
    inventory.certificates.insert(
        "arn:parent".into(),
        Ok(vec![DomainName::new("*.shop.example.com")]),
    );
    assert_eq!(
        lookups::probe_for(&ask, &dists, &inventory, &options).unwrap(),
        "EPARENT"
    );
    // An existing tenant without a certificate of its own serves its
    // parent's.
    assert_eq!(
        lookups::serving_certificate(&dists[1], &dists),
        Some("arn:wild")
    );
    dists[1].certificate_arn = None;
    assert_eq!(
        lookups::serving_certificate(&dists[1], &dists),
        Some("arn:parent")
    );
}
