//! The data every stage shares: what the inputs say the change will do.
//!
//! Inputs build [`Resource`]s (one per CloudFront distribution or tenant in
//! the change, including unchanged ones, because they hold aliases too) and
//! [`Claim`]s (one per alias the change would add). Checks read both; nothing
//! here does I/O or formats output.

use std::fmt;

/// Index of a [`crate::source::Source`] in [`crate::source::Sources`].
pub type SourceId = usize;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub source: SourceId,
    pub offset: usize,
    pub len: usize,
}

/// An alternate domain name, normalised the way CloudFront compares them:
/// lowercase, without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainName(String);

impl DomainName {
    pub fn new(raw: &str) -> Self {
        DomainName(raw.trim().trim_end_matches('.').to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_wildcard(&self) -> bool {
        self.0.starts_with("*.")
    }

    /// `www.example.com` -> `example.com`; None for an apex such as
    /// `example.com` or `example.co.uk`.
    pub fn parent(&self) -> Option<&str> {
        let labels: Vec<&str> = self.0.split('.').collect();
        let second_level = ["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"];
        let apex_labels = match labels.as_slice() {
            [.., sld, tld] if tld.len() == 2 && second_level.contains(sld) => 3,
            _ => 2,
        };
        if labels.len() > apex_labels {
            self.0.split_once('.').map(|(_, parent)| parent)
        } else {
            None
        }
    }

    /// The TXT record names AWS documents for moving this alias:
    /// `_www.example.com`, `_*.example.com`; for an apex also
    /// `_.example.com`, or the apex itself where the DNS provider allows a
    /// TXT record there.
    pub fn txt_names(&self) -> Vec<String> {
        let mut names = vec![format!("_{}", self.0)];
        if self.is_apex() {
            names.push(format!("_.{}", self.0));
            names.push(self.0.clone());
        }
        names
    }

    /// The TXT record a move across accounts reads: `_<name>`, and for an
    /// apex `_.<name>` (`_example.com` would be a name in the parent zone)
    /// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html>).
    pub fn move_txt_name(&self) -> String {
        if self.is_apex() {
            format!("_.{}", self.0)
        } else {
            format!("_{}", self.0)
        }
    }

    fn is_apex(&self) -> bool {
        self.parent().is_none() && !self.is_wildcard()
    }

    /// Whether a wildcard alias of one distribution and a name of another
    /// overlap when CloudFront routes requests: `*.x` answers for every name
    /// below `x`, at any depth.
    pub fn overlaps(&self, other: &DomainName) -> bool {
        let below = |wild: &DomainName, name: &DomainName| {
            wild.0
                .strip_prefix('*')
                .is_some_and(|suffix| name.0.len() > suffix.len() && name.0.ends_with(suffix))
        };
        self != other
            && ((self.is_wildcard() && below(self, other))
                || (other.is_wildcard() && below(other, self)))
    }

    /// Whether a certificate name (`name`, possibly `*.x`) covers this alias.
    /// A wildcard certificate name covers exactly one label, and a wildcard
    /// alias is covered only by the same wildcard.
    pub fn is_covered_by(&self, name: &DomainName) -> bool {
        if self == name {
            return true;
        }
        match name.0.strip_prefix("*.") {
            Some(parent) if !self.is_wildcard() => self
                .0
                .strip_suffix(parent)
                .and_then(|head| head.strip_suffix('.'))
                .is_some_and(|label| !label.is_empty() && !label.contains('.')),
            _ => false,
        }
    }

    /// Why CloudFront would refuse this string as an alias, if it would.
    pub fn validate(raw: &str) -> Result<(), InvalidAlias> {
        if raw.is_empty() {
            return Err(InvalidAlias::Empty);
        }
        if raw.trim() != raw {
            return Err(InvalidAlias::Whitespace);
        }
        if !raw.is_ascii() {
            return Err(InvalidAlias::NonAscii);
        }
        if raw.ends_with('.') {
            return Err(InvalidAlias::TrailingDot);
        }
        if raw.len() > 253 {
            return Err(InvalidAlias::TooLong(raw.len()));
        }
        if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(InvalidAlias::Uppercase);
        }
        for (i, label) in raw.split('.').enumerate() {
            if label.is_empty() {
                return Err(InvalidAlias::EmptyLabel);
            }
            if label.len() > 63 {
                return Err(InvalidAlias::LabelTooLong(label.to_string()));
            }
            if label.contains('*') && (i != 0 || label != "*") {
                return Err(InvalidAlias::BadWildcard);
            }
            if let Some(c) = label
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*')))
            {
                return Err(InvalidAlias::BadCharacter(c));
            }
        }
        if raw == "*" || !raw.contains('.') && raw.starts_with('*') {
            return Err(InvalidAlias::BadWildcard);
        }
        Ok(())
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a string is not a valid CloudFront alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidAlias {
    Empty,
    Whitespace,
    NonAscii,
    TrailingDot,
    TooLong(usize),
    Uppercase,
    EmptyLabel,
    LabelTooLong(String),
    BadWildcard,
    BadCharacter(char),
}

impl InvalidAlias {
    pub fn reason(&self) -> String {
        match self {
            InvalidAlias::Empty => "the alias is an empty string".into(),
            InvalidAlias::Whitespace => "the alias has leading or trailing white space".into(),
            InvalidAlias::NonAscii => "the alias has non-ASCII characters".into(),
            InvalidAlias::TrailingDot => "the alias ends with a dot".into(),
            InvalidAlias::TooLong(n) => format!("the alias is {n} characters long; at most 253"),
            InvalidAlias::Uppercase => "the alias has uppercase letters".into(),
            InvalidAlias::EmptyLabel => {
                "the alias has an empty label (`..` or a leading dot)".into()
            }
            InvalidAlias::LabelTooLong(l) => {
                format!("the label `{l}` is {} characters long; at most 63", l.len())
            }
            InvalidAlias::BadWildcard => {
                "a wildcard must be the whole leftmost label, as in `*.example.com`".into()
            }
            InvalidAlias::BadCharacter(c) => format!("the character `{c}` is not allowed"),
        }
    }

    pub fn fix(&self, raw: &str) -> String {
        match self {
            InvalidAlias::Whitespace => format!("use `{}`", raw.trim()),
            InvalidAlias::TrailingDot => format!("use `{}`", raw.trim_end_matches('.')),
            InvalidAlias::Uppercase => format!("use `{}`", raw.to_ascii_lowercase()),
            InvalidAlias::NonAscii => {
                "write internationalised names in their punycode form (`xn--...`)".into()
            }
            _ => "use a fully qualified domain name of letters, digits, `-` and `.`, \
                  optionally starting with `*.`"
                .into(),
        }
    }
}

/// What Terraform will do to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NoOp,
    Create,
    Read,
    Update,
    Replace(ReplaceOrder),
    Delete,
    Forget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaceOrder {
    /// `["delete", "create"]`, Terraform's default.
    DestroyBeforeCreate,
    /// `["create", "delete"]`, from `lifecycle { create_before_destroy = true }`.
    CreateBeforeDestroy,
}

impl Action {
    /// The name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Action::NoOp => "no-op",
            Action::Create => "create",
            Action::Read => "read",
            Action::Update => "update",
            Action::Replace(ReplaceOrder::DestroyBeforeCreate) => "replace",
            Action::Replace(ReplaceOrder::CreateBeforeDestroy) => "replace-create-before-destroy",
            Action::Delete => "delete",
            Action::Forget => "forget",
        }
    }

    /// Whether the object that exists before the apply goes away.
    pub fn destroys(self) -> bool {
        matches!(self, Action::Delete | Action::Replace(_))
    }
}

/// Why the plan replaces a resource, as Terraform's `action_reason` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaceReason {
    /// `replace_because_tainted`.
    Tainted,
    /// `replace_by_request`: `terraform apply -replace=ADDRESS`.
    Requested,
    /// `replace_because_cannot_update`: an argument forces a new resource.
    CannotUpdate,
}

impl ReplaceReason {
    /// The reason of a plan's `action_reason` value; None for the reasons
    /// that are not about replacing (or are unknown).
    pub fn from_plan(value: &str) -> Option<ReplaceReason> {
        match value {
            "replace_because_tainted" => Some(ReplaceReason::Tainted),
            "replace_by_request" => Some(ReplaceReason::Requested),
            "replace_because_cannot_update" => Some(ReplaceReason::CannotUpdate),
            _ => None,
        }
    }
}

/// Where a resource was read from, which decides what is known of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A plan: the action and the existing object are Terraform's.
    Plan,
    /// `.tf` configuration: the action is assumed (create, or update when
    /// an ID is known), and the resource may exist under an ID not known here.
    Configuration,
    /// `.tf` configuration with a state: an ID-less resource is known not
    /// to exist yet.
    ConfigurationWithState,
}

impl Origin {
    /// Whether the resource comes from `.tf` files rather than a plan.
    pub fn is_configuration(self) -> bool {
        self != Origin::Plan
    }
}

/// A resource instance's Terraform address, and for a deposed object (the
/// old half of a create-before-destroy replacement, still in the state
/// under a key) that key. Displayed as Terraform's own messages show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    /// `module.a["x"].aws_cloudfront_distribution.site`.
    pub path: String,
    pub deposed: Option<String>,
}

impl Address {
    pub fn new(path: impl Into<String>) -> Address {
        Address {
            path: path.into(),
            deposed: None,
        }
    }

    /// The address Terraform commands take (without the deposed key).
    pub fn as_str(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.deposed {
            Some(key) => write!(f, "{} (deposed object {key})", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// The Terraform resource types the inputs read, named once.
pub mod types {
    pub const DISTRIBUTION: &str = "aws_cloudfront_distribution";
    pub const TENANT: &str = "aws_cloudfront_distribution_tenant";
    pub const CERTIFICATE: &str = "aws_acm_certificate";
    pub const CERTIFICATE_VALIDATION: &str = "aws_acm_certificate_validation";
    pub const RECORD: &str = "aws_route53_record";
    pub const CONNECTION_GROUP: &str = "aws_cloudfront_connection_group";
    /// The multi-tenant distribution a tenant belongs to.
    pub const MULTI_TENANT: &str = "aws_cloudfront_multitenant_distribution";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Distribution,
    Tenant,
}

impl ResourceKind {
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::Distribution => types::DISTRIBUTION,
            ResourceKind::Tenant => types::TENANT,
        }
    }
}

/// One alias as written in a resource's planned (after) state.
#[derive(Debug, Clone)]
pub struct AliasEntry {
    pub value: AliasValue,
    pub span: Span,
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasValue {
    Known {
        raw: String,
        name: DomainName,
    },
    /// Not known until apply; the reason names what it depends on.
    Unknown {
        reason: String,
    },
}

impl AliasValue {
    pub fn known(raw: &str) -> Self {
        AliasValue::Known {
            raw: raw.to_string(),
            name: DomainName::new(raw),
        }
    }

    pub fn name(&self) -> Option<&DomainName> {
        match self {
            AliasValue::Known { name, .. } => Some(name),
            AliasValue::Unknown { .. } => None,
        }
    }

    /// The name to check against AWS and certificates: known, and valid as
    /// written. An invalid alias is reported as `invalid-alias` instead.
    pub fn checkable(&self) -> Option<&DomainName> {
        match self {
            AliasValue::Known { raw, name } if DomainName::validate(raw).is_ok() => Some(name),
            _ => None,
        }
    }
}

/// The certificate a distribution will serve its aliases with, as far as the
/// inputs tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateUse {
    /// `cloudfront_default_certificate = true` with no ACM or IAM certificate.
    CloudFrontDefault,
    /// An ACM certificate; `names` are its domain name and SANs when known.
    Acm {
        arn: Option<String>,
        /// Address of an `aws_acm_certificate` in the same change, if found.
        resource: Option<String>,
        names: Option<Vec<DomainName>>,
    },
    Iam {
        id: String,
    },
    /// A tenant's `managed_certificate_request`: CloudFront "gets an
    /// HTTP-validated certificate from ACM on your behalf" for the domains
    /// the tenant adds
    /// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/managed-cloudfront-certificates.html>),
    /// so it covers them.
    Managed,
    /// A tenant with no certificate of its own: "the tenant inherits the
    /// shared AWS Certificate Manager (ACM) certificate from the
    /// multi-tenant distribution"
    /// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/managed-cloudfront-certificates.html>),
    /// which AWS describes: `distribution_id` is that distribution's ID
    /// when the plan knows it.
    Parent {
        distribution_id: Option<String>,
    },
    Unknown,
}

/// A CloudFront distribution or tenant in the change, whatever its action.
#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: ResourceKind,
    pub address: Address,
    /// The input file the resource comes from.
    pub file: String,
    /// The module instance address (`module.a["x"]`), empty in the root.
    pub module_address: String,
    pub action: Action,
    /// Why Terraform replaces it, as the plan says.
    pub replace_reason: Option<ReplaceReason>,
    pub provider_key: Option<String>,
    /// The span of the `address` string, for labels about the whole resource.
    pub span: Span,
    /// Aliases of the existing object (empty when created).
    pub before: Vec<DomainName>,
    /// Aliases the object will have after apply.
    pub after: Vec<AliasEntry>,
    /// The span of the `aliases` array (or `domain` blocks) in `after`.
    pub after_span: Option<Span>,
    pub distribution_id: Option<String>,
    /// For a tenant: the multi-tenant distribution it belongs to.
    pub parent_distribution_id: Option<String>,
    pub domain_name: Option<String>,
    pub retain_on_delete: bool,
    pub wait_for_deployment: bool,
    /// A staging distribution (`staging = true`, continuous deployment).
    pub staging: bool,
    /// For a tenant: the connection group it names (`connection_group_id`),
    /// None for the account's default group.
    pub connection_group_id: Option<String>,
    pub certificate: CertificateUse,
    /// Addresses this resource's configuration depends on (`depends_on` and
    /// references), resolved to absolute module paths where possible.
    pub depends_on: Vec<String>,
    pub origin: Origin,
}

/// A Route 53 record the change creates, updates or replaces: when it is
/// the DNS record of an alias and its value is a distribution's
/// `domain_name`, it can only change after that distribution does.
#[derive(Debug, Clone)]
pub struct DnsRecord {
    pub address: String,
    pub span: Span,
    /// The record's name as planned: absolute, or relative to its zone.
    pub name: String,
    /// The resources (absolute addresses, without instance keys of their
    /// own) whose attributes the record's `records` or `alias` refer to.
    pub refers_to: Vec<String>,
}

impl DnsRecord {
    /// Whether this record is the record of `alias`: the same name, or a
    /// name relative to its zone (`www` for `www.example.com`).
    pub fn is_record_of(&self, alias: &DomainName) -> bool {
        let name = DomainName::new(&self.name.replace("\\052", "*"));
        name == *alias
            || (!name.as_str().is_empty()
                && alias
                    .as_str()
                    .strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with('.')))
    }

    /// Whether the record's value refers to the resource at `address`.
    pub fn refers_to(&self, address: &str) -> bool {
        let plain = crate::input::address::strip_keys(address);
        self.refers_to.iter().any(|r| r == address || *r == plain)
    }
}

/// An `aws` provider block of the configuration, with the constant values
/// that decide which account it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    /// The key resources refer to: `aws`, `aws.legacy`, `module.x:aws`.
    pub key: String,
    pub profile: Option<String>,
    pub role_arn: Option<String>,
    pub region: Option<String>,
}

#[cfg(test)]
impl Resource {
    /// A distribution for tests: `before` and `after` aliases, every span at
    /// the start of source `source`, everything else at its plain default.
    pub fn for_test(
        address: &str,
        source: SourceId,
        action: Action,
        before: &[&str],
        after: &[&str],
    ) -> Resource {
        let span = Span {
            source,
            offset: 0,
            len: 1,
        };
        Resource {
            kind: ResourceKind::Distribution,
            address: Address::new(address),
            file: "plan.json".into(),
            module_address: String::new(),
            action,
            replace_reason: None,
            provider_key: Some("aws".into()),
            span,
            before: before.iter().map(|a| DomainName::new(a)).collect(),
            after: after
                .iter()
                .map(|a| AliasEntry {
                    value: AliasValue::known(a),
                    span,
                    sensitive: false,
                })
                .collect(),
            after_span: None,
            distribution_id: None,
            parent_distribution_id: None,
            domain_name: None,
            retain_on_delete: false,
            wait_for_deployment: true,
            staging: false,
            connection_group_id: None,
            certificate: CertificateUse::Unknown,
            depends_on: Vec::new(),
            origin: Origin::Plan,
        }
    }
}

/// One alias the change would add to a distribution or tenant.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Index into the resources list.
    pub resource: usize,
    pub alias: AliasValue,
    pub span: Span,
    pub sensitive: bool,
}

impl Claim {
    /// The alias as it may be printed in a message: sensitive values
    /// masked, others escaped and shortened.
    pub fn shown(&self) -> String {
        crate::display::shown(&self.display())
    }

    /// The alias as it may be given to tools (JSON): sensitive values
    /// masked, others exact.
    pub fn display(&self) -> String {
        match (&self.alias, self.sensitive) {
            (_, true) => "(sensitive value)".to_string(),
            (AliasValue::Known { raw, .. }, false) => raw.clone(),
            (AliasValue::Unknown { .. }, false) => "(known after apply)".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> DomainName {
        DomainName::new(s)
    }

    #[test]
    fn normalises_case_and_trailing_dot() {
        assert_eq!(n("WWW.Example.com."), n("www.example.com"));
    }

    #[test]
    fn wildcard_certificate_covers_one_label() {
        assert!(n("a.example.com").is_covered_by(&n("*.example.com")));
        assert!(!n("a.b.example.com").is_covered_by(&n("*.example.com")));
        assert!(!n("example.com").is_covered_by(&n("*.example.com")));
        assert!(n("*.example.com").is_covered_by(&n("*.example.com")));
        assert!(!n("*.example.com").is_covered_by(&n("example.com")));
        assert!(!n("xexample.com").is_covered_by(&n("*.example.com")));
    }

    #[test]
    fn apex_names_have_no_parent_and_more_txt_names() {
        assert_eq!(n("www.example.com").parent(), Some("example.com"));
        assert_eq!(n("example.com").parent(), None);
        assert_eq!(n("example.co.uk").parent(), None);
        assert_eq!(n("a.example.co.uk").parent(), Some("example.co.uk"));
        assert_eq!(n("www.example.com").txt_names(), ["_www.example.com"]);
        assert_eq!(n("*.example.com").txt_names(), ["_*.example.com"]);
        assert_eq!(
            n("example.com").txt_names(),
            ["_example.com", "_.example.com", "example.com"]
        );
    }

    #[test]
    fn wildcards_overlap_at_any_depth() {
        assert!(n("*.example.com").overlaps(&n("a.b.example.com")));
        assert!(n("www.example.com").overlaps(&n("*.example.com")));
        assert!(!n("example.com").overlaps(&n("*.example.com")));
        assert!(!n("*.example.com").overlaps(&n("*.example.com")));
        assert!(!n("www.example.org").overlaps(&n("*.example.com")));
        assert!(n("*.a.example.com").overlaps(&n("*.example.com")));
    }

    #[test]
    fn only_valid_known_aliases_are_checkable() {
        assert_eq!(
            AliasValue::known("www.example.com").checkable(),
            Some(&n("www.example.com"))
        );
        assert_eq!(AliasValue::known("WWW.example.com").checkable(), None);
        assert_eq!(AliasValue::known("www.example.com.").checkable(), None);
        let unknown = AliasValue::Unknown {
            reason: String::new(),
        };
        assert_eq!(unknown.checkable(), None);
    }

    #[test]
    fn validates_aliases() {
        assert!(DomainName::validate("www.example.com").is_ok());
        assert!(DomainName::validate("*.example.com").is_ok());
        assert!(DomainName::validate("_acme.example.com").is_ok());
        assert_eq!(
            DomainName::validate("www.example.com."),
            Err(InvalidAlias::TrailingDot)
        );
        assert_eq!(
            DomainName::validate("WWW.example.com"),
            Err(InvalidAlias::Uppercase)
        );
        assert_eq!(
            DomainName::validate("a.*.example.com"),
            Err(InvalidAlias::BadWildcard)
        );
        assert_eq!(
            DomainName::validate("*foo.example.com"),
            Err(InvalidAlias::BadWildcard)
        );
        assert_eq!(DomainName::validate("*"), Err(InvalidAlias::BadWildcard));
        assert_eq!(
            DomainName::validate("a..example.com"),
            Err(InvalidAlias::EmptyLabel)
        );
        assert_eq!(
            DomainName::validate("bücher.example"),
            Err(InvalidAlias::NonAscii)
        );
        assert_eq!(
            DomainName::validate("a b.example.com"),
            Err(InvalidAlias::BadCharacter(' '))
        );
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert!(matches!(
            DomainName::validate(&long_label),
            Err(InvalidAlias::LabelTooLong(_))
        ));
        let long = format!("{}example.com", "abcdefghi.".repeat(25));
        assert_eq!(DomainName::validate(&long), Err(InvalidAlias::TooLong(261)));
    }
}
