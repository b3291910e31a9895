//! The plan of a move, read off the check's typed fix: which branch is
//! carried out, the API calls it makes in order (each from the step that
//! names it), the preconditions that stop `--yes` (not met, not verified,
//! or to be done first), and the edits left to the user, with the file and
//! line where the configuration is known. No CloudFront rule is decided
//! here: the remedies decide them, and this reads their steps.

use super::gather::Gathered;
use super::places::Managed;
use crate::diag::{ApiCall, Fix, Holder, Operation, Remedy, Severity, Step, StepStatus};
use crate::facts::AwsFacts;
use crate::model::{DomainName, ResourceKind};

/// What `move` would do, and whether `--yes` may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePlan {
    /// The alias, exact (printers escape it).
    pub alias: String,
    pub target: TargetSummary,
    /// Who holds the alias now, as the check found.
    pub holder: Option<Holder>,
    /// The check's fix, whole.
    pub fix: Option<Fix>,
    /// The branch of the fix that is carried out (or, when none can be,
    /// the fix's own remedy) and its steps.
    pub route: Option<Remedy>,
    pub steps: Vec<Step>,
    /// The calls `--yes` makes, in order.
    pub calls: Vec<ApiCall>,
    /// What is left to the user after the move.
    pub edits: Vec<Edit>,
    pub verdict: Verdict,
    /// The provider key that reaches the source's account, for disabling it.
    pub source_provider: Option<String>,
    /// The check's other findings about the claim, as lines.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSummary {
    pub id: String,
    pub kind: ResourceKind,
    pub account_id: Option<String>,
    /// The provider configuration key that reaches it.
    pub provider: String,
    /// Its address in the inputs, when they manage it.
    pub address: Option<String>,
    pub status: String,
}

/// An edit left to the user, and where, when the inputs say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub text: String,
    pub file: Option<String>,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every precondition is verified: `--yes` makes the calls.
    Ready,
    /// Nothing to move, and why.
    NothingToDo(String),
    /// `--yes` refuses, with the reasons.
    Blocked(Vec<String>),
}

/// The move call of a branch: AssociateAlias or UpdateDomainAssociation.
pub fn move_call(steps: &[Step]) -> Option<&ApiCall> {
    steps.iter().filter_map(|s| s.call.as_ref()).find(|c| {
        matches!(
            c.operation,
            Operation::AssociateAlias | Operation::UpdateDomainAssociation
        )
    })
}

/// Builds the plan from what was gathered; `disable_source` allows the
/// branch that disables the source.
pub fn build(alias: &str, g: &Gathered, managed: &[Managed], disable_source: bool) -> MovePlan {
    let inventory = match &g.facts.aws {
        AwsFacts::Asked(inventory) => Some(inventory),
        _ => None,
    };
    let target_account = inventory
        .and_then(|i| i.account_of(Some(&g.target.provider.key)))
        .map(|a| a.account_id.clone());
    let target_place = managed
        .iter()
        .find(|m| m.id.as_deref() == Some(g.target.id.as_str()));
    let mut plan = MovePlan {
        alias: alias.to_string(),
        target: TargetSummary {
            id: g.target.id.clone(),
            kind: g.target.kind,
            account_id: target_account,
            provider: g.target.provider.key.clone(),
            address: target_place.map(|m| m.address.clone()),
            status: g.target.state.status.clone(),
        },
        holder: None,
        fix: None,
        route: None,
        steps: Vec::new(),
        calls: Vec::new(),
        edits: Vec::new(),
        verdict: Verdict::Ready,
        source_provider: None,
        notes: g
            .others
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect(),
    };
    if g.on_target {
        plan.verdict = Verdict::NothingToDo(format!(
            "`{}` is on `{}` already",
            crate::display::shown(alias),
            crate::display::shown(&g.target.id)
        ));
        // A run that stopped while the target deployed: `--yes` waits for
        // it and confirms, as the first run would have.
        if g.target.state.status != "Deployed" {
            plan.calls = confirm_calls(alias, &plan.target);
        }
        return plan;
    }
    let Some(finding) = &g.taken else {
        let unverified: Vec<String> = g
            .others
            .iter()
            .filter(|f| {
                matches!(
                    f.code,
                    crate::diag::Code::NotVerified | crate::diag::Code::InvalidAlias
                )
            })
            .map(|f| format!("{} ({})", f.message, f.help))
            .collect();
        plan.verdict = if unverified.is_empty() {
            Verdict::NothingToDo(format!(
                "no other distribution or tenant holds `{}`: nothing to move; add it to the \
                 target's configuration and apply",
                crate::display::shown(alias)
            ))
        } else {
            Verdict::Blocked(unverified)
        };
        return plan;
    };
    let fix = finding
        .fix
        .clone()
        .expect("an alias-taken finding with a fix");
    plan.holder = finding.holder.clone();
    let holder_id = plan.holder.as_ref().map(|h| h.distribution_id.clone());
    plan.source_provider = holder_id.as_deref().and_then(|id| {
        inventory
            .and_then(|i| i.by_id(id))
            .and_then(|(a, _)| a.provider_keys.first().cloned())
    });
    let (route, steps, mut reasons) = choose(&fix, disable_source, plan.holder.as_ref());
    plan.route = Some(route);
    plan.fix = Some(fix);
    if !reasons.is_empty() {
        // A route `move` does not carry out: its steps are printed, and
        // the one reason is the route itself.
        plan.steps = steps;
        plan.verdict = Verdict::Blocked(reasons);
        return plan;
    }
    let mut calls = Vec::new();
    let mut after_move = false;
    for step in &steps {
        if after_move {
            if step.status == StepStatus::Todo {
                plan.edits.push(edit(step, holder_id.as_deref(), managed));
            }
            continue;
        }
        let call = step.call.as_ref();
        match call.map(|c| c.operation) {
            Some(Operation::AssociateAlias | Operation::UpdateDomainAssociation) => {
                calls.push(call.cloned().expect("a call"));
                after_move = true;
                continue;
            }
            Some(Operation::GetDistribution | Operation::GetDistributionTenant) => {
                calls.push(call.cloned().expect("a call"));
                continue;
            }
            // A source still deploying: `--yes` waits for it (bounded), and
            // the facts are gathered again before the move.
            Some(Operation::WaitDeployed)
                if step.status == StepStatus::NotMet && plan.source_provider.is_some() =>
            {
                calls.push(call.cloned().expect("a call"));
                continue;
            }
            Some(Operation::DisableDistribution) if step.status == StepStatus::Todo => {
                if !disable_source {
                    reasons.push(format!(
                        "the source must be disabled first; pass --disable-source to let `move` \
                         disable it: {}",
                        step.text
                    ));
                } else if plan.source_provider.is_none() {
                    reasons.push(
                        "no provider reaches the source's account, so it cannot be disabled \
                         from here"
                            .into(),
                    );
                } else {
                    calls.push(call.cloned().expect("a call"));
                    if let Some(id) = &holder_id {
                        calls.push(ApiCall::new(Operation::WaitDeployed, &[("Id", id)]));
                    }
                }
                continue;
            }
            _ => {}
        }
        match &step.status {
            StepStatus::Verified(_) => {}
            StepStatus::NotMet => reasons.push(format!("not met: {}", step.text)),
            StepStatus::NotVerified(why) => {
                reasons.push(format!("not verified: {} ({why})", step.text))
            }
            StepStatus::Todo => reasons.push(format!("to do first: {}", step.text)),
        }
    }
    if after_move {
        calls.extend(confirm_calls(alias, &plan.target));
        plan.edits
            .push(keep_edit(alias, &plan.target, target_place));
    }
    plan.calls = calls;
    plan.steps = steps;
    if reasons.is_empty() && !after_move {
        reasons.push(format!(
            "the fix ({}) has no call `move` can make",
            route.name()
        ));
    }
    plan.verdict = if reasons.is_empty() {
        Verdict::Ready
    } else {
        Verdict::Blocked(reasons)
    };
    plan
}

/// After the move: wait for the target to be Deployed, then ask
/// ListDomainConflicts, with the target as the validation resource.
fn confirm_calls(alias: &str, target: &TargetSummary) -> Vec<ApiCall> {
    let (key, resource) = match target.kind {
        ResourceKind::Tenant => (
            "Identifier",
            "DomainControlValidationResource.DistributionTenantId",
        ),
        ResourceKind::Distribution => ("Id", "DomainControlValidationResource.DistributionId"),
    };
    vec![
        ApiCall::new(Operation::WaitDeployed, &[(key, &target.id)]),
        ApiCall::new(
            Operation::ListDomainConflicts,
            &[
                ("Domain", DomainName::new(alias).as_str()),
                (resource, &target.id),
            ],
        ),
    ]
}

/// The branch to carry out: the fix's own when it is one API call, else
/// disable-then-associate when `--disable-source` allows it; otherwise the
/// fix's own, with why `--yes` refuses it.
fn choose(
    fix: &Fix,
    disable_source: bool,
    holder: Option<&Holder>,
) -> (Remedy, Vec<Step>, Vec<String>) {
    if move_call(&fix.steps).is_some() {
        return (fix.remedy, fix.steps.clone(), Vec::new());
    }
    let disable = fix
        .alternatives
        .iter()
        .find(|a| a.remedy == Remedy::DisableThenAssociate && move_call(&a.steps).is_some());
    if let Some(alt) = disable
        && disable_source
    {
        return (alt.remedy, alt.steps.clone(), Vec::new());
    }
    let holder = holder.map_or("the holder".to_string(), |h| {
        format!("`{}`", h.distribution_id)
    });
    let mut why = format!(
        "the fix is `{}`, a route of several steps (applies, DNS changes, waits) that `move` \
         does not carry out: follow its steps",
        fix.remedy.name()
    );
    if fix.remedy == Remedy::AwsSupport {
        why = "the fix is a case with AWS Support, which `move` cannot open".into();
    }
    if disable.is_some() {
        why.push_str(&format!(
            "; or pass --disable-source to disable {holder} and move the name with one call \
             (every name on {holder} goes offline)"
        ));
    }
    (fix.remedy, fix.steps.clone(), vec![why])
}

/// A to-do after the move, placed where the inputs manage the resource it
/// is about.
fn edit(step: &Step, holder_id: Option<&str>, managed: &[Managed]) -> Edit {
    let place = holder_id
        .filter(|_| step.text.starts_with("remove "))
        .and_then(|id| managed.iter().find(|m| m.id.as_deref() == Some(id)));
    Edit {
        text: step.text.clone(),
        file: place.map(|m| m.file.clone()),
        line: place.map(|m| m.line),
    }
}

/// The target's configuration must name the alias, or its next apply
/// removes it again.
fn keep_edit(alias: &str, target: &TargetSummary, place: Option<&Managed>) -> Edit {
    let name = DomainName::new(alias);
    let (text, place) = match place {
        Some(m) if m.after.contains(&name) => (
            format!(
                "`{}` names `{}` already: apply it to bring the state in line",
                crate::display::shown(&m.address),
                crate::display::shown(alias)
            ),
            Some(m),
        ),
        Some(m) => (
            format!(
                "add `{}` to the aliases of `{}`, or its next apply removes it again",
                crate::display::shown(alias),
                crate::display::shown(&m.address)
            ),
            Some(m),
        ),
        None => (
            format!(
                "add `{}` to the configuration of `{}` wherever it is managed, or its next apply \
                 removes it again",
                crate::display::shown(alias),
                crate::display::shown(&target.id)
            ),
            None,
        ),
    };
    Edit {
        text,
        file: place.map(|m| m.file.clone()),
        line: place.map(|m| m.line),
    }
}
