//! The facts of a move, gathered as `check` gathers them: the target read
//! now, then the same AWS and DNS facts and the same checks over the one
//! claim "the target adds the alias", so the fix is the check's own.

use super::target::{self, Target};
use crate::diag::{Code, Finding};
use crate::facts::{AwsFacts, DnsFacts, Facts};
use crate::input::Inputs;
use crate::model::DomainName;
use crate::source::Sources;

/// What one gathering found.
#[derive(Debug)]
pub struct Gathered {
    pub target: Target,
    pub facts: Facts,
    /// The `alias-taken` finding of the claim, with its fix; None when no
    /// other resource holds the name.
    pub taken: Option<Finding>,
    /// The check's other findings about the claim.
    pub others: Vec<Finding>,
    /// The name is on the target already.
    pub on_target: bool,
}

/// Reads the target and gathers the facts. An error is said as it may be
/// printed (escaped).
pub fn gather(
    alias: &str,
    to: &str,
    from: &Inputs,
    options: &crate::CheckOptions,
) -> Result<Gathered, String> {
    // A name CloudFront does not accept is said as the check says it,
    // before anything is asked.
    if let Err(why) = DomainName::validate(alias) {
        return Err(format!(
            "invalid-alias: `{}` is not a name CloudFront accepts: {}",
            crate::display::shown(alias),
            crate::display::clean(&why.reason())
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    let target = runtime.block_on(target::resolve(to, from, &options.aws))?;
    drop(runtime);
    let name = DomainName::new(alias);
    if target
        .state
        .aliases
        .iter()
        .any(|a| DomainName::new(a) == name)
    {
        return Ok(Gathered {
            target,
            facts: Facts::not_asked(crate::facts::NotAsked::NothingToAsk),
            taken: None,
            others: Vec::new(),
            on_target: true,
        });
    }
    let inputs = target::as_inputs(&target, alias, from, Sources::default());
    let facts = crate::fetch(&inputs, options);
    match &facts.aws {
        AwsFacts::Failed(e) => return Err(crate::display::clean(&e.to_string())),
        // Who holds the name is AWS's answer: without it there is no plan.
        AwsFacts::NotAsked(why) => {
            return Err(format!(
                "move needs AWS to say who holds the name, and AWS was not asked ({})",
                why.reason()
            ));
        }
        AwsFacts::Asked(_) => {}
    }
    if let DnsFacts::Failed(e) = &facts.dns {
        return Err(crate::display::clean(&e.to_string()));
    }
    let mut findings = crate::checks::check(&inputs, &facts);
    for f in &mut findings {
        f.sanitise();
    }
    let (taken, others): (Vec<Finding>, Vec<Finding>) = findings
        .into_iter()
        .partition(|f| f.code == Code::AliasTaken && f.fix.is_some());
    Ok(Gathered {
        target,
        facts,
        taken: taken.into_iter().next(),
        others,
        on_target: false,
    })
}
