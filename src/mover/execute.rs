//! Carries a plan's calls out, in order: each mutating call said before it
//! is made and logged after (with its request ID), the target's ETag read
//! just before UpdateDomainAssociation, every wait for Deployed bounded
//! (poll interval and total), and the name confirmed on the target with
//! ListDomainConflicts.

use std::time::{Duration, Instant};

use super::plan::MovePlan;
use crate::diag::{ApiCall, Operation};
use crate::facts::AwsOptions;
use crate::facts::aws::moves::{CallError, Mover};
use crate::facts::masked_matches;
use crate::model::{DomainName, ProviderConfig};

/// One mutating call and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub call: ApiCall,
    /// The request ID on success (None when AWS sent none, or the call had
    /// nothing to change), or the error.
    pub result: Result<Option<String>, CallError>,
}

/// Why a run stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A call failed.
    Call(CallError),
    /// Something else: a wait ran out, the confirmation disagrees.
    Other(String),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Call(e) => write!(f, "{e}"),
            Stop::Other(s) => f.write_str(s),
        }
    }
}

/// Where each line and the wait's progress go.
pub struct Sink<'a> {
    pub say: &'a mut dyn FnMut(&str),
    /// `(message, elapsed, bound)` while waiting; an empty message ends it.
    pub progress: &'a mut dyn FnMut(&str, Duration, Duration),
}

/// What the calls need: the clients of the target's and the source's
/// accounts, and the bounds.
pub struct Context<'a> {
    pub providers: &'a [ProviderConfig],
    pub aws: &'a AwsOptions,
    /// The longest wait for Deployed.
    pub wait: Duration,
}

/// The interval between two reads while waiting: a sixtieth of the bound,
/// at least one second and at most fifteen.
pub fn poll_interval(wait: Duration) -> Duration {
    (wait / 60).clamp(Duration::from_secs(1), Duration::from_secs(15))
}

fn provider<'a>(ctx: &'a Context, key: &str) -> Option<&'a ProviderConfig> {
    ctx.providers.iter().find(|p| p.key == key)
}

/// Makes the calls of `plan` whose operations are in `only` (the disable
/// phase, or the move phase), in order. Returns the log and how it ended.
pub fn run_calls(
    plan: &MovePlan,
    only: &[Operation],
    ctx: &Context,
    sink: &mut Sink,
    log: &mut Vec<Logged>,
) -> Result<(), Stop> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Stop::Other(format!("cannot start: {e}")))?;
    let target_provider = provider(ctx, &plan.target.provider)
        .ok_or_else(|| Stop::Other("the target's provider is gone".into()))?;
    let target = runtime.block_on(Mover::connect(target_provider, ctx.aws));
    let source = plan
        .source_provider
        .as_deref()
        .and_then(|k| provider(ctx, k))
        .map(|p| runtime.block_on(Mover::connect(p, ctx.aws)));
    let source_id = plan.holder.as_ref().map(|h| h.distribution_id.clone());
    let mut etag: Option<String> = None;
    for call in plan.calls.iter().filter(|c| only.contains(&c.operation)) {
        let param = |k: &str| call.parameter(k).unwrap_or_default().to_string();
        match call.operation {
            Operation::GetDistribution | Operation::GetDistributionTenant => {
                let id = call
                    .parameter("Id")
                    .or(call.parameter("Identifier"))
                    .unwrap_or_default();
                let state = runtime.block_on(target.read(id)).map_err(Stop::Call)?;
                (sink.say)(&format!(
                    "read the ETag of `{}`: {}",
                    crate::display::shown(id),
                    crate::display::shown(&state.etag)
                ));
                etag = Some(state.etag);
            }
            Operation::WaitDeployed => {
                let id = call
                    .parameter("Id")
                    .or(call.parameter("Identifier"))
                    .unwrap_or_default();
                let mover = if Some(id) == source_id.as_deref() && id != plan.target.id {
                    source.as_ref().unwrap_or(&target)
                } else {
                    &target
                };
                runtime.block_on(wait_deployed(mover, id, ctx.wait, sink))?;
            }
            Operation::DisableDistribution => {
                let id = param("Id");
                let mover = source
                    .as_ref()
                    .ok_or_else(|| Stop::Other("no provider reaches the source".into()))?;
                (sink.say)(&format!(
                    "calling GetDistributionConfig and UpdateDistribution (Enabled=false, IfMatch) \
                     on `{}` through provider `{}` ...",
                    crate::display::shown(&id),
                    crate::display::shown(mover.provider())
                ));
                match runtime.block_on(mover.disable_distribution(&id, &plan.alias)) {
                    // Nothing was changed: said, not logged as a call made.
                    Ok(None) => (sink.say)(&format!(
                        "`{}` is disabled already: UpdateDistribution not called",
                        crate::display::shown(&id)
                    )),
                    result => logged(sink, log, call, result)?,
                }
            }
            Operation::AssociateAlias => {
                let (to, alias) = (param("TargetDistributionId"), param("Alias"));
                (sink.say)(&format!(
                    "calling AssociateAlias TargetDistributionId={} Alias={} ...",
                    crate::display::shown(&to),
                    crate::display::shown(&alias)
                ));
                let result = runtime.block_on(target.associate_alias(&to, &alias));
                logged(sink, log, call, result)?;
            }
            Operation::UpdateDomainAssociation => {
                let domain = param("Domain");
                let to = call
                    .parameter("TargetResource.DistributionId")
                    .or(call.parameter("TargetResource.DistributionTenantId"))
                    .unwrap_or_default()
                    .to_string();
                let Some(tag) = etag.take() else {
                    return Err(Stop::Other(
                        "no ETag was read before UpdateDomainAssociation".into(),
                    ));
                };
                (sink.say)(&format!(
                    "calling UpdateDomainAssociation Domain={} TargetResource={} IfMatch={} ...",
                    crate::display::shown(&domain),
                    crate::display::shown(&to),
                    crate::display::shown(&tag)
                ));
                let result = runtime.block_on(target.update_domain_association(&domain, &to, &tag));
                // The log keeps the ETag that was sent.
                let mut sent = call.clone();
                for (k, v) in &mut sent.parameters {
                    if k == "IfMatch" {
                        *v = tag.clone();
                    }
                }
                logged(sink, log, &sent, result)?;
            }
            Operation::ListDomainConflicts => {
                let alias = param("Domain");
                runtime.block_on(confirm(&target, &plan.target.id, &alias, sink))?;
            }
        }
    }
    Ok(())
}

fn logged(
    sink: &mut Sink,
    log: &mut Vec<Logged>,
    call: &ApiCall,
    result: Result<Option<String>, CallError>,
) -> Result<(), Stop> {
    let line = match &result {
        Ok(Some(id)) if !id.is_empty() => format!(
            "{}: done (request ID {})",
            call.operation.name(),
            crate::display::shown(id)
        ),
        Ok(_) => format!("{}: done", call.operation.name()),
        Err(e) => format!("{e}"),
    };
    (sink.say)(&line);
    log.push(Logged {
        call: call.clone(),
        result: result.clone(),
    });
    result.map(|_| ()).map_err(Stop::Call)
}

/// Reads `id` until it is Deployed, at most `wait`.
async fn wait_deployed(
    mover: &Mover,
    id: &str,
    wait: Duration,
    sink: &mut Sink<'_>,
) -> Result<(), Stop> {
    let start = Instant::now();
    let poll = poll_interval(wait);
    // Bounded: one read per interval, until the bound.
    let rounds = wait.as_secs() / poll.as_secs().max(1) + 2;
    for _ in 0..rounds {
        let state = mover.read(id).await.map_err(Stop::Call)?;
        let elapsed = start.elapsed();
        if state.status == "Deployed" {
            (sink.progress)("", elapsed, wait);
            (sink.say)(&format!("`{}` is Deployed", crate::display::shown(id)));
            return Ok(());
        }
        if elapsed >= wait {
            break;
        }
        (sink.progress)(
            &format!(
                "waiting for `{}` to be Deployed (now {})",
                crate::display::shown(id),
                crate::display::shown(&state.status)
            ),
            elapsed,
            wait,
        );
        tokio::time::sleep(poll.min(wait.saturating_sub(elapsed))).await;
    }
    (sink.progress)("", start.elapsed(), wait);
    Err(Stop::Other(format!(
        "`{}` was not Deployed within {} s (--wait); run the same command again to go on",
        crate::display::shown(id),
        wait.as_secs()
    )))
}

/// The name sits on the target: ListDomainConflicts, asked with the
/// target, lists the name held by the target and by nothing else.
async fn confirm(
    mover: &Mover,
    target: &str,
    alias: &str,
    sink: &mut Sink<'_>,
) -> Result<(), Stop> {
    let name = DomainName::new(alias);
    let conflicts = mover.holders(target, alias).await.map_err(|e| {
        Stop::Other(format!(
            "ListDomainConflicts failed: {}",
            crate::display::clean(&e)
        ))
    })?;
    let exact: Vec<_> = conflicts.iter().filter(|c| c.alias == name).collect();
    let on_target = exact
        .iter()
        .any(|c| masked_matches(&c.distribution_id, target));
    let others: Vec<String> = exact
        .iter()
        .filter(|c| !masked_matches(&c.distribution_id, target))
        .map(|c| format!("`{}`", crate::display::shown(&c.distribution_id)))
        .collect();
    if on_target && others.is_empty() {
        (sink.say)(&format!(
            "ListDomainConflicts: `{}` is on `{}`",
            crate::display::shown(alias),
            crate::display::shown(target)
        ));
        return Ok(());
    }
    Err(Stop::Other(format!(
        "ListDomainConflicts does not show `{}` on `{}` alone (held by {})",
        crate::display::shown(alias),
        crate::display::shown(target),
        if others.is_empty() {
            "nothing".to_string()
        } else {
            others.join(", ")
        }
    )))
}
