//! Every route's branches, with the guide's rule each pins.

use super::*;
use crate::diag::{Remedy, StepStatus};
use crate::facts::{AccountFacts, NotAsked, ResourceType};
use crate::model::Action;

fn target(alias: &str) -> Resource {
    Resource::for_test(
        "aws_cloudfront_distribution.site",
        0,
        Action::Create,
        &[],
        &[alias],
    )
}

fn account(id: &str, key: &str) -> AccountFacts {
    AccountFacts {
        account_id: id.into(),
        provider_keys: vec![key.into()],
        distributions: Ok(Vec::new()),
        connection_groups: Vec::new(),
    }
}

fn holder(aliases: &[&str], status: &str) -> DistributionFacts {
    DistributionFacts {
        id: "EHOLDER000001".into(),
        arn: String::new(),
        domain_name: "dholder.cloudfront.net".into(),
        status: status.into(),
        enabled: true,
        aliases: aliases.iter().map(|a| DomainName::new(a)).collect(),
        certificate_arn: None,
        tenant_of: None,
        connection_group_id: None,
        staging: false,
    }
}

const NO_DNS: DnsFacts = DnsFacts::NotAsked(NotAsked::NoDns);

fn fix_for(r: &Resource, holder: &DistributionFacts, same: bool) -> Fix {
    let ours = account("111111111111", "aws");
    let theirs = account("222222222222", "aws.legacy");
    let name = r.after[0].value.name().unwrap().clone();
    let inventory = Inventory::default();
    let m = Move::new(r, name.as_str(), &name, &ours, &inventory, &NO_DNS);
    for_holder(&m, if same { &ours } else { &theirs }, holder)
}

fn remedies(fix: &Fix) -> Vec<Remedy> {
    fix.alternatives.iter().map(|a| a.remedy).collect()
}

fn commands(fix: &Fix) -> Vec<String> {
    let mut fix = fix.clone();
    fix.all_steps_mut()
        .filter_map(|s| s.command.clone())
        .collect()
}

/// Same account, standard to standard: AssociateAlias with the source
/// Deployed, no TXT record (the set-up page), UpdateDomainAssociation as
/// the alternative with both pages' words.
#[test]
fn same_account_is_associate_alias_without_a_txt_record() {
    let fix = fix_for(
        &target("www.example.com"),
        &holder(&["www.example.com"], "InProgress"),
        true,
    );
    assert_eq!(fix.remedy, Remedy::AssociateAlias);
    assert_eq!(remedies(&fix), [Remedy::UpdateDomainAssociation]);
    assert!(!fix.steps.iter().any(|s| s.text.contains("TXT record `")));
    let deployed = fix
        .steps
        .iter()
        .find(|s| s.text.contains("InProgress"))
        .unwrap();
    assert_eq!(deployed.status, StepStatus::NotMet);
    let mv = fix
        .steps
        .iter()
        .find(|s| {
            s.command
                .as_deref()
                .is_some_and(|c| c.contains("associate-alias"))
        })
        .unwrap();
    for action in ["GetDistribution", "AssociateAlias", "UpdateDistribution"] {
        assert!(mv.text.contains(action), "{}", mv.text);
    }
    // What comes after the move is to do, never not-met.
    let dns = fix.steps.iter().find(|s| s.points_dns).unwrap();
    assert_eq!(dns.status, StepStatus::Todo);
    let alt = &fix.alternatives[0];
    assert!(
        alt.steps[1].text.contains("disable the source first"),
        "{:?}",
        alt.steps[1]
    );
    assert!(
        commands(&fix)
            .iter()
            .any(|c| c
                == "aws cloudfront get-distribution --id TARGET_ID --query ETag --output text")
    );
}

/// Another account, reachable, not an apex: the wildcard move first, with
/// no caveat that CloudFront refuses it (the move-options page).
#[test]
fn another_account_moves_through_a_wildcard_first() {
    let fix = fix_for(
        &target("a.foo.com"),
        &holder(&["a.foo.com", "b.foo.com"], "Deployed"),
        false,
    );
    assert_eq!(fix.remedy, Remedy::WildcardMove);
    assert!(
        fix.steps
            .iter()
            .any(|s| s.text.starts_with("add `*.foo.com` to"))
    );
    assert!(!fix.render().contains("refuse"), "{}", fix.render());
    assert_eq!(
        remedies(&fix),
        [
            Remedy::DisableThenAssociate,
            Remedy::KeepServingMove,
            Remedy::AwsSupport
        ]
    );
    // Disabling takes every name of the holder offline, and the source's
    // own configuration must keep it disabled.
    let disable = &fix.alternatives[0].steps[1];
    assert!(
        disable.text.contains("`a.foo.com`, `b.foo.com`"),
        "{}",
        disable.text
    );
    assert!(
        disable.text.contains("`enabled = false`"),
        "{}",
        disable.text
    );
    // The Q&A's order is labelled as not AWS-documented, with its outage.
    assert!(fix.alternatives[1].when.contains("not documented by AWS"));
    let order: Vec<&str> = fix.alternatives[1]
        .steps
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert!(order[1].starts_with("point `a.foo.com` at"), "{order:?}");
}

#[test]
fn an_overlapping_wildcard_in_use_rules_the_wildcard_move_out() {
    let r = target("a.foo.com");
    let (ours, theirs) = (
        account("111111111111", "aws"),
        account("222222222222", "aws.legacy"),
    );
    let name = DomainName::new("a.foo.com");
    let inventory = Inventory::default();
    let mut m = Move::new(&r, "a.foo.com", &name, &ours, &inventory, &NO_DNS);
    m.wildcard_in_use = true;
    let fix = for_holder(&m, &theirs, &holder(&["a.foo.com"], "Deployed"));
    assert_eq!(fix.remedy, Remedy::DisableThenAssociate);
}

#[test]
fn a_disabled_holder_in_another_account_is_moved_now() {
    let mut disabled = holder(&["a.foo.com"], "Deployed");
    disabled.enabled = false;
    let fix = fix_for(&target("a.foo.com"), &disabled, false);
    assert_eq!(fix.remedy, Remedy::DisableThenAssociate);
    assert!(fix.title.contains("and disabled"), "{}", fix.title);
    let disable = fix
        .steps
        .iter()
        .find(|s| s.text.contains("disabled already"))
        .unwrap_or_else(|| panic!("{:#?}", fix.steps));
    assert_eq!(
        disable.status,
        StepStatus::Verified("ListDistributions: enabled false".into())
    );
}

/// An apex: no wildcard move, no keep-serving order; its TXT record is
/// `_.example.com` (`_example.com` is a name in the parent zone).
#[test]
fn an_apex_or_a_wildcard_is_disabled_then_moved_or_sent_to_support() {
    for alias in ["example.com", "*.foo.com"] {
        let fix = fix_for(&target(alias), &holder(&[alias], "Deployed"), false);
        assert_eq!(fix.remedy, Remedy::DisableThenAssociate, "{alias}");
        assert_eq!(remedies(&fix), [Remedy::AwsSupport], "{alias}");
    }
    let fix = fix_for(
        &target("example.com"),
        &holder(&["example.com"], "Deployed"),
        false,
    );
    let text = fix.render();
    assert!(text.contains("`_.example.com. 300 IN TXT"), "{text}");
    assert!(!text.contains("_example.com"), "{text}");
}

/// A holder no provider reaches: try UpdateDomainAssociation first, then
/// the owner, AWS Support, the service that owns it.
#[test]
fn a_masked_holder_tries_update_domain_association_then_support() {
    let r = target("www.example.com");
    let name = DomainName::new("www.example.com");
    let conflict = Conflict {
        alias: name.clone(),
        distribution_id: "*******TENANT1".into(),
        account_id: "********9999".into(),
        resource_type: ResourceType::Tenant,
    };
    let ours = account("111111111111", "aws");
    let inventory = Inventory::default();
    let m = Move::new(&r, "www.example.com", &name, &ours, &inventory, &NO_DNS);
    let fix = masked(&m, &conflict);
    assert_eq!(fix.remedy, Remedy::UpdateDomainAssociation);
    assert_eq!(
        remedies(&fix),
        [
            Remedy::DisableThenAssociate,
            Remedy::AwsSupport,
            Remedy::ServiceOwned
        ]
    );
    assert!(
        fix.title.contains("tenant `*******TENANT1`"),
        "{}",
        fix.title
    );
}

/// A tenant target: UpdateDomainAssociation with the ETag read by
/// `get-distribution-tenant --identifier`.
#[test]
fn tenants_move_with_update_domain_association() {
    let mut tenant = target("shop.example.com");
    tenant.kind = ResourceKind::Tenant;
    tenant.distribution_id = Some("dt_new".into());
    let fix = fix_for(&tenant, &holder(&["shop.example.com"], "Deployed"), true);
    assert_eq!(fix.remedy, Remedy::UpdateDomainAssociation);
    assert_eq!(remedies(&fix), [Remedy::AwsSupport]);
    assert!(
        !fix.steps
            .iter()
            .any(|s| s.text.contains("does not exist yet"))
    );
    let commands = commands(&fix);
    assert!(commands.iter().any(|c| c.contains(
        "update-domain-association --domain shop.example.com --target-resource DistributionTenantId=dt_new --if-match ETAG"
    )), "{commands:?}");
    assert!(
        commands
            .iter()
            .any(|c| c.contains("get-distribution-tenant --identifier dt_new"))
    );

    // A new tenant whose only domain it is cannot be created without it.
    let mut new = target("shop.example.com");
    new.kind = ResourceKind::Tenant;
    let fix = fix_for(&new, &holder(&["shop.example.com"], "Deployed"), true);
    assert!(
        fix.steps[0].text.contains("only domain"),
        "{}",
        fix.steps[0].text
    );
    assert!(!fix.steps[0].text.contains("without the alias"));

    // A tenant holding the alias, a standard distribution asking for it.
    let mut held = holder(&["shop.example.com"], "Deployed");
    held.tenant_of = Some("EMULTI".into());
    let fix = fix_for(&target("shop.example.com"), &held, true);
    assert_eq!(fix.remedy, Remedy::UpdateDomainAssociation);
    assert!(commands_of(&fix, "DistributionId=TARGET_ID"));
}

fn commands_of(fix: &Fix, needle: &str) -> bool {
    commands(fix).iter().any(|c| c.contains(needle))
}

#[test]
fn commands_quote_what_the_shell_would_expand() {
    assert_eq!(shell_quote("www.example.com"), "www.example.com");
    assert_eq!(shell_quote("*.bar.com"), "'*.bar.com'");
    assert_eq!(shell_quote("it's"), "'it'\\''s'");
    let fix = fix_for(
        &target("*.bar.com"),
        &holder(&["*.bar.com"], "Deployed"),
        true,
    );
    assert!(
        commands(&fix)
            .iter()
            .any(|c| c.ends_with("--alias '*.bar.com'"))
    );
}

#[test]
fn txt_values_are_escaped_shortened_and_few() {
    let long = format!("\u{1b}[2J{}", "a".repeat(5000));
    let records: Vec<TxtRecord> = std::iter::repeat_n(long, 8)
        .map(|value| TxtRecord {
            name: "_www.example.com".into(),
            value,
        })
        .collect();
    let text = found(&records, &|n: &str| n.to_string());
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.len() < 5 * 450, "{} bytes", text.len());
    assert!(text.ends_with("3 more"), "{text}");
}

/// The TXT step of a move from another account, given what DNS holds for
/// the apex `bar.com` (asked at `_bar.com`, `_.bar.com` and `bar.com`).
fn apex_txt_step(records: &[(&str, &str)]) -> Step {
    apex_txt_step_shown("bar.com", records)
}

/// The same, with the alias printed as `shown` (a sensitive one masked).
fn apex_txt_step_shown(shown: &str, records: &[(&str, &str)]) -> Step {
    let mut r = target("bar.com");
    r.distribution_id = Some("ETARGET000001".into());
    r.domain_name = Some("dtarget.cloudfront.net".into());
    let ours = account("111111111111", "aws");
    let name = DomainName::new("bar.com");
    let mut answers = crate::facts::DnsAnswers::default();
    answers.txt.insert(
        name.clone(),
        TxtAnswer::Values(
            records
                .iter()
                .map(|(n, v)| TxtRecord {
                    name: n.to_string(),
                    value: v.to_string(),
                })
                .collect(),
        ),
    );
    let dns = DnsFacts::Asked(answers);
    let inventory = Inventory::default();
    let m = Move::new(&r, shown, &name, &ours, &inventory, &dns);
    m.txt_step()
}

/// For an apex the record is `_.bar.com` (the guide's set-up page): a
/// value there is verified; the same value only at the apex itself (older
/// articles' form) or at `_bar.com` is not met, and the step says where it
/// was found.
#[test]
fn an_apex_txt_step_names_the_record_that_matched() {
    let step = apex_txt_step(&[("_.bar.com", "dtarget.cloudfront.net")]);
    let StepStatus::Verified(seen) = &step.status else {
        panic!("{step:?}")
    };
    assert_eq!(
        seen,
        "DNS has the TXT value `dtarget.cloudfront.net` at `_.bar.com`"
    );
    assert!(
        step.text.contains("`_.bar.com. 300 IN TXT"),
        "{}",
        step.text
    );

    for name in ["bar.com", "_bar.com"] {
        let step = apex_txt_step(&[
            ("_.bar.com", "dold.cloudfront.net"),
            (name, "dtarget.cloudfront.net"),
        ]);
        assert_eq!(step.status, StepStatus::NotMet, "{step:?}");
        assert!(
            step.text.contains(&format!(
                "DNS has the value at `{name}`, not at `_.bar.com`"
            )),
            "{}",
            step.text
        );
    }

    let step = apex_txt_step(&[("_.bar.com", "dold.cloudfront.net")]);
    assert_eq!(step.status, StepStatus::NotMet, "{step:?}");
    assert!(
        step.text
            .ends_with("DNS has `dold.cloudfront.net` at `_.bar.com`"),
        "{}",
        step.text
    );
}

/// A sensitive alias stays masked in the names DNS was asked under, also
/// where the value was found under another name than the documented one.
#[test]
fn a_sensitive_alias_is_masked_in_txt_record_names() {
    for records in [
        vec![("bar.com", "dtarget.cloudfront.net")],
        vec![("_.bar.com", "dold.cloudfront.net")],
    ] {
        let step = apex_txt_step_shown("(sensitive value)", &records);
        assert_eq!(step.status, StepStatus::NotMet, "{step:?}");
        assert!(!step.text.contains("bar.com"), "{}", step.text);
        assert!(step.text.contains("`_.(sensitive value)`"), "{}", step.text);
    }
}
