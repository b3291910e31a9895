//! Unit tests of the plan read off a fix, its human text and its JSON
//! document.

use crate::diag::{Alternative, Code, Finding, Fix, Remedy, Step};
use crate::diag::{ApiCall, Holder, Operation, Severity, StepStatus};
use crate::facts::AwsFacts;
use crate::facts::aws::moves::ResourceState;
use crate::facts::{AccountFacts, DistributionFacts, Facts, Inventory, NotAsked};
use crate::model::{DomainName, ResourceKind};
use crate::model::{ProviderConfig, Span};
use crate::mover::gather::Gathered;
use crate::mover::places::Managed;
use crate::mover::plan::{Verdict, build};
use crate::mover::target::Target;

const TARGET: &str = "E2TARGET00001";
const SOURCE: &str = "E1SOURCE00001";

fn target() -> Target {
    Target {
        id: TARGET.into(),
        kind: ResourceKind::Distribution,
        provider: ProviderConfig {
            key: "aws".into(),
            profile: None,
            role_arn: None,
            region: None,
        },
        state: ResourceState {
            id: TARGET.into(),
            tenant_of: None,
            connection_group_id: None,
            etag: "E1".into(),
            status: "Deployed".into(),
            enabled: true,
            domain_name: "d2.cloudfront.net".into(),
            aliases: Vec::new(),
            certificate_arn: Some("arn:cert".into()),
        },
        resource: None,
    }
}

fn finding(fix: Fix) -> Finding {
    Finding {
        code: Code::AliasTaken,
        severity: Severity::Error,
        message: "taken".into(),
        alias: Some("www.example.com".into()),
        address: None,
        input: None,
        span: Span {
            source: 0,
            offset: 0,
            len: 1,
        },
        label: String::new(),
        show_source: true,
        related: Vec::new(),
        help: String::new(),
        holder: Some(Holder {
            distribution_id: SOURCE.into(),
            account_id: "222222222222".into(),
            same_account: false,
            domain_name: None,
            enabled: Some(true),
            status: Some("Deployed".into()),
        }),
        fix: Some(fix),
        dns: None,
        suppressed: None,
        caveat: None,
        party: None,
    }
}

/// Facts where provider `aws.legacy` reaches the source's account.
fn facts() -> Facts {
    let source = DistributionFacts {
        id: SOURCE.into(),
        arn: String::new(),
        domain_name: "d1.cloudfront.net".into(),
        status: "Deployed".into(),
        enabled: true,
        aliases: vec![DomainName::new("www.example.com")],
        certificate_arn: None,
        tenant_of: None,
        connection_group_id: None,
        staging: false,
    };
    Facts {
        aws: AwsFacts::Asked(Inventory {
            accounts: vec![
                AccountFacts {
                    account_id: "111111111111".into(),
                    provider_keys: vec!["aws".into()],
                    distributions: Ok(Vec::new()),
                    connection_groups: Vec::new(),
                },
                AccountFacts {
                    account_id: "222222222222".into(),
                    provider_keys: vec!["aws.legacy".into()],
                    distributions: Ok(vec![source]),
                    connection_groups: Vec::new(),
                },
            ],
            ..Inventory::default()
        }),
        dns: crate::facts::DnsFacts::NotAsked(NotAsked::NoDns),
    }
}

fn gathered(fix: Fix) -> Gathered {
    Gathered {
        target: target(),
        facts: facts(),
        taken: Some(finding(fix)),
        others: Vec::new(),
        on_target: false,
    }
}

fn associate() -> Step {
    Step::todo("move it:").with_call(ApiCall::new(
        Operation::AssociateAlias,
        &[
            ("TargetDistributionId", TARGET),
            ("Alias", "www.example.com"),
        ],
    ))
}

fn same_account(certificate: Step) -> Fix {
    Fix {
        remedy: Remedy::AssociateAlias,
        title: "move it".into(),
        steps: vec![
            certificate.before_move(),
            Step::verified("Deployed", "the source is Deployed").before_move(),
            associate(),
            Step::todo("point DNS at the target").pointing_dns(),
            Step::todo(format!("remove `www.example.com` from `{SOURCE}`")),
        ],
        alternatives: Vec::new(),
    }
}

fn managed() -> Vec<Managed> {
    vec![Managed {
        id: Some(SOURCE.into()),
        address: "aws_cloudfront_distribution.old".into(),
        file: "legacy/main.tf".into(),
        line: 12,
        after: vec![DomainName::new("www.example.com")],
    }]
}

#[test]
fn a_verified_fix_is_ready_with_its_calls_and_the_edits_left() {
    let fix = same_account(Step::verified("names *.example.com", "cert covers"));
    let p = build("www.example.com", &gathered(fix), &managed(), false);
    assert_eq!(p.verdict, Verdict::Ready);
    assert_eq!(p.route, Some(Remedy::AssociateAlias));
    let ops: Vec<Operation> = p.calls.iter().map(|c| c.operation).collect();
    assert_eq!(
        ops,
        [
            Operation::AssociateAlias,
            Operation::WaitDeployed,
            Operation::ListDomainConflicts
        ]
    );
    assert_eq!(p.calls[1].parameter("Id"), Some(TARGET));
    // The holder's configuration is placed; the target's is not known.
    assert_eq!(p.edits.len(), 3);
    assert_eq!(p.edits[0].file, None);
    assert_eq!(p.edits[1].file.as_deref(), Some("legacy/main.tf"));
    assert_eq!(p.edits[1].line, Some(12));
    assert!(
        p.edits[2]
            .text
            .starts_with("add `www.example.com` to the configuration")
    );
    assert_eq!(p.source_provider.as_deref(), Some("aws.legacy"));
    assert_eq!(p.target.account_id.as_deref(), Some("111111111111"));
    let text = crate::mover::human::plan(&p);
    assert!(text.contains(&format!(
        "  1. AssociateAlias TargetDistributionId={TARGET} Alias=www.example.com  (changes CloudFront)"
    )), "{text}");
    assert!(text.contains("(legacy/main.tf:12)"), "{text}");
    assert!(text.contains("every precondition is verified"), "{text}");
}

#[test]
fn a_precondition_not_met_or_not_verified_blocks_yes() {
    let not_met = Step::new(StepStatus::NotMet, "the certificate does not cover it");
    let p = build(
        "www.example.com",
        &gathered(same_account(not_met)),
        &[],
        false,
    );
    assert_eq!(
        p.verdict,
        Verdict::Blocked(vec!["not met: the certificate does not cover it".into()])
    );
    let unknown = Step::new(
        StepStatus::NotVerified("DNS was not asked (--no-dns)".into()),
        "the TXT record",
    );
    let p = build(
        "www.example.com",
        &gathered(same_account(unknown)),
        &[],
        false,
    );
    assert_eq!(
        p.verdict,
        Verdict::Blocked(vec![
            "not verified: the TXT record (DNS was not asked (--no-dns))".into()
        ])
    );
}

fn wildcard() -> Fix {
    let disable = Step::todo("disable the source: it stops serving `www.example.com`")
        .with_call(ApiCall::new(
            Operation::DisableDistribution,
            &[("Id", SOURCE), ("DistributionConfig.Enabled", "false")],
        ))
        .before_move();
    let read = Step::todo("read the ETag")
        .with_call(ApiCall::new(Operation::GetDistribution, &[("Id", TARGET)]));
    let uda = Step::todo("move it").with_call(ApiCall::new(
        Operation::UpdateDomainAssociation,
        &[
            ("Domain", "www.example.com"),
            ("TargetResource.DistributionId", TARGET),
            ("IfMatch", "ETAG"),
        ],
    ));
    Fix {
        remedy: Remedy::WildcardMove,
        title: "through a wildcard".into(),
        steps: vec![
            Step::todo("add `*.example.com` to the target and apply"),
            Step::todo("remove it from the source"),
        ],
        alternatives: vec![Alternative {
            remedy: Remedy::DisableThenAssociate,
            when: "if every name may go offline".into(),
            steps: vec![
                disable,
                Step::verified("DNS has the TXT value", "the TXT record").before_move(),
                read,
                uda,
            ],
        }],
    }
}

#[test]
fn the_wildcard_move_is_refused_and_disable_source_takes_the_one_call_branch() {
    let p = build("www.example.com", &gathered(wildcard()), &[], false);
    assert_eq!(p.route, Some(Remedy::WildcardMove));
    let Verdict::Blocked(reasons) = &p.verdict else {
        panic!("{:?}", p.verdict)
    };
    assert_eq!(reasons.len(), 1, "the route is the one reason: {reasons:?}");
    assert!(
        reasons[0].starts_with("the fix is `wildcard-move`"),
        "{reasons:?}"
    );
    assert!(reasons[0].contains("pass --disable-source"), "{reasons:?}");
    assert!(p.calls.is_empty());

    let p = build("www.example.com", &gathered(wildcard()), &[], true);
    assert_eq!(p.route, Some(Remedy::DisableThenAssociate));
    assert_eq!(p.verdict, Verdict::Ready);
    let ops: Vec<(Operation, Option<&str>)> = p
        .calls
        .iter()
        .map(|c| (c.operation, c.parameter("Id")))
        .collect();
    assert_eq!(
        ops,
        [
            (Operation::DisableDistribution, Some(SOURCE)),
            (Operation::WaitDeployed, Some(SOURCE)),
            (Operation::GetDistribution, Some(TARGET)),
            (Operation::UpdateDomainAssociation, None),
            (Operation::WaitDeployed, Some(TARGET)),
            (Operation::ListDomainConflicts, None),
        ]
    );
    // Without --disable-source the disable step is a reason.
    let mut g = gathered(wildcard());
    let alt = g.taken.as_mut().unwrap().fix.as_mut().unwrap();
    alt.steps = alt.alternatives[0].steps.clone();
    alt.remedy = Remedy::DisableThenAssociate;
    let p = build("www.example.com", &g, &[], false);
    let Verdict::Blocked(reasons) = &p.verdict else {
        panic!("{:?}", p.verdict)
    };
    assert!(reasons[0].contains("pass --disable-source"), "{reasons:?}");
}

#[test]
fn a_name_on_the_target_or_held_by_nobody_is_nothing_to_do() {
    let mut g = gathered(same_account(Step::verified("x", "y")));
    g.on_target = true;
    let p = build("www.example.com", &g, &[], false);
    assert!(matches!(p.verdict, Verdict::NothingToDo(_)));
    assert!(p.calls.is_empty());
    g.on_target = false;
    g.taken = None;
    let p = build("www.example.com", &g, &[], false);
    let Verdict::NothingToDo(why) = &p.verdict else {
        panic!("{:?}", p.verdict)
    };
    assert!(
        why.starts_with("no other distribution or tenant holds"),
        "{why}"
    );
}

#[test]
fn the_json_document_names_every_documented_field() {
    let p = build(
        "www.example.com",
        &gathered(same_account(Step::verified("x", "y"))),
        &managed(),
        false,
    );
    let report = crate::mover::outcome::MoveReport {
        plan: Some(p),
        log: Vec::new(),
        ending: crate::mover::outcome::Ending::Planned,
    };
    let doc = crate::mover::json::document(&report);
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&doc), ["version", "plan", "outcome"]);
    assert_eq!(
        keys(&doc["plan"]),
        [
            "alias", "target", "holder", "route", "fix", "steps", "calls", "edits", "verdict",
            "reasons", "notes"
        ]
    );
    assert_eq!(
        keys(&doc["outcome"]),
        ["result", "reasons", "error", "log", "exit_code"]
    );
    assert_eq!(doc["outcome"]["exit_code"], 0);
    let docs = include_str!("../../docs/move.md");
    for field in [
        "plan.target",
        "plan.steps[]",
        "plan.calls[]",
        "plan.edits[]",
        "outcome.log[]",
    ] {
        assert!(
            docs.contains(&format!("| `{field}` |")),
            "docs/move.md lacks {field}"
        );
    }
}
