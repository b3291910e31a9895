//! Facts from outside the inputs (AWS, DNS), gathered once before checks.
//!
//! Checks never do I/O: they read a [`Facts`] value. When a service is not
//! asked, its facts are empty and say why, so every report can state
//! plainly what was and was not looked up.

pub mod aws;
pub mod dns;
mod fetch;
pub mod paging;
pub mod route53;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::error::FetchError;
use crate::model::DomainName;

pub use fetch::{Ask, Claimant, fetch};

/// Everything gathered from network services for one run.
#[derive(Debug, Clone)]
pub struct Facts {
    pub aws: AwsFacts,
    pub dns: DnsFacts,
}

/// What DNS said about the aliases the change adds.
#[derive(Debug, Clone)]
pub enum DnsFacts {
    /// DNS was not asked; the reason is shown in every report.
    NotAsked(NotAsked),
    Asked(DnsAnswers),
    /// DNS could not be asked and `--on-api-error` is `fail`: the run fails.
    Failed(FetchError),
}

/// The answers for each name, or why it could not be resolved (only with
/// `--on-api-error=warn`).
#[derive(Debug, Clone, Default)]
pub struct DnsAnswers {
    /// The resolvers asked, as they are named in messages.
    pub resolvers: Vec<String>,
    pub names: BTreeMap<DomainName, Result<Resolution, String>>,
    /// Each alias's `_<alias>` TXT record: asked after AWS, only where a
    /// holder in another account makes it matter ([`dns::txt`]).
    pub txt: BTreeMap<DomainName, TxtAnswer>,
}

/// What DNS said about an alias's `_<alias>` TXT record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxtAnswer {
    /// The records found under the names asked (none: there is no record).
    Values(Vec<TxtRecord>),
    /// Not asked, and why (no holder in another account; AWS not asked; a
    /// name DNS cannot carry).
    NotAsked(String),
    /// DNS could not be asked (only with `--on-api-error=warn`).
    Failed(String),
}

/// One TXT record: the name it was found under (`_<alias>`, or for an
/// apex `_.<alias>` or the apex itself) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxtRecord {
    pub name: String,
    pub value: String,
}

/// Where a name leads in DNS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    /// The CNAME targets in order, without the name itself.
    pub chain: Vec<DomainName>,
    pub end: ChainEnd,
    /// The addresses of the chain's last name.
    pub addresses: Vec<IpAddr>,
    /// Reverse names of the addresses, read when there is no CNAME.
    pub reverse: Vec<DomainName>,
    /// The Route 53 record of a name that resolves without a CNAME.
    pub route53: Route53,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ChainEnd {
    /// The last name has addresses.
    Addresses,
    /// The last name has no address records.
    #[default]
    NoData,
    /// A name of the chain does not exist.
    NxDomain,
    /// The chain comes back to a name it passed.
    Loop,
    /// The chain is longer than [`dns::MAX_CHAIN`].
    TooLong,
    /// The chain reaches a CloudFront name (`dxxxx.cloudfront.net`), its
    /// last: what lies past it is CloudFront's, and not asked.
    CloudFront,
}

impl ChainEnd {
    pub fn name(self) -> &'static str {
        match self {
            ChainEnd::Addresses => "addresses",
            ChainEnd::NoData => "no-data",
            ChainEnd::NxDomain => "nxdomain",
            ChainEnd::Loop => "loop",
            ChainEnd::TooLong => "too-long",
            ChainEnd::CloudFront => "cloudfront",
        }
    }
}

/// What Route 53 says about a name that resolves without a CNAME.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Route53 {
    /// Not read: the name has a CNAME or does not resolve, or AWS is not asked.
    #[default]
    NotAsked,
    /// No hosted zone of a reached account has an alias record for it.
    NotFound,
    Alias(Route53Alias),
    /// Route 53 could not be read (only with `--on-api-error=warn`).
    Failed(String),
}

/// An alias record (A/AAAA) in a Route 53 hosted zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route53Alias {
    pub account_id: String,
    pub zone_id: String,
    /// The record's name (the alias, or the wildcard that answers for it).
    pub record: DomainName,
    /// The alias target: `dxxxx.cloudfront.net` for a distribution.
    pub target: DomainName,
}

impl Resolution {
    /// The first CloudFront name the name leads to: through the CNAME chain,
    /// or the target of a Route 53 alias record.
    pub fn cloudfront_name(&self) -> Option<(&DomainName, Via)> {
        let is_distribution =
            |n: &DomainName| n.as_str().ends_with(".cloudfront.net") && !dns::is_cloudfront_edge(n);
        if let Some(n) = self.chain.iter().find(|n| is_distribution(n)) {
            return Some((n, Via::Cname));
        }
        match &self.route53 {
            Route53::Alias(a) if is_distribution(&a.target) => Some((&a.target, Via::Route53)),
            _ => None,
        }
    }

    /// Whether the name reaches CloudFront's edge servers without a CNAME
    /// that names a distribution.
    pub fn reaches_cloudfront(&self) -> bool {
        self.reverse.iter().any(dns::is_cloudfront_edge)
            || self.chain.iter().any(dns::is_cloudfront_edge)
    }
}

/// How a name was found to lead to a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Cname,
    Route53,
}

impl Via {
    pub fn name(self) -> &'static str {
        match self {
            Via::Cname => "cname",
            Via::Route53 => "route53",
        }
    }
}

/// Settings for asking DNS.
#[derive(Debug, Clone)]
pub struct DnsOptions {
    /// Resolvers to ask instead of the system's.
    pub servers: Vec<SocketAddr>,
    pub timeout: Duration,
    pub on_api_error: OnApiError,
    /// How many names are asked at once (`--dns-concurrency`), each with
    /// at most two queries in flight.
    pub concurrency: usize,
}

/// With `--on-api-error=warn` a failure becomes the reason it is reported
/// with; otherwise it stops the run.
pub(crate) fn tolerate<T>(
    result: Result<T, FetchError>,
    on_api_error: OnApiError,
) -> Result<Result<T, String>, FetchError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(e) if on_api_error == OnApiError::Warn => Ok(Err(e.reason())),
        Err(e) => Err(e),
    }
}

/// Runs `jobs` at most `concurrency` at a time; results come in completion
/// order. A job that does not complete (it panicked) stops the run: a lookup
/// that went missing without a word would read as checked.
pub(crate) async fn bounded<F>(
    jobs: impl IntoIterator<Item = F>,
    concurrency: usize,
) -> Result<Vec<F::Output>, FetchError>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for job in jobs {
        let limit = limit.clone();
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            job.await
        });
    }
    let mut out = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        out.push(joined.map_err(|e| FetchError::Api {
            operation: "a concurrent lookup".into(),
            provider: "aws".into(),
            detail: e.to_string(),
        })?);
    }
    Ok(out)
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
    /// `--no-aws` was given.
    NoAws,
    /// `--no-dns` was given.
    NoDns,
    /// The other service failed with `--on-api-error fail`: the run fails,
    /// so this one was stopped instead of waited for.
    Stopped,
}

impl NotAsked {
    pub fn reason(self) -> &'static str {
        match self {
            NotAsked::Offline => "--offline",
            NotAsked::NothingToAsk => "no alias to look up",
            NotAsked::InputErrors => "an input could not be read",
            NotAsked::NoAws => "--no-aws",
            NotAsked::NoDns => "--no-dns",
            NotAsked::Stopped => "stopped: the other service could not be asked",
        }
    }
}

/// What AWS said about the accounts the inputs' providers reach.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub accounts: Vec<AccountFacts>,
    /// Names of the ACM certificates the listed distributions use, by ARN.
    pub certificates: BTreeMap<String, Result<Vec<DomainName>, String>>,
    /// The conflict lookup of each alias and asking account.
    pub lookups: Vec<AliasLookup>,
}

/// What the conflict lookup (ListDomainConflicts) said about one alias,
/// asked from one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasLookup {
    pub alias: DomainName,
    pub account_id: String,
    /// The conflicts, or why the lookup could not be made.
    pub result: Result<Probe, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The distribution or tenant of the caller's account the lookup was
    /// validated against.
    pub distribution_id: String,
    /// The operation that answered.
    pub operation: LookupOperation,
    /// The name the answering query asked: the alias, or `*.parent` for a
    /// grouped query.
    pub query: DomainName,
    pub conflicts: Vec<Conflict>,
}

/// Which operation answered a lookup.
///
/// ListDomainConflicts is the lookup: "We recommend that you use the
/// ListDomainConflicts API operation to check for domain conflicts, as it
/// supports both standard distributions and distribution tenants.
/// ListConflictingAliases performs similar checks but only supports
/// standard distributions."
/// (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDomainConflicts.html>,
/// and the guide's "Find the source standard distribution or distribution
/// tenant": <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-find-source.html>).
/// ListConflictingAliases answers only where an endpoint lacks the newer
/// operation, and then tenants elsewhere are not seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupOperation {
    DomainConflicts,
    ConflictingAliases,
}

impl LookupOperation {
    pub fn name(self) -> &'static str {
        match self {
            LookupOperation::DomainConflicts => "ListDomainConflicts",
            LookupOperation::ConflictingAliases => "ListConflictingAliases",
        }
    }
}

/// One entry of ListDomainConflicts (or ListConflictingAliases): the IDs
/// are masked by AWS (the first half replaced by `*`), except where it
/// returns them whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub alias: DomainName,
    pub distribution_id: String,
    pub account_id: String,
    /// A distribution, or a distribution tenant (ListDomainConflicts says).
    pub resource_type: ResourceType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceType {
    Distribution,
    Tenant,
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
    /// The account's connection groups (the routing endpoints its tenants
    /// are reached through), listed when it has a multi-tenant distribution.
    pub connection_groups: Vec<ConnectionGroupFacts>,
}

/// A connection group: the routing endpoint (`dxxxx.cloudfront.net`) that
/// the DNS records of its tenants' domains point at. "When you first
/// create a distribution tenant and you don't specify a connection group,
/// CloudFront will automatically create a default connection group for
/// you" (<https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ConnectionGroup.html>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionGroupFacts {
    pub id: String,
    pub name: String,
    pub routing_endpoint: DomainName,
    pub is_default: bool,
    pub enabled: bool,
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
    /// Its ACM certificate; for a tenant, its own (None when it serves its
    /// multi-tenant distribution's).
    pub certificate_arn: Option<String>,
    /// For a distribution tenant: its multi-tenant distribution's ID.
    pub tenant_of: Option<String>,
    /// For a distribution tenant: its connection group (None: the
    /// account's default group).
    pub connection_group_id: Option<String>,
    /// A staging distribution (continuous deployment): it holds no
    /// alternate domain names and viewers never reach it by name.
    pub staging: bool,
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
}

impl Facts {
    pub fn not_asked(why: NotAsked) -> Facts {
        Facts {
            aws: AwsFacts::NotAsked(why),
            dns: DnsFacts::NotAsked(why),
        }
    }

    /// Whether a service could not be asked and the run must fail.
    pub fn failed(&self) -> bool {
        matches!(self.aws, AwsFacts::Failed(_)) || matches!(self.dns, DnsFacts::Failed(_))
    }
}

impl Inventory {
    /// The routing endpoint a tenant is reached through: the group it names
    /// (`connection_group_id`), else the default group of the account its
    /// provider reaches.
    pub fn tenant_endpoint(
        &self,
        provider_key: Option<&str>,
        connection_group_id: Option<&str>,
    ) -> Option<&DomainName> {
        match connection_group_id {
            Some(id) => self
                .accounts
                .iter()
                .flat_map(|a| &a.connection_groups)
                .find(|g| g.id == id)
                .map(|g| &g.routing_endpoint),
            None => self
                .account_of(provider_key)?
                .connection_groups
                .iter()
                .find(|g| g.is_default)
                .map(|g| &g.routing_endpoint),
        }
    }

    /// The connection group whose routing endpoint is `endpoint`, with its
    /// account and the listed tenants it serves.
    pub fn by_routing_endpoint(
        &self,
        endpoint: &DomainName,
    ) -> Option<(
        &AccountFacts,
        &ConnectionGroupFacts,
        Vec<&DistributionFacts>,
    )> {
        self.accounts.iter().find_map(|a| {
            let group = a
                .connection_groups
                .iter()
                .find(|g| g.routing_endpoint == *endpoint)?;
            let tenants = a
                .distributions
                .as_ref()
                .map(|list| {
                    list.iter()
                        .filter(|d| {
                            d.tenant_of.is_some()
                                && match &d.connection_group_id {
                                    Some(id) => *id == group.id,
                                    None => group.is_default,
                                }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some((a, group, tenants))
        })
    }

    /// The listed distribution (not a tenant) whose CloudFront domain name
    /// is `domain`, with its account.
    pub fn by_domain_name(
        &self,
        domain: &DomainName,
    ) -> Option<(&AccountFacts, &DistributionFacts)> {
        self.accounts.iter().find_map(|a| {
            a.distributions.as_ref().ok()?.iter().find_map(|d| {
                (d.tenant_of.is_none() && DomainName::new(&d.domain_name) == *domain)
                    .then_some((a, d))
            })
        })
    }

    /// The listed distribution or tenant with this ID.
    pub fn by_id(&self, id: &str) -> Option<(&AccountFacts, &DistributionFacts)> {
        self.accounts.iter().find_map(|a| {
            a.distributions
                .as_ref()
                .ok()?
                .iter()
                .find(|d| d.id == id)
                .map(|d| (a, d))
        })
    }
}

/// What to do when AWS or DNS cannot be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnApiError {
    /// Stop with exit code 1: the check could not be done.
    Fail,
    /// Report `not-verified` warnings and go on.
    Warn,
}

impl OnApiError {
    pub const ALL: [OnApiError; 2] = [OnApiError::Fail, OnApiError::Warn];

    pub fn name(self) -> &'static str {
        match self {
            OnApiError::Fail => "fail",
            OnApiError::Warn => "warn",
        }
    }

    pub fn from_name(name: &str) -> Option<OnApiError> {
        OnApiError::ALL.into_iter().find(|o| o.name() == name)
    }

    pub fn description(self) -> &'static str {
        match self {
            OnApiError::Fail => "Stop with exit code 1: the check could not be done",
            OnApiError::Warn => "Report `not-verified` warnings and go on",
        }
    }
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
    /// Aliases under one parent share a `*.parent` query where a probe
    /// covers it (`--no-grouped-lookups` asks one query per alias).
    pub group_lookups: bool,
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

    #[tokio::test]
    async fn a_lookup_that_dies_stops_the_run_instead_of_going_missing() {
        let jobs = (0..4).map(|i| async move {
            if i == 2 {
                panic!("lookup {i} died");
            }
            i
        });
        let err = bounded(jobs, 2).await.unwrap_err();
        assert!(err.to_string().contains("a concurrent lookup"), "{err}");
        let ok = bounded((0..4).map(|i| async move { i * 10 }), 2)
            .await
            .unwrap();
        let mut ok = ok;
        ok.sort_unstable();
        assert_eq!(ok, [0, 10, 20, 30]);
    }
}
