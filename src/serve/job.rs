//! One run task request, from the accepted POST to the callback: fetch the
//! plan, run the check the CLI runs (in a blocking thread: the check
//! builds its own runtime for AWS and DNS), turn the outcome into a
//! result, send it. Everything within the run's deadline; a run that
//! fails for any reason is reported `failed` with the reason.

use std::sync::Arc;

use tokio::time::Instant;

use cname_preflight::CheckOptions;

use super::client::Client;
use super::log;
use super::outcome;
use super::protocol::{Status, TaskRequest, TaskResult};

/// What every run shares.
pub struct Context {
    pub client: Client,
    /// The check's settings; each run reads its plan from memory (`-`).
    pub options: CheckOptions,
    pub deadline: std::time::Duration,
}

/// An accepted request: the payload and its checked callback URL.
pub struct Job {
    pub request: TaskRequest,
    pub callback: url::Url,
    pub received: Instant,
}

/// Runs the job and sends its result.
pub async fn run(job: Job, context: Arc<Context>) {
    let deadline = job.received + context.deadline;
    let ids = ids(&job.request);
    let fields = |extra: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
        ids.iter().cloned().chain(extra.iter().cloned()).collect()
    };
    let evaluated =
        tokio::time::timeout_at(deadline, evaluate(&job.request, &context, deadline)).await;
    let (result, checked) = match evaluated {
        Ok(Evaluated::Checked(result)) => (result, true),
        Ok(Evaluated::Unchecked(result)) => (result, false),
        Err(_) => {
            let reason = format!(
                "the run took longer than {} seconds (`--run-deadline`)",
                context.deadline.as_secs()
            );
            (outcome::failed(&reason), false)
        }
    };
    let status = match result.status() {
        Status::Passed => "passed",
        Status::Failed => "failed",
    };
    let outcomes = result.data.relationships.outcomes.data.len().to_string();
    let mut logged = vec![("status", status.to_string()), ("outcomes", outcomes)];
    // A result from the check may quote the plan (an alias in an error);
    // the log gets its counts only. Other results say what went wrong
    // with the request, the URLs or the service, and are logged whole.
    if !checked {
        logged.push(("message", result.data.attributes.message.clone()));
    }
    log::info("run.checked", &pairs(&fields(&logged)));
    // The callback gets its own bounded retries, even when the check used
    // up the run's time: a result that is never sent leaves the run waiting.
    let callback_deadline = Instant::now().max(deadline) + std::time::Duration::from_secs(60);
    match context
        .client
        .report(
            &job.callback,
            job.request.access_token.secret(),
            &result,
            callback_deadline,
        )
        .await
    {
        Ok(attempts) => log::info(
            "run.reported",
            &pairs(&fields(&[("attempts", attempts.to_string())])),
        ),
        Err(why) => log::warn("run.report_failed", &pairs(&fields(&[("reason", why)]))),
    }
}

/// A result, and whether the check made it (from the plan's contents).
enum Evaluated {
    Checked(TaskResult),
    Unchecked(TaskResult),
}

/// The result of the request, without sending it.
async fn evaluate(request: &TaskRequest, context: &Context, deadline: Instant) -> Evaluated {
    let failed = |why: &str| Evaluated::Unchecked(outcome::failed(why));
    if request.is_verification() {
        return Evaluated::Unchecked(TaskResult::new(
            Status::Passed,
            "cname-preflight is reachable and the request was verified".into(),
            Vec::new(),
        ));
    }
    if !request.has_plan() {
        return failed(&format!(
            "the `{}` stage has no plan to check: attach the run task to the post-plan or pre-apply stage",
            cname_preflight::display::shown(&request.stage)
        ));
    }
    let Some(plan_url) = request.plan_json_api_url.as_deref() else {
        return failed("the request has no `plan_json_api_url`");
    };
    let plan_url = match context.client.on_tfc(plan_url) {
        Ok(url) => url,
        Err(why) => return failed(&format!("the plan JSON URL was refused: {why}")),
    };
    let plan = match context
        .client
        .plan(&plan_url, request.access_token.secret(), deadline)
        .await
    {
        Ok(plan) => plan,
        Err(why) => return failed(&why),
    };
    let options = context.options.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let mut stdin = std::io::Cursor::new(plan);
        let outcome = cname_preflight::check(&options, &mut stdin);
        outcome::result(&outcome)
    })
    .await;
    match checked {
        Ok(result) => Evaluated::Checked(result),
        Err(_) => failed("the check stopped unexpectedly"),
    }
}

/// The request's identifiers, for the log.
pub fn ids(request: &TaskRequest) -> Vec<(&'static str, String)> {
    let mut ids = vec![("stage", request.stage.clone())];
    for (name, value) in [
        ("run_id", &request.run_id),
        ("task_result_id", &request.task_result_id),
        ("workspace", &request.workspace_name),
        ("organization", &request.organization_name),
    ] {
        if let Some(v) = value {
            ids.push((name, v.clone()));
        }
    }
    ids
}

/// Borrowed pairs for [`log::event`].
pub fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
