//! Facts from outside the inputs (AWS), gathered once before checks.
//!
//! Checks never do I/O: they read a [`Facts`] value. When AWS is not asked,
//! facts are empty and say why, so every report can state plainly what was
//! and was not looked up.

pub mod aws;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::model::DomainName;

/// Everything gathered from network services for one run.
#[derive(Debug, Clone)]
pub struct Facts {
    pub aws: AwsFacts,
}

#[derive(Debug, Clone)]
pub enum AwsFacts {
    /// AWS was not asked; the reason is shown in every report.
    NotAsked(NotAsked),
    Asked(Inventory),
    /// AWS could not be asked and `--on-api-error` is `fail`: the run fails.
    Failed(crate::error::FetchError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAsked {
    /// `--offline` was given.
    Offline,
    /// The inputs add no alias, so there is nothing to ask about.
    NothingToAsk,
    /// An input could not be read; the run fails without asking.
    InputErrors,
}

impl NotAsked {
    pub fn reason(self) -> &'static str {
        match self {
            NotAsked::Offline => "--offline",
            NotAsked::NothingToAsk => "no alias to look up",
            NotAsked::InputErrors => "an input could not be read",
        }
    }
}

/// What AWS said about the accounts the inputs' providers reach.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub accounts: Vec<AccountFacts>,
    /// Names of the ACM certificates the listed distributions use, by ARN.
    pub certificates: BTreeMap<String, Result<Vec<DomainName>, String>>,
    /// ListConflictingAliases per alias and asking account.
    pub lookups: Vec<AliasLookup>,
}

/// One alias to look up, from the account of the resource that claims it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub alias: DomainName,
    pub provider_key: Option<String>,
    /// The claiming distribution's ID when it exists already.
    pub target_id: Option<String>,
    /// The ACM certificate the claiming distribution will use, when the plan
    /// gives its ARN but not its names.
    pub certificate_arn: Option<String>,
    /// For a tenant's domain: the multi-tenant distribution, looked up with
    /// ListDomainConflicts instead of ListConflictingAliases.
    pub tenant_of: Option<Option<String>>,
}

/// What ListConflictingAliases said about one alias, asked from one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasLookup {
    pub alias: DomainName,
    pub account_id: String,
    /// The conflicts, or why the lookup could not be made.
    pub result: Result<Probe, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The distribution of the caller's account the lookup was made with.
    pub distribution_id: String,
    pub conflicts: Vec<Conflict>,
}

/// One entry of ListConflictingAliases: the IDs are masked by AWS (the
/// first half replaced by `*`), except where it returns them whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub alias: DomainName,
    pub distribution_id: String,
    pub account_id: String,
}

/// Whether a masked ID (`******789012`) can be `full`: same length, same
/// visible suffix.
pub fn masked_matches(masked: &str, full: &str) -> bool {
    let visible = masked.trim_start_matches('*');
    masked.len() == full.len() && !visible.is_empty() && full.ends_with(visible)
}

/// One account, as reached through one or more provider configurations.
#[derive(Debug, Clone)]
pub struct AccountFacts {
    pub account_id: String,
    /// Provider configuration keys (`aws`, `aws.legacy`) that reach it.
    pub provider_keys: Vec<String>,
    /// The account's distributions, or why they could not be listed (only
    /// with `--on-api-error=warn`; otherwise that stops the run).
    pub distributions: Result<Vec<DistributionFacts>, String>,
}

/// A distribution as ListDistributions describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionFacts {
    pub id: String,
    pub arn: String,
    pub domain_name: String,
    pub status: String,
    pub enabled: bool,
    pub aliases: Vec<DomainName>,
    pub certificate_arn: Option<String>,
    /// For a distribution tenant: its multi-tenant distribution's ID.
    pub tenant_of: Option<String>,
}

impl DistributionFacts {
    /// How to name it: `distribution `E1...`` or `tenant `dt_...` (of `E2...`)`.
    pub fn describe(&self) -> String {
        match &self.tenant_of {
            Some(parent) => format!("tenant `{}` (of distribution `{parent}`)", self.id),
            None => format!("distribution `{}`", self.id),
        }
    }
}

impl Inventory {
    /// The account a provider configuration key reaches; resources whose key
    /// is unknown use the default `aws` provider.
    pub fn account_of(&self, provider_key: Option<&str>) -> Option<&AccountFacts> {
        let key = provider_key.unwrap_or("aws");
        let by_key = |k: &str| {
            self.accounts
                .iter()
                .find(|a| a.provider_keys.iter().any(|p| p == k))
        };
        by_key(key)
            .or_else(|| by_key(key.rsplit(':').next().unwrap_or(key)))
            .or_else(|| by_key("aws"))
            .or(self.accounts.first())
    }

    /// The lookup for `alias` made from `account_id`.
    pub fn lookup(&self, alias: &DomainName, account_id: &str) -> Option<&AliasLookup> {
        self.lookups
            .iter()
            .find(|l| &l.alias == alias && l.account_id == account_id)
    }

    /// The listed distribution a masked conflict entry stands for, if any.
    pub fn unmask(&self, conflict: &Conflict) -> Option<(&AccountFacts, &DistributionFacts)> {
        self.accounts.iter().find_map(|a| {
            if !masked_matches(&conflict.account_id, &a.account_id) {
                return None;
            }
            let list = a.distributions.as_ref().ok()?;
            list.iter()
                .find(|d| masked_matches(&conflict.distribution_id, &d.id))
                .map(|d| (a, d))
        })
    }

    /// Every listed distribution that holds exactly `name`, with its account.
    pub fn holders<'a>(
        &'a self,
        name: &DomainName,
    ) -> Vec<(&'a AccountFacts, &'a DistributionFacts)> {
        let mut out = Vec::new();
        for account in &self.accounts {
            if let Ok(list) = &account.distributions {
                for d in list {
                    if d.aliases.contains(name) {
                        out.push((account, d));
                    }
                }
            }
        }
        out
    }
}

impl Facts {
    pub fn not_asked(why: NotAsked) -> Facts {
        Facts {
            aws: AwsFacts::NotAsked(why),
        }
    }
}

/// What to do when AWS cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnApiError {
    /// Stop with exit code 1: the check could not be done.
    Fail,
    /// Report `not-verified` warnings and go on.
    Warn,
}

/// Settings for asking AWS.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub assume_role: Option<String>,
    /// `KEY=PROFILE` overrides per provider configuration key.
    pub provider_profiles: Vec<(String, String)>,
    pub endpoint_url: Option<String>,
    pub timeout: Duration,
    pub on_api_error: OnApiError,
    /// Distribution to look conflicts up with when no other qualifies.
    pub probe_distribution: Option<String>,
    /// How many lookups run at once.
    pub concurrency: usize,
    /// Told what the AWS phase is doing (the binary shows it on a terminal);
    /// an empty message means the phase is over.
    pub progress: Option<fn(&str)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_ids_match_by_length_and_suffix() {
        assert!(masked_matches("******789012", "123456789012"));
        assert!(!masked_matches("******789012", "1234567890123"));
        assert!(!masked_matches("******789013", "123456789012"));
        assert!(masked_matches("E2QX7EXAMPLE9Z", "E2QX7EXAMPLE9Z"));
        assert!(!masked_matches("**************", "E2QX7EXAMPLE9Z"));
    }
}
