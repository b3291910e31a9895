//! The policy stage: what a run does with its findings after the checks.
//! A severity per code (or off), and suppressions of two kinds applied in
//! one pass: inline ones written in the configuration
//! (`# cname-preflight:ignore`, read by the input layer) and the config
//! file's `ignore` blocks, each with a reason and perhaps an expiry date,
//! as of a given day. The binary builds the `Policy` from the config file;
//! the library knows no config file and reads no clock.

use crate::diag::{Code, Finding, Severity, Suppression, SuppressionKind};
use crate::model::Span;

/// `# cname-preflight:ignore CODE[,CODE] reason` in the configuration:
/// findings of `codes` inside `range` are suppressed, with `reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineIgnore {
    pub range: Span,
    pub codes: Vec<Code>,
    pub reason: String,
}

impl InlineIgnore {
    pub fn covers(&self, code: Code, span: &Span) -> bool {
        self.codes.contains(&code)
            && span.source == self.range.source
            && span.offset >= self.range.offset
            && span.offset < self.range.offset + self.range.len.max(1)
    }
}

/// An `ignore` block of the config file: findings about aliases that match
/// `alias` are suppressed, with a reason, until `expires` (a `YYYY-MM-DD`
/// date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    pub alias: String,
    pub reason: String,
    pub expires: Option<String>,
}

/// Severities and config-file ignores, as of `today`.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Severity per code; None turns the code off.
    pub severity: Vec<(Code, Option<Severity>)>,
    pub ignores: Vec<Ignore>,
    /// `YYYY-MM-DD`: an ignore whose `expires` is before it no longer applies.
    pub today: String,
    /// Where the rules come from (the config file), named in suppressions.
    pub origin: String,
}

/// Applies the policy (if any) and the inline ignores to `findings`: drops
/// the codes turned off, sets overridden severities, marks suppressed
/// findings (an inline ignore wins over a config one: it is the more
/// specific). Returns the config ignores that expired.
pub fn apply(
    policy: Option<&Policy>,
    inline: &[InlineIgnore],
    findings: &mut Vec<Finding>,
) -> Vec<Ignore> {
    let (active, expired): (Vec<&Ignore>, Vec<&Ignore>) = match policy {
        Some(p) => {
            findings.retain_mut(|f| match p.severity.iter().find(|(c, _)| *c == f.code) {
                Some((_, None)) => false,
                Some((_, Some(s))) => {
                    f.severity = *s;
                    true
                }
                None => true,
            });
            let today = p.today.as_str();
            p.ignores
                .iter()
                .partition(|i| i.expires.as_deref().is_none_or(|d| d >= today))
        }
        None => (Vec::new(), Vec::new()),
    };
    // Each pattern is compiled once for the run, not once per finding.
    let active: Vec<(&Ignore, globset::GlobMatcher)> = active
        .into_iter()
        .filter_map(|rule| Some((rule, pattern(&rule.alias).ok()?)))
        .collect();
    for f in findings.iter_mut() {
        f.suppressed = suppression(f, inline, &active, policy);
    }
    expired.into_iter().cloned().collect()
}

fn suppression(
    f: &Finding,
    inline: &[InlineIgnore],
    active: &[(&Ignore, globset::GlobMatcher)],
    policy: Option<&Policy>,
) -> Option<Suppression> {
    // A duplicate is as much the other resource's: a comment at either
    // alias suppresses it.
    let mut places = std::iter::once(&f.span).chain(
        f.related
            .iter()
            .filter(|_| f.code == Code::DuplicateInChange)
            .map(|r| &r.span),
    );
    if let Some(rule) = places.find_map(|span| inline.iter().find(|ig| ig.covers(f.code, span))) {
        // The reason is anyone's comment text: escaped and shortened.
        return Some(Suppression {
            kind: SuppressionKind::Inline,
            reason: crate::display::shown(&rule.reason),
        });
    }
    let alias = f.alias.as_deref()?;
    let (rule, _) = active.iter().find(|(_, glob)| glob.is_match(alias))?;
    Some(Suppression {
        kind: SuppressionKind::Config,
        reason: format!(
            "{} ({})",
            crate::display::shown(&rule.reason),
            crate::display::shown(&policy?.origin)
        ),
    })
}

/// The matcher of an ignore pattern, a glob (globset): `*` stands for any
/// run of characters (dots too), `?` for one, `[a-z]` for one of a class,
/// `{a,b}` for either; case does not matter.
pub fn pattern(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(glob: &str, alias: &str) -> bool {
        pattern(glob).is_ok_and(|m| m.is_match(alias))
    }

    #[test]
    fn patterns_match_with_stars() {
        assert!(matches("*.staging.example.com", "a.staging.example.com"));
        assert!(!matches("*.staging.example.com", "staging.example.com"));
        assert!(matches("www.example.com", "WWW.example.com"));
        assert!(matches("api-*.example.com", "api-eu.example.com"));
        assert!(!matches("api-*.example.com", "web.example.com"));
        assert!(
            matches("*.example.com", "a.b.example.com"),
            "`*` crosses dots"
        );
        assert!(matches("api-?.example.com", "api-1.example.com"));
        assert!(matches("{www,shop}.example.com", "shop.example.com"));
        assert!(!matches("{www,shop}.example.com", "blog.example.com"));
        assert!(pattern("www.[example.com").is_err());
        assert!(!matches("www.[example.com", "www.[example.com"));
    }

    fn finding(code: Code, alias: &str, offset: usize) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            message: String::new(),
            alias: Some(alias.into()),
            address: None,
            input: None,
            span: Span {
                source: 0,
                offset,
                len: alias.len(),
            },
            label: String::new(),
            show_source: true,
            related: Vec::new(),
            help: String::new(),
            holder: None,
            fix: None,
            dns: None,
            suppressed: None,
            caveat: None,
            party: None,
        }
    }

    #[test]
    fn one_stage_applies_severities_and_both_kinds_of_ignore() {
        let policy = Policy {
            severity: vec![
                (Code::InvalidAlias, None),
                (Code::DuplicateInChange, Some(Severity::Warning)),
            ],
            ignores: vec![
                Ignore {
                    alias: "*.legacy.example.com".into(),
                    reason: "moved next quarter".into(),
                    expires: Some("2030-01-01".into()),
                },
                Ignore {
                    alias: "old.example.com".into(),
                    reason: "was moving".into(),
                    expires: Some("2020-01-01".into()),
                },
            ],
            today: "2026-11-22".into(),
            origin: ".cname-preflight.hcl".into(),
        };
        let inline = [InlineIgnore {
            range: Span {
                source: 0,
                offset: 100,
                len: 40,
            },
            codes: vec![Code::AliasTaken],
            reason: "held on purpose".into(),
        }];
        let mut findings = vec![
            finding(Code::InvalidAlias, "bad..name", 0),
            finding(Code::AliasTaken, "a.example.com", 110),
            finding(Code::AliasTaken, "a.legacy.example.com", 300),
            finding(Code::DuplicateInChange, "old.example.com", 400),
            // Inside the inline range, but of a code it does not name.
            finding(Code::DuplicateInChange, "b.example.com", 120),
        ];
        let expired = apply(Some(&policy), &inline, &mut findings);

        assert_eq!(findings.len(), 4, "invalid-alias is turned off");
        let kinds: Vec<Option<(SuppressionKind, &str)>> = findings
            .iter()
            .map(|f| f.suppressed.as_ref().map(|s| (s.kind, s.reason.as_str())))
            .collect();
        assert_eq!(
            kinds,
            [
                Some((SuppressionKind::Inline, "held on purpose")),
                Some((
                    SuppressionKind::Config,
                    "moved next quarter (.cname-preflight.hcl)"
                )),
                None,
                None,
            ]
        );
        assert_eq!(findings[2].severity, Severity::Warning);
        assert_eq!(expired.len(), 1);
        assert_eq!(expired[0].alias, "old.example.com");

        // A reason is comment text: control characters escaped, length bounded.
        let mut long = inline[0].clone();
        long.reason = format!("moving\u{1b}[2J{}", "x".repeat(10_000));
        let mut findings = vec![finding(Code::AliasTaken, "a.example.com", 110)];
        apply(None, &[long], &mut findings);
        let reason = &findings[0].suppressed.as_ref().unwrap().reason;
        assert!(
            !reason.contains('\u{1b}') && reason.len() < 1_000,
            "{reason}"
        );

        // Without a config file the inline ignores still apply.
        let mut findings = vec![finding(Code::AliasTaken, "a.example.com", 110)];
        assert!(apply(None, &inline, &mut findings).is_empty());
        assert_eq!(
            findings[0].suppressed.as_ref().map(|s| s.kind),
            Some(SuppressionKind::Inline)
        );
    }
}
