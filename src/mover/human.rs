//! The plan and the outcome of a move, as people read them. Values from
//! AWS, DNS and the inputs are escaped and shortened (`display::shown`);
//! the fix's texts were cleaned when the check made them.

use super::execute::Logged;
use super::outcome::{Ending, MoveReport};
use super::plan::{MovePlan, Verdict};
use crate::diag::{ApiCall, StepStatus};
use crate::display::shown;
use crate::model::ResourceKind;

/// A call as one line: the operation and its parameters.
pub fn call_line(call: &ApiCall) -> String {
    let params: Vec<String> = call
        .parameters
        .iter()
        .map(|(k, v)| format!("{k}={}", shown(v)))
        .collect();
    format!("{} {}", call.operation.name(), params.join(" "))
        .trim_end()
        .to_string()
}

fn kind(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Distribution => "distribution",
        ResourceKind::Tenant => "tenant",
    }
}

/// The plan: the target, the holder, the route's steps with their status
/// and evidence, the calls `--yes` makes, the edits left to the user, and
/// the verdict.
pub fn plan(p: &MovePlan) -> String {
    let mut out = String::new();
    let t = &p.target;
    out.push_str(&format!(
        "move `{}` to {} `{}`{} ({}provider `{}`, {})\n",
        shown(&p.alias),
        kind(t.kind),
        shown(&t.id),
        t.address
            .as_deref()
            .map(|a| format!(" ({})", shown(a)))
            .unwrap_or_default(),
        // Not known when nothing is left to do: no facts were gathered.
        t.account_id
            .as_deref()
            .map(|a| format!("account {}, ", shown(a)))
            .unwrap_or_default(),
        shown(&t.provider),
        shown(&t.status),
    ));
    if let Some(h) = &p.holder {
        out.push_str(&format!(
            "held by `{}` in account {}{}\n",
            shown(&h.distribution_id),
            shown(&h.account_id),
            if h.same_account {
                " (this account)"
            } else {
                ""
            }
        ));
    }
    if let (Some(route), Some(fix)) = (p.route, &p.fix) {
        out.push_str(&format!("route: {}\n", route.name()));
        if route == fix.remedy {
            out.push_str(&format!("{}\n", fix.title));
        }
        for (i, step) in p.steps.iter().enumerate() {
            let status = match &step.status {
                StepStatus::Verified(seen) => format!("[verified: {seen}]"),
                StepStatus::NotMet => "[not met]".into(),
                StepStatus::NotVerified(why) => format!("[not verified: {why}]"),
                StepStatus::Todo => "[todo]".into(),
            };
            out.push_str(&format!("  {}. {status} {}\n", i + 1, step.text));
            if let Some(command) = &step.command {
                out.push_str(&format!("     $ {command}\n"));
            }
        }
    }
    if !p.calls.is_empty() {
        out.push_str("calls with --yes:\n");
        for (i, call) in p.calls.iter().enumerate() {
            out.push_str(&format!(
                "  {}. {}{}\n",
                i + 1,
                call_line(call),
                if call.operation.mutating() {
                    "  (changes CloudFront)"
                } else {
                    ""
                }
            ));
        }
    }
    if !p.edits.is_empty() {
        out.push_str("left to you:\n");
        for e in &p.edits {
            let place = match (&e.file, e.line) {
                (Some(f), Some(l)) => format!(" ({}:{l})", shown(f)),
                _ => String::new(),
            };
            out.push_str(&format!("  - {}{place}\n", e.text));
        }
    }
    for note in &p.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    match &p.verdict {
        Verdict::Ready => out.push_str("every precondition is verified\n"),
        Verdict::NothingToDo(why) => out.push_str(&format!("nothing to do: {why}\n")),
        Verdict::Blocked(reasons) => {
            out.push_str("--yes refuses this move:\n");
            for r in reasons {
                out.push_str(&format!("  - {r}\n"));
            }
        }
    }
    out
}

/// The last lines: how the run ended.
pub fn outcome(r: &MoveReport) -> String {
    match &r.ending {
        Ending::Planned => match r.plan.as_ref().map(|p| &p.verdict) {
            Some(Verdict::Ready) => "plan only: run it again with --yes to carry it out\n".into(),
            _ => "plan only: nothing was changed\n".into(),
        },
        Ending::NothingToDo => "nothing to do\n".into(),
        Ending::Refused(reasons) => {
            let mut out = String::from("error: refused, nothing was changed:\n");
            for reason in reasons {
                out.push_str(&format!("  - {reason}\n"));
            }
            out.push_str(&made(&r.log));
            out
        }
        Ending::Moved => {
            let p = r.plan.as_ref();
            format!(
                "moved `{}` to `{}`: Deployed, and ListDomainConflicts shows it there\n",
                p.map(|p| shown(&p.alias)).unwrap_or_default(),
                p.map(|p| shown(&p.target.id)).unwrap_or_default()
            )
        }
        Ending::Failed(why) => format!("error: {why}\n{}", made(&r.log)),
    }
}

/// The calls that changed something before a failure.
fn made(log: &[Logged]) -> String {
    let done: Vec<String> = log
        .iter()
        .filter(|l| l.result.is_ok())
        .map(|l| call_line(&l.call))
        .collect();
    if done.is_empty() {
        String::new()
    } else {
        format!(
            "made before it stopped: {}; run the same command again to go on\n",
            done.join("; ")
        )
    }
}
