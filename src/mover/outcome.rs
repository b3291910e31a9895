//! How a `move` run ended, and its exit code.

use super::execute::Logged;
use super::plan::{MovePlan, Verdict};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The plan was printed and nothing was called (no `--yes`).
    Planned,
    /// The name is on the target already, or nobody else holds it.
    NothingToDo,
    /// `--yes` refused: the reasons.
    Refused(Vec<String>),
    /// Moved, Deployed, and confirmed with ListDomainConflicts.
    Moved,
    /// Something failed: the facts could not be gathered, or a call or a
    /// wait failed (escaped, as it may be printed).
    Failed(String),
}

impl Ending {
    pub fn name(&self) -> &'static str {
        match self {
            Ending::Planned => "planned",
            Ending::NothingToDo => "nothing-to-do",
            Ending::Refused(_) => "refused",
            Ending::Moved => "moved",
            Ending::Failed(_) => "failed",
        }
    }
}

/// What one run planned and did.
#[derive(Debug, Clone)]
pub struct MoveReport {
    /// The last plan made (after the facts were gathered again, when they
    /// were); None when the facts could not be gathered.
    pub plan: Option<MovePlan>,
    /// Every mutating call, with its result.
    pub log: Vec<Logged>,
    pub ending: Ending,
}

impl MoveReport {
    /// 0: moved, nothing to do, or a plan `--yes` would carry out;
    /// 1: a failure, or `--yes` refused; 2: a plan printed that `--yes`
    /// would refuse (check's "findings").
    pub fn exit_code(&self) -> u8 {
        match &self.ending {
            Ending::Failed(_) | Ending::Refused(_) => crate::exit::ERROR,
            Ending::Planned => match self.plan.as_ref().map(|p| &p.verdict) {
                Some(Verdict::Blocked(_)) => crate::exit::FINDINGS,
                _ => crate::exit::CLEAN,
            },
            Ending::NothingToDo | Ending::Moved => crate::exit::CLEAN,
        }
    }
}
