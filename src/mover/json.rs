//! The plan and the outcome of a move as data (`-f json`). The field names
//! are stable and documented in docs/move.md; values are exact (JSON
//! escapes them), except texts the check already cleaned.

use serde_json::{Value, json};

use super::execute::Logged;
use super::outcome::{Ending, MoveReport};
use super::plan::{MovePlan, Verdict};
use crate::diag::{ApiCall, StepStatus};
use crate::model::ResourceKind;

/// Version of the document's shape.
pub const VERSION: u32 = 1;

fn call(c: &ApiCall) -> Value {
    let parameters: serde_json::Map<String, Value> = c
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "operation": c.operation.name(),
        "parameters": parameters,
        "mutating": c.operation.mutating(),
    })
}

fn plan(p: &MovePlan) -> Value {
    let (verdict, reasons): (&str, Vec<String>) = match &p.verdict {
        Verdict::Ready => ("ready", Vec::new()),
        Verdict::NothingToDo(why) => ("nothing-to-do", vec![why.clone()]),
        Verdict::Blocked(reasons) => ("blocked", reasons.clone()),
    };
    let steps: Vec<Value> = p
        .steps
        .iter()
        .map(|s| {
            let (seen, why) = match &s.status {
                StepStatus::Verified(seen) => (Some(seen.clone()), None),
                StepStatus::NotVerified(why) => (None, Some(why.clone())),
                _ => (None, None),
            };
            json!({
                "status": s.status.name(),
                "text": s.text,
                "seen": seen,
                "why_not_verified": why,
                "command": s.command,
                "call": s.call.as_ref().map(call),
                "precondition": s.precondition,
            })
        })
        .collect();
    json!({
        "alias": p.alias,
        "target": {
            "id": p.target.id,
            "kind": match p.target.kind {
                ResourceKind::Distribution => "distribution",
                ResourceKind::Tenant => "tenant",
            },
            "account_id": p.target.account_id,
            "provider": p.target.provider,
            "address": p.target.address,
            "status": p.target.status,
        },
        "holder": p.holder.as_ref().map(|h| json!({
            "id": h.distribution_id,
            "account_id": h.account_id,
            "same_account": h.same_account,
            "enabled": h.enabled,
            "status": h.status,
        })),
        "route": p.route.map(|r| r.name()),
        "fix": p.fix.as_ref().map(|f| json!({
            "remedy": f.remedy.name(),
            "title": f.title,
            "alternatives": f.alternatives.iter().map(|a| a.remedy.name()).collect::<Vec<_>>(),
        })),
        "steps": steps,
        "calls": p.calls.iter().map(call).collect::<Vec<_>>(),
        "edits": p.edits.iter().map(|e| json!({
            "text": e.text,
            "file": e.file,
            "line": e.line,
        })).collect::<Vec<_>>(),
        "verdict": verdict,
        "reasons": reasons,
        "notes": p.notes,
    })
}

fn logged(l: &Logged) -> Value {
    match &l.result {
        Ok(request_id) => json!({
            "call": call(&l.call),
            "result": "ok",
            "request_id": request_id,
            "error": null,
        }),
        Err(e) => json!({
            "call": call(&l.call),
            "result": "failed",
            "request_id": e.request_id,
            "error": {"operation": e.operation, "code": e.code, "message": e.message},
        }),
    }
}

/// The whole run as one document.
pub fn document(r: &MoveReport) -> Value {
    let (reasons, error): (Vec<String>, Option<String>) = match &r.ending {
        Ending::Refused(reasons) => (reasons.clone(), None),
        Ending::Failed(why) => (Vec::new(), Some(why.clone())),
        _ => (Vec::new(), None),
    };
    json!({
        "version": VERSION,
        "plan": r.plan.as_ref().map(plan),
        "outcome": {
            "result": r.ending.name(),
            "reasons": reasons,
            "error": error,
            "log": r.log.iter().map(logged).collect::<Vec<_>>(),
            "exit_code": r.exit_code(),
        },
    })
}
