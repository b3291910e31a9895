//! Findings: what the checks say about the change.
//!
//! A [`Finding`] has a stable [`Code`], a [`Severity`], a primary span on the
//! alias in the user's source, related spans, and a `help` that is the fix
//! with the real addresses filled in. Reports render findings; checks make
//! them; nothing here prints.

use std::fmt;

use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
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
        "aliases on a distribution that uses the default CloudFront certificate";
    CertificateDoesNotCover => "certificate-does-not-cover", Error,
        "the distribution's certificate has no name that covers the alias";
    InvalidAlias => "invalid-alias", Error,
        "the alias is not a name CloudFront accepts";
    TooManyAliases => "too-many-aliases", Warning,
        "more aliases on one distribution than the default quota of 100";
    AliasUnknown => "alias-unknown", Warning,
        "the alias is not known until apply, so it cannot be checked";
    WildcardOverlap => "wildcard-overlap", Warning,
        "the alias overlaps a wildcard held elsewhere, or the wildcard overlaps names held elsewhere";
    NotVerified => "not-verified", Warning,
        "AWS could not be asked about the alias; says why and how to enable it";
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
    pub address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The alias as it may be shown (sensitive values masked); None when the
    /// finding is about a resource rather than one alias.
    pub alias: Option<String>,
    pub address: Option<String>,
    pub span: Span,
    pub label: String,
    /// Whether the source text at `span` may be shown (false for sensitive values).
    pub show_source: bool,
    pub related: Vec<Related>,
    pub help: String,
    /// Who holds the alias, for `alias-taken`.
    pub holder: Option<Holder>,
    /// Why it is suppressed (an `ignore` in the config file); suppressed
    /// findings do not count toward the exit code.
    pub suppressed: Option<String>,
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
                "## Why CloudFront refuses it",
                "## How to fix it",
                "## Example",
            ] {
                assert!(doc.contains(section), "{name} doc lacks {section}");
            }
        }
    }
}
