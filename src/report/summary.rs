//! The summary of one run, counted once from the outcome and worded once:
//! the human and Markdown reports print its sentences, JSON its numbers.

use miette::Diagnostic;

use crate::Outcome;
use crate::diag::Severity;
use crate::facts::{AwsFacts, DnsFacts};
use crate::model::Action;

/// How many inputs of each kind Markdown names before it counts the rest.
const MAX_NAMED_INPUTS: usize = 10;

/// How a sentence marks names: plain, or as Markdown code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Plain,
    Markdown,
}

impl Markup {
    fn name(self, text: &str) -> String {
        match self {
            Markup::Plain => crate::display::shown(text),
            Markup::Markdown => super::markdown_text::code(text),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The plans read, by file name.
    pub plans: Vec<String>,
    /// The root modules read (HCL mode), by directory.
    pub config_roots: Vec<String>,
    pub resources: usize,
    /// Resources the change does something to (all of them in HCL mode).
    pub changed_resources: usize,
    pub claims: usize,
    /// Claims whose alias is known before apply.
    pub known_aliases: usize,
    pub unique_aliases: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
    pub input_errors: usize,
    pub aws: Service,
    pub dns: Service,
}

/// What one service (AWS, DNS) was asked and answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    NotAsked {
        reason: &'static str,
    },
    Asked {
        /// AWS: the accounts reached, each `ID (provider keys: N
        /// distributions)`; DNS: the resolvers.
        reached: Vec<Reached>,
        /// Aliases (AWS) or names (DNS) asked about.
        asked: usize,
        /// Of those, how many could not be answered.
        failed: usize,
        /// AWS: the operations that answered the lookups
        /// (`ListDomainConflicts`, or `ListConflictingAliases` where the
        /// endpoint lacks it); DNS: none.
        operations: Vec<&'static str>,
    },
    Failed {
        code: String,
        message: String,
    },
}

/// An account or resolver a service was reached through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    pub name: String,
    /// The provider configurations that reach an account.
    pub via: Vec<String>,
    /// The distributions listed in an account; None when listing failed.
    pub distributions: Option<usize>,
}

impl Summary {
    pub fn of(outcome: &Outcome) -> Summary {
        let inputs = &outcome.inputs;
        let by = |s: Severity| outcome.reported().filter(|f| f.severity == s).count();
        let mut unique: Vec<&str> = inputs
            .claims
            .iter()
            .filter_map(|c| c.alias.name().map(|n| n.as_str()))
            .collect();
        unique.sort_unstable();
        unique.dedup();
        Summary {
            plans: inputs.plans.iter().map(|p| p.name()).collect(),
            config_roots: inputs.config_roots.clone(),
            resources: inputs.resources.len(),
            changed_resources: inputs
                .resources
                .iter()
                .filter(|r| r.action != Action::NoOp)
                .count(),
            claims: inputs.claims.len(),
            known_aliases: inputs
                .claims
                .iter()
                .filter(|c| c.alias.name().is_some())
                .count(),
            unique_aliases: unique.len(),
            errors: by(Severity::Error),
            warnings: by(Severity::Warning),
            notes: by(Severity::Note),
            suppressed: outcome.findings.len() - outcome.reported().count(),
            input_errors: inputs.errors.len(),
            aws: aws(&outcome.facts.aws),
            dns: dns(&outcome.facts.dns),
        }
    }

    pub fn unknown_aliases(&self) -> usize {
        self.claims - self.known_aliases
    }

    /// `5 aliases added by 3 changed resources in plan.json (1 known only
    /// after apply)`.
    pub fn scope(&self, markup: Markup) -> String {
        let resources = if self.config_roots.is_empty() {
            count(
                self.changed_resources,
                "changed resource",
                "changed resources",
            )
        } else {
            count(self.changed_resources, "resource", "resources")
        };
        let mut line = format!(
            "{} added by {resources} in {}",
            count(self.known_aliases, "alias", "aliases"),
            self.inputs(markup)
        );
        if self.unknown_aliases() > 0 {
            line.push_str(&format!(
                " ({} known only after apply)",
                self.unknown_aliases()
            ));
        }
        line
    }

    /// What was read: `plan.json`, `3 plans`, `module .`, `2 root
    /// modules`, or both. Markdown (a PR comment, read once) names up to
    /// [`MAX_NAMED_INPUTS`] of each; the terminal line counts them.
    pub fn inputs(&self, markup: Markup) -> String {
        let mut parts = Vec::new();
        let named = |names: &[String], prefix: &str| {
            let mut shown: Vec<String> = names
                .iter()
                .take(MAX_NAMED_INPUTS)
                .map(|n| format!("{prefix}{}", markup.name(n)))
                .collect();
            if names.len() > MAX_NAMED_INPUTS {
                shown.push(format!("{} more", names.len() - MAX_NAMED_INPUTS));
            }
            shown.join(", ")
        };
        match (self.plans.as_slice(), markup) {
            ([], _) => {}
            ([one], _) => parts.push(markup.name(one)),
            (many, Markup::Plain) => parts.push(count(many.len(), "plan", "plans")),
            (many, Markup::Markdown) => parts.push(named(many, "")),
        }
        match (self.config_roots.as_slice(), markup) {
            ([], _) => {}
            ([one], _) => parts.push(format!("module {}", markup.name(one))),
            (many, Markup::Plain) => {
                parts.push(count(many.len(), "root module", "root modules"));
            }
            (many, Markup::Markdown) => parts.push(named(many, "module ")),
        }
        if parts.is_empty() {
            "no readable input".to_string()
        } else {
            parts.join(" and ")
        }
    }

    /// `no findings`, or `1 error, 2 warnings, 0 notes`.
    pub fn findings(&self) -> String {
        if self.errors + self.warnings + self.notes == 0 {
            "no findings".to_string()
        } else {
            format!(
                "{}, {}, {}",
                count(self.errors, "error", "errors"),
                count(self.warnings, "warning", "warnings"),
                count(self.notes, "note", "notes"),
            )
        }
    }

    /// Suppressed findings and unreadable inputs, as sentences (may be
    /// empty).
    pub fn remarks(&self) -> String {
        let mut out = String::new();
        if self.suppressed > 0 {
            out.push_str(&format!(
                " {} suppressed by ignore rules.",
                count(self.suppressed, "finding", "findings")
            ));
        }
        if self.input_errors > 0 {
            out.push_str(&format!(
                " {} could not be read.",
                count(self.input_errors, "input", "inputs")
            ));
        }
        out
    }

    /// One sentence on what AWS was asked.
    pub fn aws_sentence(&self, markup: Markup) -> String {
        match &self.aws {
            Service::NotAsked { reason } => format!(
                "AWS was not asked ({reason}): aliases already held by distributions outside \
                 these inputs were not looked up."
            ),
            Service::Asked {
                reached,
                asked,
                failed,
                operations,
            } => {
                let accounts: Vec<String> = reached
                    .iter()
                    .map(|a| {
                        let listed = match a.distributions {
                            Some(n) => count(n, "distribution", "distributions"),
                            None => "not listed".to_string(),
                        };
                        let via: Vec<String> = a.via.iter().map(|k| markup.name(k)).collect();
                        format!("{} ({}: {listed})", a.name, via.join(", "))
                    })
                    .collect();
                let others = if *asked == 0 {
                    "; distributions in other accounts were not looked up".to_string()
                } else if *failed == 0 {
                    format!(
                        "; {} looked up in all accounts ({})",
                        count(*asked, "alias", "aliases"),
                        lookup_operations(operations)
                    )
                } else {
                    format!(
                        "; {failed} of {asked} aliases could not be looked up in other accounts \
                         (see not-verified)"
                    )
                };
                let noun = if accounts.len() == 1 {
                    "account"
                } else {
                    "accounts"
                };
                format!("AWS was asked: {noun} {}{others}.", accounts.join(", "))
            }
            Service::Failed { code, message } => match markup {
                // The error itself is printed above the summary.
                Markup::Plain => {
                    format!("AWS could not be asked ({code}, above): nothing was verified.")
                }
                Markup::Markdown => format!(
                    "AWS could not be asked ({code}): {}; nothing was verified.",
                    crate::display::shown(message)
                ),
            },
        }
    }

    /// One sentence on what DNS was asked.
    pub fn dns_sentence(&self) -> String {
        match &self.dns {
            Service::NotAsked { reason } => format!(
                "DNS was not asked ({reason}): records that point at another distribution were \
                 not looked up."
            ),
            Service::Asked {
                reached,
                asked,
                failed,
                ..
            } => {
                let resolvers: Vec<&str> = reached.iter().map(|r| r.name.as_str()).collect();
                let resolvers = resolvers.join(", ");
                if *failed == 0 {
                    format!(
                        "DNS was asked: {} resolved with {resolvers}.",
                        count(*asked, "name", "names")
                    )
                } else {
                    format!(
                        "DNS was asked: {failed} of {asked} names could not be resolved with \
                         {resolvers} (see not-verified)."
                    )
                }
            }
            Service::Failed { code, .. } => {
                format!("DNS could not be asked ({code}): nothing was verified in DNS.")
            }
        }
    }
}

fn aws(facts: &AwsFacts) -> Service {
    match facts {
        AwsFacts::NotAsked(why) => Service::NotAsked {
            reason: why.reason(),
        },
        AwsFacts::Asked(inventory) => Service::Asked {
            reached: inventory
                .accounts
                .iter()
                .map(|a| Reached {
                    name: a.account_id.clone(),
                    via: a.provider_keys.clone(),
                    distributions: a.distributions.as_ref().ok().map(Vec::len),
                })
                .collect(),
            asked: inventory.lookups.len(),
            failed: inventory
                .lookups
                .iter()
                .filter(|l| l.result.is_err())
                .count(),
            operations: {
                let mut used: Vec<&'static str> = inventory
                    .lookups
                    .iter()
                    .filter_map(|l| l.result.as_ref().ok().map(|p| p.operation.name()))
                    .collect();
                used.sort_unstable();
                used.dedup();
                used
            },
        },
        AwsFacts::Failed(e) => Service::Failed {
            code: e.code().map(|c| c.to_string()).unwrap_or_default(),
            message: e.to_string(),
        },
    }
}

/// Which operations answered, and what the older one could not see.
fn lookup_operations(operations: &[&str]) -> String {
    let older = crate::facts::LookupOperation::ConflictingAliases.name();
    if operations.contains(&older) {
        format!(
            "{}: the endpoint lacks ListDomainConflicts, so distribution tenants in accounts no \
             provider reaches were not seen",
            operations.join(", ")
        )
    } else {
        operations.join(", ")
    }
}

fn dns(facts: &DnsFacts) -> Service {
    match facts {
        DnsFacts::NotAsked(why) => Service::NotAsked {
            reason: why.reason(),
        },
        DnsFacts::Asked(answers) => Service::Asked {
            reached: answers
                .resolvers
                .iter()
                .map(|r| Reached {
                    name: r.clone(),
                    via: Vec::new(),
                    distributions: None,
                })
                .collect(),
            asked: answers.names.len(),
            failed: answers.names.values().filter(|r| r.is_err()).count(),
            operations: Vec::new(),
        },
        DnsFacts::Failed(e) => Service::Failed {
            code: e.code().map(|c| c.to_string()).unwrap_or_default(),
            message: e.to_string(),
        },
    }
}

/// The words for how many of something there are: `1 alias`, `2 aliases`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(plans: usize, roots: usize) -> Summary {
        Summary {
            plans: (0..plans).map(|i| format!("p{i}.json")).collect(),
            config_roots: (0..roots).map(|i| format!("stacks/s{i}")).collect(),
            resources: 2,
            changed_resources: 2,
            claims: 3,
            known_aliases: 2,
            unique_aliases: 2,
            errors: 1,
            warnings: 0,
            notes: 0,
            suppressed: 0,
            input_errors: 0,
            aws: Service::NotAsked {
                reason: "--offline",
            },
            dns: Service::NotAsked {
                reason: "--offline",
            },
        }
    }

    #[test]
    fn the_terminal_counts_inputs_and_markdown_names_a_bounded_few() {
        assert_eq!(summary(1, 0).inputs(Markup::Plain), "p0.json");
        assert_eq!(
            summary(3, 2).inputs(Markup::Plain),
            "3 plans and 2 root modules"
        );
        assert_eq!(
            summary(2, 1).inputs(Markup::Markdown),
            "`p0.json`, `p1.json` and module `stacks/s0`"
        );
        let many = summary(12, 0).inputs(Markup::Markdown);
        assert!(many.ends_with("`p9.json`, 2 more"), "{many}");
        assert_eq!(
            summary(1, 0).scope(Markup::Plain),
            "2 aliases added by 2 changed resources in p0.json (1 known only after apply)"
        );
        assert_eq!(summary(1, 0).findings(), "1 error, 0 warnings, 0 notes");
    }
}
