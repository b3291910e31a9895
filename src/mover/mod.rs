//! `cname-preflight move ALIAS --to TARGET`: carries out the fix `check`
//! builds for an alias another distribution or tenant holds, where that
//! fix is one API call. One job per file:
//!
//! - [`target`]: `--to` resolved and read (GetDistribution /
//!   GetDistributionTenant), made into the claim the check judges;
//! - [`gather`]: the check's facts and checks over that claim: its fix;
//! - [`places`]: where the inputs manage each resource (file and line);
//! - [`plan`]: the plan read off the fix: calls, preconditions, edits;
//! - [`execute`]: the calls, the waits, the confirmation;
//! - [`outcome`]: how the run ended, its exit code;
//! - [`human`], [`json`]: the plan and the outcome, for people and as data.
//!
//! The library never prints: lines go through the caller's sink.

pub mod execute;
mod gather;
pub mod human;
pub mod json;
pub mod outcome;
pub mod places;
pub mod plan;
pub mod target;
#[cfg(test)]
mod tests;

use std::io::Read;
use std::time::Duration;

use crate::diag::Operation;
use execute::{Context, Sink, Stop};
use outcome::{Ending, MoveReport};
use plan::{MovePlan, Verdict};

/// Settings of one `move` run.
#[derive(Debug, Clone)]
pub struct MoveOptions {
    /// The alias, as typed.
    pub alias: String,
    /// A distribution ID, a tenant ID, or a resource address of the inputs.
    pub to: String,
    /// The check's settings; its inputs are the `--plan` files or
    /// configuration (none: the target is given by ID).
    pub check: crate::CheckOptions,
    /// Carry the plan out.
    pub yes: bool,
    /// Allowed to disable the source where the route needs it.
    pub disable_source: bool,
    /// The longest wait for Deployed.
    pub wait: Duration,
}

/// Plans the move and, with `--yes`, carries it out. `on_plan` gets the
/// plan once it is made (and again when the facts are gathered again
/// before the calls); `sink` every line and the wait's progress.
pub fn run(
    options: &MoveOptions,
    stdin: &mut dyn Read,
    on_plan: &mut dyn FnMut(&MovePlan),
    sink: &mut Sink,
) -> MoveReport {
    let mut report = MoveReport {
        plan: None,
        log: Vec::new(),
        ending: Ending::Planned,
    };
    let mut inputs = if options.check.inputs.is_empty() {
        crate::input::Inputs::default()
    } else {
        crate::input::read(&options.check.inputs, &options.check.hcl, stdin)
    };
    if let Some(e) = inputs.errors.first() {
        report.ending = Ending::Failed(crate::display::clean(&e.to_string()));
        return report;
    }
    let managed = places::managed(&mut inputs, &options.check);
    let make = |disable: bool| -> Result<MovePlan, String> {
        let g = gather::gather(&options.alias, &options.to, &inputs, &options.check)?;
        Ok(plan::build(&options.alias, &g, &managed, disable))
    };
    let plan = match make(options.disable_source) {
        Ok(plan) => plan,
        Err(e) => {
            report.ending = Ending::Failed(e);
            return report;
        }
    };
    on_plan(&plan);
    report.ending = match &plan.verdict {
        Verdict::NothingToDo(_) => Ending::NothingToDo,
        Verdict::Blocked(reasons) if options.yes => Ending::Refused(reasons.clone()),
        _ => Ending::Planned,
    };
    let finish = options.yes && report.ending == Ending::NothingToDo && !plan.calls.is_empty();
    report.plan = Some(plan);
    let providers = target::providers(&inputs);
    let ctx = Context {
        providers: &providers,
        aws: &options.check.aws,
        wait: options.wait,
    };
    if finish {
        // The name is on the target, still deploying: wait and confirm.
        let plan = report.plan.clone().expect("a plan");
        let only = [Operation::WaitDeployed, Operation::ListDomainConflicts];
        if let Err(stop) = execute::run_calls(&plan, &only, &ctx, sink, &mut report.log) {
            report.ending = stopped(stop);
        }
        return report;
    }
    if !options.yes || report.ending != Ending::Planned {
        return report;
    }
    let plan = report.plan.clone().expect("a plan");
    // Disabling the source and waiting for it first, when the plan does.
    if plan.calls.iter().any(|c| of_source(c, &plan)) {
        let only = [Operation::DisableDistribution, Operation::WaitDeployed];
        let source_only = MovePlan {
            calls: plan
                .calls
                .iter()
                .filter(|c| of_source(c, &plan))
                .cloned()
                .collect(),
            ..plan.clone()
        };
        if let Err(stop) = execute::run_calls(&source_only, &only, &ctx, sink, &mut report.log) {
            report.ending = stopped(stop);
            return report;
        }
    }
    // Every precondition again, from facts gathered now, right before the
    // move: the route and its call must be the same.
    (sink.say)("verifying every precondition again ...");
    let again = match make(options.disable_source) {
        Ok(again) => again,
        Err(e) => {
            report.ending = Ending::Failed(e);
            return report;
        }
    };
    let same_call = plan::move_call(&again.steps) == plan::move_call(&plan.steps);
    report.plan = Some(again.clone());
    match &again.verdict {
        Verdict::NothingToDo(_) => {
            on_plan(&again);
            report.ending = Ending::NothingToDo;
            return report;
        }
        Verdict::Blocked(reasons) => {
            on_plan(&again);
            report.ending = Ending::Refused(reasons.clone());
            return report;
        }
        Verdict::Ready if !same_call => {
            on_plan(&again);
            report.ending = Ending::Refused(vec![
                "the facts changed since the plan was made (another route applies now): run the \
                 command again to see the new plan"
                    .into(),
            ]);
            return report;
        }
        Verdict::Ready => {}
    }
    let only = [
        Operation::GetDistribution,
        Operation::GetDistributionTenant,
        Operation::AssociateAlias,
        Operation::UpdateDomainAssociation,
        Operation::WaitDeployed,
        Operation::ListDomainConflicts,
    ];
    let move_phase = MovePlan {
        calls: again
            .calls
            .iter()
            .filter(|c| !of_source(c, &again))
            .cloned()
            .collect(),
        ..again.clone()
    };
    report.ending = match execute::run_calls(&move_phase, &only, &ctx, sink, &mut report.log) {
        Ok(()) => Ending::Moved,
        Err(stop) => stopped(stop),
    };
    report
}

/// The calls that disable the source and wait for it.
fn of_source(call: &crate::diag::ApiCall, plan: &MovePlan) -> bool {
    let source = plan.holder.as_ref().map(|h| h.distribution_id.as_str());
    call.operation == Operation::DisableDistribution
        || (call.operation == Operation::WaitDeployed
            && call.parameter("Id").is_some()
            && call.parameter("Id") == source
            && source != Some(plan.target.id.as_str()))
}

fn stopped(stop: Stop) -> Ending {
    Ending::Failed(stop.to_string())
}
