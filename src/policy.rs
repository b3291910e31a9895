//! The policy a check applies to its findings: a severity per code (or
//! off) and ignore rules, each with a reason and perhaps an expiry date, as
//! of a given day. The binary builds it from the config file; the library
//! knows no config file and reads no clock.

use crate::diag::{Code, Finding, Severity};

/// An `ignore` block: findings about aliases that match `alias` are
/// suppressed, with a reason, until `expires` (a `YYYY-MM-DD` date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    pub alias: String,
    pub reason: String,
    pub expires: Option<String>,
}

/// Severities and ignores, as of `today`.
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

impl Policy {
    /// Applies severity overrides and ignores to findings; returns the
    /// ignores that expired.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> Vec<Ignore> {
        findings.retain_mut(|f| match self.severity.iter().find(|(c, _)| *c == f.code) {
            Some((_, None)) => false,
            Some((_, Some(s))) => {
                f.severity = *s;
                true
            }
            None => true,
        });
        let today = self.today.as_str();
        let (active, expired): (Vec<&Ignore>, Vec<&Ignore>) = self
            .ignores
            .iter()
            .partition(|i| i.expires.as_deref().is_none_or(|d| d >= today));
        for f in findings.iter_mut() {
            let Some(alias) = &f.alias else { continue };
            if let Some(rule) = active.iter().find(|i| matches(&i.alias, alias)) {
                f.suppressed = Some(format!("{} ({})", rule.reason, self.origin));
            }
        }
        expired.into_iter().cloned().collect()
    }
}

/// Whether `alias` matches an ignore pattern: `*` stands for any run of
/// characters, everything else matches itself (case-insensitively).
pub fn matches(pattern: &str, alias: &str) -> bool {
    let alias = alias.to_ascii_lowercase();
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == alias;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !alias.starts_with(first) || !alias[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &alias[first.len()..alias.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_stars() {
        assert!(matches("*.staging.example.com", "a.staging.example.com"));
        assert!(!matches("*.staging.example.com", "staging.example.com"));
        assert!(matches("www.example.com", "WWW.example.com"));
        assert!(matches("api-*.example.com", "api-eu.example.com"));
        assert!(!matches("api-*.example.com", "web.example.com"));
    }
}
