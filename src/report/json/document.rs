//! The JSON report's types: what `--format json` prints, field by field.
//! The published schema (docs/schema.json) is generated from them, so the
//! two cannot drift apart; a test regenerates it and fails on a difference.
//! Field order is output order; `deny_unknown_fields` makes the schema
//! refuse fields it does not name.

use schemars::JsonSchema;
use serde::Serialize;

/// The document `cname-preflight check --format json` prints.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cname-preflight JSON report")]
pub struct Document {
    /// The version of this schema: fields are only added within a version;
    /// removing or retyping one bumps it.
    pub version: u32,
    pub tool: Tool,
    /// What was read: each plan document and each root module.
    pub inputs: Vec<Input>,
    /// Inputs that were not checked (a module that is not installed).
    pub warnings: Vec<String>,
    /// One per alias the change would add.
    pub claims: Vec<Claim>,
    /// Every finding, suppressed ones included (with `suppressed`).
    pub findings: Vec<Finding>,
    /// Inputs that could not be read.
    pub errors: Vec<InputError>,
    pub summary: Summary,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(untagged)]
pub enum Input {
    Plan {
        file: String,
        kind: PlanKind,
        /// Which document of the file (1-based) when it holds several
        /// (`terragrunt run-all show -json`); null otherwise.
        document: Option<usize>,
        format_version: String,
        terraform_version: Option<String>,
    },
    Configuration {
        /// The root module's directory.
        file: String,
        kind: ConfigurationKind,
    },
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanKind {
    Plan,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConfigurationKind {
    Configuration,
}

/// Where in an input: lines and columns are 1-based (columns count
/// characters); `offset` and `length` are bytes of the decoded text.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub length: usize,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub address: String,
    /// `aws_cloudfront_distribution` or `aws_cloudfront_distribution_tenant`.
    pub resource_type: String,
    /// Null when unknown until apply, or sensitive.
    pub alias: Option<String>,
    /// False: known only after apply.
    pub known: bool,
    pub sensitive: bool,
    /// Why the alias is unknown, when it is.
    pub unknown_reason: Option<String>,
    /// `create`, `update`, `replace`, `replace-create-before-destroy`, ...
    pub action: String,
    /// The provider block in `configuration`, when known.
    pub provider_config_key: Option<String>,
    /// The existing distribution's ID, for updates.
    pub distribution_id: Option<String>,
    pub location: Location,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The code, e.g. `alias-taken` (`cname-preflight explain CODE`).
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Null when the finding is about a resource, or the alias is sensitive.
    pub alias: Option<String>,
    pub address: Option<String>,
    pub help: String,
    /// Set when an inline or config-file ignore matched.
    pub suppressed: Option<Suppressed>,
    /// The fix as data, for the codes that have one.
    pub fix: Option<Fix>,
    /// Where the alias's DNS leads, for `dns-points-elsewhere` (and
    /// `alias-taken` when DNS points at the holder).
    pub dns: Option<Dns>,
    /// Who holds the alias, for `alias-taken`.
    pub holder: Option<Holder>,
    pub location: Location,
    pub related: Vec<Related>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppressed {
    /// `inline` (a comment in the configuration) or `config` (the config file).
    pub kind: String,
    pub reason: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// `associate-alias`, `disable-then-associate`, `keep-serving-move`,
    /// `wildcard-move`, `update-domain-association`, `aws-support`,
    /// `service-owned`, `repoint-dns` or `edit-configuration`.
    pub remedy: String,
    pub steps: Vec<Step>,
    pub alternatives: Vec<Alternative>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub remedy: String,
    /// When this way applies.
    pub when: String,
    pub steps: Vec<Step>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// `verified`, `not-met`, `not-verified` or `todo`.
    pub status: String,
    /// Why, for `not-verified`.
    pub reason: Option<String>,
    /// What was seen (a record, a value, a status), for `verified`.
    pub evidence: Option<String>,
    pub text: String,
    /// A shell command (values quoted), when the step has one.
    pub command: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dns {
    pub name: String,
    /// The CNAME chain, without the name itself.
    pub chain: Vec<String>,
    /// The CloudFront name it ends at or passes through, when known.
    pub points_to: Option<String>,
    pub distribution_id: Option<String>,
    pub account_id: Option<String>,
    /// `cname` or `route53`; null when only the addresses say CloudFront.
    pub via: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub distribution_id: String,
    pub account_id: String,
    pub same_account: bool,
    pub domain_name: Option<String>,
    pub enabled: Option<bool>,
    pub status: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub message: String,
    pub address: Option<String>,
    pub location: Location,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputError {
    /// E.g. `input::json`.
    pub code: Option<String>,
    pub file: String,
    pub message: String,
    pub help: Option<String>,
    pub location: Option<ErrorLocation>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub resources: usize,
    pub claims: usize,
    pub unique_aliases: usize,
    pub unknown_aliases: usize,
    pub findings: Counts,
    /// Findings suppressed by inline or config ignores.
    pub suppressed: usize,
    pub input_errors: usize,
    pub aws: Aws,
    pub dns: DnsSummary,
    pub minimum_failure_severity: Severity,
    /// 0 clean, 1 could not check, 2 findings at or above the threshold.
    pub exit_code: u8,
}

/// Reported findings (not suppressed) by severity.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

/// Whether AWS was asked: what it said, or why not.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(untagged)]
pub enum Aws {
    Asked {
        /// True.
        asked: bool,
        accounts: Vec<Account>,
        aliases_looked_up: usize,
        aliases_not_verified: usize,
        /// Every alias was looked up in every account (ListDomainConflicts,
        /// or ListConflictingAliases where the endpoint lacks it).
        other_accounts_checked: bool,
        lookups: Vec<Lookup>,
    },
    NotAsked(NotAsked),
}

/// Not asked: `reason` says why (`--offline`, `failed`, ...); `error`
/// says what failed.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotAsked {
    /// False.
    pub asked: bool,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub account_id: String,
    /// Provider configuration keys (`aws`, `aws.legacy`) that reach it.
    pub provider_keys: Vec<String>,
    /// How many distributions it listed; null when it could not list them.
    pub distributions: Option<usize>,
    pub error: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// Null for a sensitive alias.
    pub alias: Option<String>,
    pub account_id: String,
    pub probe_distribution_id: Option<String>,
    /// The operation that answered: `ListDomainConflicts`, or
    /// `ListConflictingAliases` where the endpoint lacks it (it does not
    /// see distribution tenants).
    pub operation: Option<String>,
    /// The name the answering query asked: the alias, or `*.parent`.
    pub query: Option<String>,
    pub conflicts: Option<usize>,
    pub error: Option<String>,
}

/// Whether DNS was asked: how many names, with which resolvers, or why not.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(untagged)]
pub enum DnsSummary {
    Asked {
        /// True.
        asked: bool,
        resolvers: Vec<String>,
        names_looked_up: usize,
        names_not_verified: usize,
    },
    NotAsked(NotAsked),
}
