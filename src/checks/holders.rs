//! Who holds each alias before and after the apply, within the inputs:
//! `duplicate-in-change`, `move-within-change`, `replace-keeps-alias`.

use std::collections::BTreeMap;

use super::{about_claim, config_address, related};
use crate::diag::{Alternative, Code, Finding, Fix, Party, Related, Remedy, Step, shell_quote};
use crate::input::address;
use crate::model::{Action, Claim, DomainName, ReplaceOrder, ReplaceReason, Resource};

pub(super) fn check(resources: &[Resource], claims: &[Claim], out: &mut Vec<Finding>) {
    duplicates(resources, claims, out);
    moves(resources, claims, out);
    replacements(resources, claims, out);
}

/// Every resource that holds `alias` after apply, in input order, once each.
fn holders_after(resources: &[Resource]) -> BTreeMap<&DomainName, Vec<usize>> {
    let mut map: BTreeMap<&DomainName, Vec<usize>> = BTreeMap::new();
    for (i, r) in resources.iter().enumerate() {
        if matches!(r.action, Action::Delete | Action::Read | Action::Forget) {
            continue;
        }
        for entry in &r.after {
            if let Some(name) = entry.value.name() {
                let list = map.entry(name).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    map
}

/// The address in backticks, with its input (plan file or root module)
/// when the resources named together come from more than one input.
fn named(r: &Resource, several_inputs: bool) -> String {
    if several_inputs {
        format!("`{}` ({})", r.address, r.file)
    } else {
        format!("`{}`", r.address)
    }
}

/// How many other holders one finding names and points at.
const MAX_NAMED: usize = 10;

fn duplicates(resources: &[Resource], claims: &[Claim], out: &mut Vec<Finding>) {
    let holders = holders_after(resources);
    let mut reported: std::collections::HashSet<&DomainName> = std::collections::HashSet::new();
    for claim in claims {
        let Some(name) = claim.alias.name() else {
            continue;
        };
        let Some(list) = holders.get(name) else {
            continue;
        };
        if list.len() < 2 || !reported.insert(name) {
            continue;
        }
        let r = &resources[claim.resource];
        let others: Vec<&Resource> = list
            .iter()
            .filter(|&&i| i != claim.resource)
            .map(|&i| &resources[i])
            .collect();
        let shown = claim.shown();
        let keeper = others
            .iter()
            .find(|o| o.before.contains(name) && !o.action.destroys());
        let fix = match keeper {
            Some(k) => edit(
                format!(
                    "`{}` already holds `{shown}` and keeps it, so adding it to `{}` fails with \
                     CNAMEAlreadyExists:",
                    k.address, r.address
                ),
                vec![Step::todo(format!("remove `{shown}` from `{}`", r.address))],
                in_two_applies(
                    &format!("to move it to `{}`, in two applies", r.address),
                    &shown,
                    k,
                    r,
                ),
            ),
            None => edit(
                "an alias can be on one distribution or tenant only:".into(),
                vec![Step::todo(format!(
                    "keep `{shown}` on one of {} and remove it from the others",
                    {
                        let all: Vec<&Resource> =
                            std::iter::once(r).chain(others.iter().copied()).collect();
                        let several = all.iter().any(|o| o.file != r.file);
                        let mut names: Vec<String> = all
                            .iter()
                            .take(MAX_NAMED)
                            .map(|x| named(x, several))
                            .collect();
                        if all.len() > MAX_NAMED {
                            names.push(format!("{} more", all.len() - MAX_NAMED));
                        }
                        names.join(", ")
                    }
                ))],
                Vec::new(),
            ),
        };
        let mut finding = about_claim(
            Code::DuplicateInChange,
            claim,
            r,
            format!(
                "`{shown}` would be held by {} resources after apply",
                others.len() + 1
            ),
            format!("`{}` adds it here", r.address),
            // The help is composed from the fix in the merge stage.
            String::new(),
        );
        finding.fix = Some(fix);
        // The first few holders are pointed at; a finding about thousands
        // stays readable (and quick to render).
        for other in others.into_iter().take(MAX_NAMED) {
            let entry = other.after.iter().find(|e| e.value.name() == Some(name));
            let what = if other.before.contains(name) {
                "already holds it"
            } else {
                "adds it too"
            };
            finding.related.push(Related {
                span: entry.map_or(other.span, |e| e.span),
                label: format!("`{}` {what}", other.address),
                address: Some(other.address.clone()),
                input: Some(other.file.clone()),
            });
        }
        out.push(finding);
    }
}

/// Whether `b`'s configuration orders it after `a` (through `depends_on`,
/// a reference, or those of the module calls it is in).
fn depends_on(b: &Resource, a: &Resource) -> bool {
    b.depends_on
        .iter()
        .any(|p| address::is_within(a.address.as_str(), p))
}

fn moves(resources: &[Resource], claims: &[Claim], out: &mut Vec<Finding>) {
    // Who holds each alias before the apply, once: linear, not a scan of
    // every resource per claim.
    let mut held_before: std::collections::HashMap<&DomainName, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        for name in &r.before {
            let list = held_before.entry(name).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    for claim in claims {
        let Some(name) = claim.alias.name() else {
            continue;
        };
        let b = &resources[claim.resource];
        for &ai in held_before.get(name).into_iter().flatten() {
            let a = &resources[ai];
            // Plans checked together are applied separately: a move is
            // within one apply only inside one plan.
            if ai == claim.resource || a.span.source != b.span.source {
                continue;
            }
            let releases = match a.action {
                Action::Delete | Action::Forget => true,
                Action::Update | Action::Replace(_) => {
                    !a.after.iter().any(|e| e.value.name() == Some(name))
                }
                Action::NoOp | Action::Create | Action::Read => false,
            };
            if !releases {
                continue;
            }
            if let Some(f) = move_finding(claim, b, a) {
                out.push(f);
            }
        }
    }
}

/// Moving the alias in two applies: out of `from`, then into `to`.
/// DNS must lead to `to` before the second apply: CloudFront refuses an
/// alias whose DNS points at another distribution.
fn two_applies(shown: &str, from: &Resource, to: &Resource) -> Vec<Step> {
    vec![
        Step::todo(format!(
            "remove `{shown}` from `{}` and apply; wait until it is Deployed",
            from.address
        )),
        Step::todo(format!(
            "point `{shown}` at {} and wait for the record's TTL",
            domain_of(to)
        ))
        .pointing_dns()
        .before_move(),
        Step::todo(format!("add `{shown}` to `{}` and apply", to.address)),
    ]
}

/// A resource's CloudFront name as a step names it.
fn domain_of(r: &Resource) -> String {
    r.domain_name.as_deref().map_or_else(
        || format!("the domain name of `{}`", r.address),
        |d| format!("`{d}`"),
    )
}

/// The giver or old object, as DNS evidence would name it.
fn party(r: &Resource) -> Option<Party> {
    r.domain_name.as_ref().map(|d| Party {
        id: r.distribution_id.clone(),
        domain: Some(d.clone()),
    })
}

fn edit(title: String, steps: Vec<Step>, alternatives: Vec<Alternative>) -> Fix {
    Fix {
        remedy: Remedy::EditConfiguration,
        title,
        steps,
        alternatives,
    }
}

fn in_two_applies(when: &str, shown: &str, from: &Resource, to: &Resource) -> Vec<Alternative> {
    vec![Alternative {
        remedy: Remedy::EditConfiguration,
        when: when.to_string(),
        steps: two_applies(shown, from, to),
    }]
}

fn move_finding(claim: &Claim, b: &Resource, a: &Resource) -> Option<Finding> {
    let shown = claim.shown();
    let (a_cfg, b_cfg) = (
        config_address(a.address.as_str()),
        config_address(b.address.as_str()),
    );
    let (message, label, fix) = match a.action {
        Action::Forget => (
            format!(
                "`{shown}` moves from `{}` to `{}`, but `{}` is only removed from the state",
                a.address, b.address, a.address
            ),
            format!(
                "`{}` is forgotten, not destroyed, and keeps the alias",
                a.address
            ),
            edit(
                format!(
                    "the distribution behind `{}` still exists and still holds `{shown}`:",
                    a.address
                ),
                vec![
                    Step::todo(format!(
                        "remove `{shown}` from it (in Terraform before the `removed` block, or \
                         with the console or CLI) and wait until it is Deployed"
                    )),
                    Step::todo(format!("then apply `{}` with `{shown}`", b.address)),
                ],
                Vec::new(),
            ),
        ),
        Action::Delete | Action::Replace(_) if a.retain_on_delete => (
            format!(
                "`{shown}` moves from `{}` to `{}`, but `{}` has `retain_on_delete = true`",
                a.address, b.address, a.address
            ),
            format!(
                "`{}` is only disabled, not deleted, and keeps its aliases",
                a.address
            ),
            edit(
                format!("a retained distribution keeps `{shown}` and no ordering helps:"),
                vec![
                    Step::todo(format!(
                        "remove `{shown}` from `{}` (or set `retain_on_delete = false`) and apply",
                        a.address
                    )),
                    Step::todo(format!("add `{shown}` to `{}` and apply", b.address)),
                ],
                Vec::new(),
            ),
        ),
        Action::Delete if a.address.deposed.is_some() => (
            format!(
                "`{shown}` moves from `{}` (destroyed) to `{}` in one apply",
                a.address, b.address
            ),
            format!("`{}` is destroyed here", a.address),
            edit(
                format!(
                    "a deposed object cannot be edited, only destroyed, and destroying a \
                     distribution takes minutes (disable, deploy, delete) in the same apply that \
                     adds the alias to `{}`; in two applies:",
                    b.address
                ),
                vec![
                    Step::todo(format!(
                        "leave `{shown}` out of `{}` for now and apply: Terraform destroys the \
                         deposed object",
                        b.address
                    )),
                    Step::todo(format!("add `{shown}` to `{}` and apply", b.address)),
                ],
                Vec::new(),
            ),
        ),
        Action::Delete | Action::Replace(_) => {
            let renamed = a.action == Action::Delete
                && b.action == Action::Create
                && a.kind == b.kind
                && a_cfg.split('.').next() == b_cfg.split('.').next();
            let fix = if renamed {
                edit(
                    format!("if `{}` is `{}` renamed:", b.address, a.address),
                    vec![Step::todo(format!(
                        "add `moved {{ from = {} to = {} }}`: the distribution keeps its aliases \
                         and nothing is destroyed",
                        a.address, b.address
                    ))],
                    in_two_applies("in two applies", &shown, a, b),
                )
            } else {
                edit(
                    format!(
                        "destroying a distribution takes minutes (disable, deploy, delete) and runs \
                         in parallel with `{}`; in two applies:",
                        b.address
                    ),
                    two_applies(&shown, a, b),
                    Vec::new(),
                )
            };
            (
                format!(
                    "`{shown}` moves from `{}` (destroyed) to `{}` in one apply",
                    a.address, b.address
                ),
                format!("`{}` is destroyed here", a.address),
                fix,
            )
        }
        _ => {
            if depends_on(b, a) {
                if a.wait_for_deployment {
                    return None;
                }
                (
                    format!(
                        "`{shown}` moves from `{}` to `{}`, but `{}` does not wait for deployment",
                        a.address, b.address, a.address
                    ),
                    format!("`{}` has `wait_for_deployment = false`", a.address),
                    edit(
                        format!(
                            "`{}` depends on `{}`, but with `wait_for_deployment = false` it may \
                             ask for the alias before the removal is Deployed:",
                            b.address, a.address
                        ),
                        vec![Step::todo(format!(
                            "set `wait_for_deployment = true` on `{}`",
                            a.address
                        ))],
                        in_two_applies("in two applies", &shown, a, b),
                    ),
                )
            } else {
                (
                    format!(
                        "`{shown}` moves from `{}` to `{}` in one apply, with no ordering between them",
                        a.address, b.address
                    ),
                    format!("`{}` removes it here", a.address),
                    edit(
                        format!(
                            "Terraform may update both at once, and `{}` must be Deployed without \
                             the alias before `{}` can add it:",
                            a.address, b.address
                        ),
                        vec![Step::todo(format!(
                            "add `depends_on = [{a_cfg}]` to `{}`",
                            b.address
                        ))],
                        in_two_applies("in two applies", &shown, a, b),
                    ),
                )
            }
        }
    };
    let mut finding = about_claim(
        Code::MoveWithinChange,
        claim,
        b,
        message,
        format!("`{}` adds it here", b.address),
        // The help is composed from the fix in the merge stage.
        String::new(),
    );
    finding.fix = Some(fix);
    // DNS on the giver is evidence of this finding.
    finding.party = party(a);
    finding.related.push(related(a, label));
    Some(finding)
}

fn replacements(resources: &[Resource], claims: &[Claim], out: &mut Vec<Finding>) {
    for claim in claims {
        let Some(name) = claim.alias.name() else {
            continue;
        };
        let r = &resources[claim.resource];
        let Action::Replace(order) = r.action else {
            continue;
        };
        if !r.before.contains(name) {
            continue;
        }
        let cbd = order == ReplaceOrder::CreateBeforeDestroy;
        if !cbd && !r.retain_on_delete {
            continue;
        }
        let shown = claim.shown();
        let why = match r.replace_reason {
            Some(ReplaceReason::Tainted) => " (it is tainted)",
            Some(ReplaceReason::Requested) => " (requested with `-replace`)",
            Some(ReplaceReason::CannotUpdate) => " (an argument forces a new resource)",
            None => "",
        };
        let (message, label, fix) = if cbd {
            (
                format!(
                    "replacing `{}` creates the new distribution while the old one still holds `{shown}`",
                    r.address
                ),
                format!("replaced with create_before_destroy{why}"),
                Fix {
                    remedy: Remedy::EditConfiguration,
                    title: "CloudFront refuses the new distribution with CNAMEAlreadyExists; \
                            avoid the replacement if you can. Without downtime (same account):"
                        .into(),
                    steps: vec![
                        Step::todo(format!(
                            "instead of replacing `{}` in place, add its successor as a new \
                             resource (the same configuration with the change, without \
                             `{shown}`) and apply: the old distribution keeps serving `{shown}`",
                            r.address
                        )),
                        Step::todo(format!(
                            "move `{shown}` to the new distribution with AssociateAlias, which \
                             works while the old one serves it (see alias-taken)"
                        ))
                        .with_command(format!(
                            "aws cloudfront associate-alias --target-distribution-id NEW_ID --alias {}",
                            shell_quote(&shown)
                        )),
                        Step::todo(format!(
                            "point `{shown}` at the new distribution's domain name and wait for \
                             the record's TTL: the old one is destroyed next"
                        ))
                        .pointing_dns(),
                        Step::todo(format!(
                            "give the new resource `{shown}` and remove `{}` from the \
                             configuration, and apply: the plan agrees, and the old \
                             distribution is destroyed",
                            r.address
                        )),
                    ],
                    alternatives: vec![
                        Alternative {
                            remedy: Remedy::EditConfiguration,
                            when: "in two applies".into(),
                            steps: vec![
                                Step::todo(format!(
                                    "apply the replacement of `{}` without `{shown}`",
                                    r.address
                                )),
                                Step::todo(format!(
                                    "add `{shown}` back and apply again; between the two \
                                     applies `{shown}` is served by neither distribution"
                                )),
                            ],
                        },
                        Alternative {
                            remedy: Remedy::EditConfiguration,
                            when: "by dropping `create_before_destroy`".into(),
                            steps: vec![Step::todo(format!(
                                "remove `create_before_destroy` from `{}`: the old \
                                 distribution is destroyed first, and `{shown}` is down while \
                                 the new one deploys",
                                r.address
                            ))],
                        },
                    ],
                },
            )
        } else {
            (
                format!(
                    "replacing `{}` only disables the old distribution (`retain_on_delete = true`), which keeps `{shown}`",
                    r.address
                ),
                format!("replaced{why}; the old distribution is retained"),
                Fix {
                    remedy: Remedy::EditConfiguration,
                    title: "the retained distribution keeps the alias:".into(),
                    steps: vec![Step::todo(format!(
                        "set `retain_on_delete = false` on `{}` and apply that first",
                        r.address
                    ))],
                    alternatives: vec![Alternative {
                        remedy: Remedy::EditConfiguration,
                        when: "to keep retaining it".into(),
                        steps: vec![Step::todo(format!(
                            "remove `{shown}` from `{}` and apply before the replacement",
                            r.address
                        ))],
                    }],
                },
            )
        };
        let mut finding = about_claim(
            Code::ReplaceKeepsAlias,
            claim,
            r,
            message,
            "the new distribution asks for it here",
            // The help is composed from the fix in the merge stage.
            String::new(),
        );
        finding.fix = Some(fix);
        // DNS on the old object is evidence of this finding.
        finding.party = party(r);
        finding.related.push(related(r, label));
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(
        address: &str,
        source: usize,
        action: Action,
        before: &[&str],
        after: &[&str],
    ) -> Resource {
        Resource::for_test(address, source, action, before, after)
    }

    fn codes(resources: &[Resource]) -> Vec<Code> {
        let claims = crate::input::claims(resources);
        let mut out = Vec::new();
        check(resources, &claims, &mut out);
        out.iter().map(|f| f.code).collect()
    }

    #[test]
    fn unordered_move_is_reported_and_depends_on_orders_it() {
        let a = resource(
            "aws_cloudfront_distribution.a",
            0,
            Action::Update,
            &["x.example.com"],
            &[],
        );
        let mut b = resource(
            "aws_cloudfront_distribution.b",
            0,
            Action::Update,
            &[],
            &["x.example.com"],
        );
        assert_eq!(codes(&[a.clone(), b.clone()]), vec![Code::MoveWithinChange]);
        b.depends_on = vec!["aws_cloudfront_distribution.a".into()];
        assert_eq!(codes(&[a.clone(), b.clone()]), vec![]);
        let mut a_nowait = a;
        a_nowait.wait_for_deployment = false;
        assert_eq!(codes(&[a_nowait, b]), vec![Code::MoveWithinChange]);
    }

    #[test]
    fn a_move_across_two_plans_is_not_within_one_apply() {
        let a = resource(
            "aws_cloudfront_distribution.a",
            0,
            Action::Update,
            &["x.example.com"],
            &[],
        );
        let b = resource(
            "aws_cloudfront_distribution.b",
            1,
            Action::Update,
            &[],
            &["x.example.com"],
        );
        assert_eq!(codes(&[a, b]), vec![]);
    }

    #[test]
    fn destroyed_giver_is_never_ordered() {
        let a = resource(
            "aws_cloudfront_distribution.a",
            0,
            Action::Delete,
            &["x.example.com"],
            &[],
        );
        let mut b = resource(
            "aws_cloudfront_distribution.b",
            0,
            Action::Create,
            &[],
            &["x.example.com"],
        );
        b.depends_on = vec!["aws_cloudfront_distribution.a".into()];
        assert_eq!(codes(&[a, b]), vec![Code::MoveWithinChange]);
    }

    #[test]
    fn adding_what_an_unchanged_resource_holds_is_a_duplicate() {
        let a = resource(
            "aws_cloudfront_distribution.a",
            0,
            Action::NoOp,
            &["x.example.com"],
            &["x.example.com"],
        );
        let b = resource(
            "aws_cloudfront_distribution.b",
            1,
            Action::Create,
            &[],
            &["X.example.com."],
        );
        assert_eq!(codes(&[a, b]), vec![Code::DuplicateInChange]);
    }

    #[test]
    fn duplicate_across_plans_names_the_files_when_addresses_match() {
        let mut a = resource(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &["x.example.com"],
        );
        let mut b = resource(
            "aws_cloudfront_distribution.site",
            1,
            Action::Create,
            &[],
            &["x.example.com"],
        );
        a.file = "web/plan.json".into();
        b.file = "api/plan.json".into();
        let resources = [a, b];
        let claims = crate::input::claims(&resources);
        let mut out = Vec::new();
        check(&resources, &claims, &mut out);
        assert_eq!(out.len(), 1);
        let help = out[0].fix.as_ref().unwrap().render();
        assert!(help.contains("`aws_cloudfront_distribution.site` (web/plan.json), `aws_cloudfront_distribution.site` (api/plan.json)"), "{help}");
    }

    #[test]
    fn replacement_keeps_alias_only_when_old_object_survives() {
        let plain = resource(
            "aws_cloudfront_distribution.r",
            0,
            Action::Replace(ReplaceOrder::DestroyBeforeCreate),
            &["x.example.com"],
            &["x.example.com"],
        );
        assert_eq!(codes(std::slice::from_ref(&plain)), vec![]);
        let mut retained = plain.clone();
        retained.retain_on_delete = true;
        assert_eq!(codes(&[retained]), vec![Code::ReplaceKeepsAlias]);
        let cbd = resource(
            "aws_cloudfront_distribution.r",
            0,
            Action::Replace(ReplaceOrder::CreateBeforeDestroy),
            &["x.example.com"],
            &["x.example.com"],
        );
        assert_eq!(codes(&[cbd]), vec![Code::ReplaceKeepsAlias]);
    }

    #[test]
    fn create_before_destroy_offers_the_zero_downtime_route_and_says_what_the_others_cost() {
        let cbd = resource(
            "aws_cloudfront_distribution.r",
            0,
            Action::Replace(ReplaceOrder::CreateBeforeDestroy),
            &["x.example.com"],
            &["x.example.com"],
        );
        let resources = vec![cbd];
        let claims = crate::input::claims(&resources);
        let mut out = Vec::new();
        check(&resources, &claims, &mut out);
        let fix = out[0].fix.as_ref().unwrap();
        assert_eq!(fix.remedy, Remedy::EditConfiguration);
        assert!(fix.steps.iter().any(|s| {
            s.command
                .as_deref()
                .is_some_and(|c| c.contains("associate-alias"))
        }));
        let whens: Vec<&str> = fix.alternatives.iter().map(|a| a.when.as_str()).collect();
        assert_eq!(
            whens,
            ["in two applies", "by dropping `create_before_destroy`"]
        );
        assert!(
            fix.alternatives[0].steps[1]
                .text
                .contains("served by neither")
        );
        assert!(fix.alternatives[1].steps[0].text.contains("is down"));
    }

    #[test]
    fn in_change_fixes_are_edits_with_the_two_applies_branch() {
        let giver = resource(
            "aws_cloudfront_distribution.a",
            0,
            Action::Update,
            &["x.example.com"],
            &[],
        );
        let taker = resource(
            "aws_cloudfront_distribution.b",
            0,
            Action::Create,
            &[],
            &["x.example.com"],
        );
        let resources = vec![giver, taker];
        let claims = crate::input::claims(&resources);
        let mut out = Vec::new();
        check(&resources, &claims, &mut out);
        let fix = out[0].fix.as_ref().unwrap();
        assert_eq!(out[0].code, Code::MoveWithinChange);
        assert_eq!(fix.remedy, Remedy::EditConfiguration);
        assert!(fix.steps[0].text.contains("depends_on"));
        assert_eq!(fix.alternatives[0].when, "in two applies");
        assert_eq!(fix.alternatives[0].steps.len(), 3);
        // DNS leads to the taker before the second apply.
        assert!(fix.alternatives[0].steps[1].points_dns);

        let dup = vec![
            resource(
                "aws_cloudfront_distribution.c",
                0,
                Action::Create,
                &[],
                &["y.example.com"],
            ),
            resource(
                "aws_cloudfront_distribution.d",
                0,
                Action::Create,
                &[],
                &["y.example.com"],
            ),
        ];
        let claims = crate::input::claims(&dup);
        let mut out = Vec::new();
        check(&dup, &claims, &mut out);
        assert_eq!(out[0].code, Code::DuplicateInChange);
        assert_eq!(
            out[0].fix.as_ref().unwrap().remedy,
            Remedy::EditConfiguration
        );
    }
}
