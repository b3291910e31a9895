//! Findings: what the checks say about the change.
//!
//! A [`Finding`] has a stable [`Code`], a [`Severity`], a primary span on the
//! alias in the user's source, related spans, and a `help` that is the fix
//! with the real addresses filled in. Reports render findings; checks make
//! them; nothing here prints.

use std::fmt;

use crate::model::{Address, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Note, Severity::Warning, Severity::Error];

    /// The severity of a name; `notice` is `note` (tflint's and GitHub's word).
    pub fn from_name(name: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.name() == name || s.aliases().contains(&name))
    }

    /// Other names accepted for the severity.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Severity::Note => &["notice"],
            Severity::Warning | Severity::Error => &[],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $severity:ident, $summary:literal;)*) => {
        /// Stable identifiers of findings. Never rename one: users suppress
        /// and configure them by name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            /// One line: when the code is reported.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }

            /// The `explain` text: what, why CloudFront refuses it, the fix,
            /// an example.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("../docs/codes/", $name, ".md"))),*
                }
            }
        }
    };
}

codes! {
    AliasTaken => "alias-taken", Error,
        "another distribution already holds the alias";
    DuplicateInChange => "duplicate-in-change", Error,
        "two resources in the change would hold the same alias";
    ReplaceKeepsAlias => "replace-keeps-alias", Error,
        "a replacement's new distribution asks for an alias the old one still holds";
    MoveWithinChange => "move-within-change", Error,
        "an alias leaves one distribution and joins another in one apply, with no ordering";
    CertificateMissing => "certificate-missing", Error,
        "aliases on a distribution, or a tenant, that uses the default CloudFront certificate";
    CertificateDoesNotCover => "certificate-does-not-cover", Error,
        "the certificate of the distribution or tenant has no name that covers the alias";
    InvalidAlias => "invalid-alias", Error,
        "the alias is not a name CloudFront accepts";
    TooManyAliases => "too-many-aliases", Warning,
        "more aliases on one distribution than the default quota of 100";
    AliasUnknown => "alias-unknown", Warning,
        "the alias is not known until apply, so it cannot be checked";
    WildcardOverlap => "wildcard-overlap", Note,
        "the alias overlaps a wildcard held elsewhere, or the wildcard overlaps names held elsewhere: allowed in every account arrangement; says where traffic goes";
    NotVerified => "not-verified", Warning,
        "AWS or DNS could not be asked about the alias; says why and how to enable it";
    DnsPointsElsewhere => "dns-points-elsewhere", Error,
        "the alias's DNS record points at another CloudFront distribution";
    StagingHasAliases => "staging-has-aliases", Error,
        "a staging distribution (continuous deployment) with alternate domain names, which viewers never reach it by";
}

impl Code {
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A secondary location that explains a finding (the other holder, the
/// resource being destroyed...).
#[derive(Debug, Clone)]
pub struct Related {
    pub span: Span,
    pub label: String,
    pub address: Option<Address>,
    /// The input (plan file or root module directory) of the resource at
    /// this place, when it is one.
    pub input: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The alias as it may be shown (sensitive values masked); None when the
    /// finding is about a resource rather than one alias.
    pub alias: Option<String>,
    pub address: Option<Address>,
    /// The input (plan file or root module directory) of the resource the
    /// finding is about: a module's resource is one per calling root.
    pub input: Option<String>,
    pub span: Span,
    pub label: String,
    /// Whether the source text at `span` may be shown (false for sensitive values).
    pub show_source: bool,
    pub related: Vec<Related>,
    pub help: String,
    /// Who holds the alias, for `alias-taken`.
    pub holder: Option<Holder>,
    /// The checklist behind `help`, as data.
    pub fix: Option<Fix>,
    /// Where the alias's DNS leads, for `dns-points-elsewhere`.
    pub dns: Option<DnsEvidence>,
    /// Whether and why a rule suppresses it; suppressed findings do not
    /// count toward the exit code.
    pub suppressed: Option<Suppression>,
    /// What the check could not rule out, said before the fix ("the holder
    /// could be this resource itself"); part of the evidence, so no later
    /// stage can lose it.
    pub caveat: Option<String>,
    /// The other party whose DNS evidence joins this finding (the holder,
    /// the giver, the old object), for the merge stage.
    pub party: Option<Party>,
}

/// The other resource of a finding, as DNS would name it: DNS that leads
/// to it is evidence of this finding, not a finding of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub id: Option<String>,
    /// Its CloudFront domain name (`dxxxx.cloudfront.net`), when known.
    pub domain: Option<String>,
}

/// A rule said this finding does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The rule's reason (for a config rule, followed by the file).
    pub reason: String,
}

/// Where the suppressing rule is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A `# cname-preflight:ignore` comment beside the alias.
    Inline,
    /// An `ignore` block of the config file.
    Config,
}

impl SuppressionKind {
    pub fn name(self) -> &'static str {
        match self {
            SuppressionKind::Inline => "inline",
            SuppressionKind::Config => "config",
        }
    }
}

impl Finding {
    /// The help as text, made in one place from the evidence: the caveat,
    /// then the fix with every branch in full; findings with no fix keep
    /// the help their check wrote.
    pub fn compose_help(&mut self) {
        if let Some(fix) = &self.fix {
            let text = fix.render();
            self.help = match &self.caveat {
                Some(caveat) => format!("{caveat} {text}"),
                None => text,
            };
        }
    }

    /// Escapes what the prose may carry from inputs (control and
    /// bidirectional characters), once, before any report prints it.
    pub fn sanitise(&mut self) {
        use crate::display::clean;
        self.message = clean(&self.message);
        self.label = clean(&self.label);
        self.help = clean(&self.help);
        self.caveat = self.caveat.as_deref().map(clean);
        for r in &mut self.related {
            r.label = clean(&r.label);
        }
        if let Some(fix) = &mut self.fix {
            fix.title = clean(&fix.title);
            for alt in &mut fix.alternatives {
                alt.when = clean(&alt.when);
            }
            for step in fix.all_steps_mut() {
                step.text = clean(&step.text);
                step.command = step.command.as_deref().map(clean);
                if let StepStatus::NotVerified(why) | StepStatus::Verified(why) = &mut step.status {
                    *why = clean(why);
                }
            }
        }
    }
}

/// The distribution that holds an alias, as AWS described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub distribution_id: String,
    pub account_id: String,
    pub same_account: bool,
    pub domain_name: Option<String>,
    pub enabled: Option<bool>,
    pub status: Option<String>,
}

/// Which documented way of getting the alias applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Same account, standard to standard: AssociateAlias moves the alias
    /// while the source serves.
    AssociateAlias,
    /// Another account: disable the source, then move it from the target's
    /// account (UpdateDomainAssociation or AssociateAlias, TXT record).
    DisableThenAssociate,
    /// Another account, the source must keep serving: the seed Q&A's order
    /// (DNS to the target, remove from the source, add to the target); not
    /// documented by AWS, with an outage between the last two steps.
    KeepServingMove,
    /// AWS's zero-downtime move across accounts: a wildcard on the target.
    WildcardMove,
    /// UpdateDomainAssociation: a tenant on either side, the same-account
    /// alternative, or a source that may be disabled already.
    UpdateDomainAssociation,
    /// AWS Support moves the alias.
    AwsSupport,
    /// An AWS service holds it (API Gateway, Cognito, Amplify): remove the
    /// custom domain there.
    ServiceOwned,
    /// DNS points at another distribution: repoint it.
    RepointDns,
    /// The change itself must change.
    EditConfiguration,
}

impl Remedy {
    pub fn name(self) -> &'static str {
        match self {
            Remedy::AssociateAlias => "associate-alias",
            Remedy::DisableThenAssociate => "disable-then-associate",
            Remedy::KeepServingMove => "keep-serving-move",
            Remedy::WildcardMove => "wildcard-move",
            Remedy::UpdateDomainAssociation => "update-domain-association",
            Remedy::AwsSupport => "aws-support",
            Remedy::ServiceOwned => "service-owned",
            Remedy::RepointDns => "repoint-dns",
            Remedy::EditConfiguration => "edit-configuration",
        }
    }
}

/// Another way, and when it is the one to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    pub remedy: Remedy,
    /// When this branch applies: "if it must keep serving".
    pub when: String,
    pub steps: Vec<Step>,
}

/// How far a step of a fix is along, as far as the tool could see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    /// Checked: already true; what was seen (a record, a value, a status).
    Verified(String),
    /// Checked: a precondition of the move that is not true yet. What
    /// comes after the move is `Todo`, however DNS looks now.
    NotMet,
    /// Could not be checked; the reason says why.
    NotVerified(String),
    /// Something to do.
    Todo,
}

impl StepStatus {
    pub fn name(&self) -> &'static str {
        match self {
            StepStatus::Verified(_) => "verified",
            StepStatus::NotMet => "not-met",
            StepStatus::NotVerified(_) => "not-verified",
            StepStatus::Todo => "todo",
        }
    }
}

/// One step of a fix: what to do or check, and the command that does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub status: StepStatus,
    pub text: String,
    pub command: Option<String>,
    /// This step points the alias's DNS at the target: DNS facts can say
    /// whether that is done yet.
    pub points_dns: bool,
    /// The move needs this step first: DNS that contradicts it makes it
    /// `not-met`; otherwise it stays `todo`.
    pub precondition: bool,
    /// The API call the step's command makes, as data (`move` carries it
    /// out); None for steps that are not one call.
    pub call: Option<ApiCall>,
}

/// One CloudFront API call of a fix: the operation and its parameters as
/// the API reference names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCall {
    pub operation: Operation,
    /// `(name, value)` in the API's order; a value the call reads just
    /// before (an ETag) is written `ETAG`.
    pub parameters: Vec<(String, String)>,
}

impl ApiCall {
    pub fn new(operation: Operation, parameters: &[(&str, &str)]) -> ApiCall {
        ApiCall {
            operation,
            parameters: parameters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The value of a parameter.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The CloudFront operations a fix's steps name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    GetDistribution,
    GetDistributionTenant,
    /// Read a distribution until its status is Deployed
    /// (`aws cloudfront wait distribution-deployed`).
    WaitDeployed,
    AssociateAlias,
    UpdateDomainAssociation,
    /// GetDistributionConfig, then UpdateDistribution with `Enabled` false
    /// and the ETag just read.
    DisableDistribution,
    /// Who holds a name, asked with a resource of the caller's account.
    ListDomainConflicts,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetDistribution => "GetDistribution",
            Operation::GetDistributionTenant => "GetDistributionTenant",
            Operation::WaitDeployed => "GetDistribution (until Deployed)",
            Operation::AssociateAlias => "AssociateAlias",
            Operation::UpdateDomainAssociation => "UpdateDomainAssociation",
            Operation::DisableDistribution => "UpdateDistribution",
            Operation::ListDomainConflicts => "ListDomainConflicts",
        }
    }

    /// Whether the call changes anything.
    pub fn mutating(self) -> bool {
        matches!(
            self,
            Operation::AssociateAlias
                | Operation::UpdateDomainAssociation
                | Operation::DisableDistribution
        )
    }
}

impl Step {
    pub fn new(status: StepStatus, text: impl Into<String>) -> Step {
        Step {
            status,
            text: text.into(),
            command: None,
            points_dns: false,
            precondition: false,
            call: None,
        }
    }

    /// A step that is checked and true, with what was seen.
    pub fn verified(seen: impl Into<String>, text: impl Into<String>) -> Step {
        Step::new(StepStatus::Verified(seen.into()), text)
    }

    /// The move cannot happen before this step is done.
    pub fn before_move(mut self) -> Step {
        self.precondition = true;
        self
    }

    pub fn todo(text: impl Into<String>) -> Step {
        Step::new(StepStatus::Todo, text)
    }

    pub fn pointing_dns(mut self) -> Step {
        self.points_dns = true;
        self
    }

    pub fn with_command(mut self, command: impl Into<String>) -> Step {
        self.command = Some(command.into());
        self
    }

    /// The API call the command makes, as data.
    pub fn with_call(mut self, call: ApiCall) -> Step {
        self.call = Some(call);
        self
    }
}

/// A checklist: the remedy that applies and its steps in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub remedy: Remedy,
    pub title: String,
    pub steps: Vec<Step>,
    /// Other ways, each with when it applies.
    pub alternatives: Vec<Alternative>,
}

impl Fix {
    /// The checklist as text: the title, then numbered steps, each with
    /// what was verified and its command on a line of its own.
    pub fn render(&self) -> String {
        let mut out = self.title.clone();
        render_steps(&mut out, &self.steps, "");
        for alt in &self.alternatives {
            out.push_str(&format!("\nor, {} ({}):", alt.when, alt.remedy.name()));
            render_steps(&mut out, &alt.steps, "   ");
        }
        out
    }
}

impl Fix {
    /// The checklist for one screen: the primary way in full, each
    /// alternative as one line (when it applies, and the remedy's name).
    pub fn render_brief(&self) -> String {
        let mut out = self.title.clone();
        render_steps(&mut out, &self.steps, "");
        for alt in &self.alternatives {
            out.push_str(&format!(
                "\nor, {} ({}; {} step{} with --verbose)",
                alt.when,
                alt.remedy.name(),
                alt.steps.len(),
                if alt.steps.len() == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

fn render_steps(out: &mut String, steps: &[Step], indent: &str) {
    for (i, step) in steps.iter().enumerate() {
        let status = match &step.status {
            StepStatus::Verified(seen) => format!("(verified: {seen}) "),
            StepStatus::NotMet => "(not met) ".to_string(),
            StepStatus::NotVerified(why) => format!("(not verified: {why}) "),
            StepStatus::Todo => String::new(),
        };
        out.push_str(&format!("\n{indent}{}. {status}{}", i + 1, step.text));
        if let Some(command) = &step.command {
            out.push_str(&format!("\n{indent}   $ {command}"));
        }
    }
}

/// A value as one shell word: bare when it is plainly safe, else in single
/// quotes (a quote inside written `'\''`).
pub fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',')
        });
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

impl Fix {
    /// Every step of the fix and of its alternatives.
    pub fn all_steps_mut(&mut self) -> impl Iterator<Item = &mut Step> {
        self.steps.iter_mut().chain(
            self.alternatives
                .iter_mut()
                .flat_map(|a| a.steps.iter_mut()),
        )
    }
}

/// Where an alias's DNS leads, for `dns-points-elsewhere`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsEvidence {
    pub name: String,
    /// The CNAME chain, without the name itself.
    pub chain: Vec<String>,
    /// The CloudFront name it ends at or passes through, when known.
    pub points_to: Option<String>,
    pub distribution_id: Option<String>,
    pub account_id: Option<String>,
    /// `cname` or `route53`; None when only the addresses say CloudFront.
    pub via: Option<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        for code in Code::ALL {
            let name = code.name();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(Code::from_name(name), Some(*code));
            let doc = code.doc();
            assert!(doc.starts_with(&format!("# {name}\n")), "{name} doc title");
            for section in [
                "## What it means",
                // `refuses it`, or for a note, `accepts it`.
                "## Why CloudFront ",
                "## How to fix it",
                "## Example",
            ] {
                assert!(doc.contains(section), "{name} doc lacks {section}");
            }
        }
    }
}
