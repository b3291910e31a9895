//! A check's outcome as a run task result: `failed` when findings reach
//! the failure threshold, when the plan could not be read, or when AWS or
//! DNS could not be asked (never `passed` for a check that did not run);
//! one outcome per reported finding, within the protocol's limits
//! ([`protocol`](super::protocol)).

use cname_preflight::Outcome;
use cname_preflight::diag::{Finding, Severity};
use cname_preflight::display::shown;
use cname_preflight::exit;
use cname_preflight::facts::{AwsFacts, DnsFacts};

use super::protocol::{
    self, MAX_DESCRIPTION_CHARS, MAX_MESSAGE_CHARS, MAX_OUTCOME_BODY_BYTES, MAX_OUTCOMES, Status,
    TaskResult,
};

/// The result of a run the service could not check: `failed`, with why.
pub fn failed(reason: &str) -> TaskResult {
    TaskResult::new(
        Status::Failed,
        one_line(
            &format!("cname-preflight could not check this run: {reason}"),
            MAX_MESSAGE_CHARS,
        ),
        Vec::new(),
    )
}

/// The result of a check.
pub fn result(outcome: &Outcome) -> TaskResult {
    if let Some(e) = outcome.inputs.errors.first() {
        return failed(&format!("the plan JSON could not be read: {e}"));
    }
    if let AwsFacts::Failed(e) = &outcome.facts.aws {
        return failed(&format!("AWS could not be asked: {e}"));
    }
    if let DnsFacts::Failed(e) = &outcome.facts.dns {
        return failed(&format!("DNS could not be asked: {e}"));
    }
    let reported: Vec<&Finding> = outcome.reported().collect();
    let status = match outcome.exit_code() {
        exit::CLEAN => Status::Passed,
        _ => Status::Failed,
    };
    let count = |s: Severity| reported.iter().filter(|f| f.severity == s).count();
    let aliases = outcome.inputs.claims.len();
    let mut message = format!(
        "{aliases} alias{} checked: {} error{}, {} warning{}, {} note{}",
        plural_es(aliases),
        count(Severity::Error),
        plural(count(Severity::Error)),
        count(Severity::Warning),
        plural(count(Severity::Warning)),
        count(Severity::Note),
        plural(count(Severity::Note)),
    );
    if reported.len() > MAX_OUTCOMES {
        message.push_str(&format!(
            " (the first {MAX_OUTCOMES} of {} shown)",
            reported.len()
        ));
    }
    let mut outcomes: Vec<protocol::Outcome> = Vec::new();
    for f in reported.iter().take(MAX_OUTCOMES) {
        let mut outcome = outcome_of(f);
        unique(&mut outcome.attributes.outcome_id, &outcomes);
        outcomes.push(outcome);
    }
    TaskResult::new(status, one_line(&message, MAX_MESSAGE_CHARS), outcomes)
}

/// Two findings with one code and alias (two resources claiming it) get
/// distinct outcome IDs: the second is suffixed `#2`, and so on.
fn unique(id: &mut String, before: &[protocol::Outcome]) {
    let taken = |candidate: &str| before.iter().any(|o| o.attributes.outcome_id == candidate);
    if !taken(id) {
        return;
    }
    let base = id.clone();
    let mut n = 2;
    while taken(&format!("{base}#{n}")) {
        n += 1;
    }
    *id = format!("{base}#{n}");
}

/// One finding as an outcome: `outcome-id` is the code and the alias (as
/// shown: escaped, sensitive values masked), the description its message,
/// the body its fix in Markdown, the `Severity` tag its level.
fn outcome_of(f: &Finding) -> protocol::Outcome {
    let outcome_id = match &f.alias {
        Some(alias) => format!("{}:{}", f.code, shown(alias)),
        None => f.code.to_string(),
    };
    let (label, level) = match f.severity {
        Severity::Error => ("Error", "error"),
        Severity::Warning => ("Warning", "warning"),
        Severity::Note => ("Note", "info"),
    };
    let mut body = cname_preflight::report::finding_markdown(f);
    body.push_str(&format!(
        "\nRun `cname-preflight explain {}` for what the code means.\n",
        f.code
    ));
    protocol::Outcome {
        kind: "task-result-outcomes",
        attributes: protocol::OutcomeAttributes {
            outcome_id: one_line(&outcome_id, MAX_DESCRIPTION_CHARS),
            description: one_line(&f.message, MAX_DESCRIPTION_CHARS),
            body: truncated(body, MAX_OUTCOME_BODY_BYTES),
            tags: protocol::Tags {
                severity: vec![protocol::Tag {
                    label: label.into(),
                    level,
                }],
            },
        },
    }
}

/// Text on one line (white space collapsed, unsafe characters escaped), at
/// most `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let text =
        cname_preflight::display::clean(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max.saturating_sub(3)).collect();
    out.push_str("...");
    out
}

/// At most `max` bytes, cut at a line end where possible, saying so.
fn truncated(mut text: String, max: usize) -> String {
    const NOTE: &str = "\n\n(truncated: `cname-preflight check` prints it whole)\n";
    if text.len() <= max {
        return text;
    }
    let mut end = max - NOTE.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(end);
    text.truncate(end);
    text.push_str(NOTE);
    text
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn plural_es(n: usize) -> &'static str {
    if n == 1 { "" } else { "es" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_one_bounded_line() {
        assert_eq!(one_line("a\n b\tc", 10), "a b c");
        assert_eq!(one_line("abcdefghijkl", 10).chars().count(), 10);
        assert_eq!(one_line("a\u{1b}[31m", 20), "a\\u{1b}[31m");
    }

    #[test]
    fn outcome_ids_are_unique() {
        let outcome = |id: &str| protocol::Outcome {
            kind: "task-result-outcomes",
            attributes: protocol::OutcomeAttributes {
                outcome_id: id.into(),
                description: String::new(),
                body: String::new(),
                tags: protocol::Tags {
                    severity: Vec::new(),
                },
            },
        };
        let before = [outcome("a:x"), outcome("a:x#2"), outcome("b:x")];
        let mut id = "a:x".to_string();
        unique(&mut id, &before);
        assert_eq!(id, "a:x#3");
        let mut id = "c:x".to_string();
        unique(&mut id, &before);
        assert_eq!(id, "c:x");
    }

    #[test]
    fn a_long_body_is_cut_at_a_line_and_says_so() {
        let body = "line\n".repeat(10_000);
        let cut = truncated(body, 1000);
        assert!(cut.len() <= 1000);
        assert!(cut.ends_with("prints it whole)\n"));
        assert_eq!(truncated("short".into(), 1000), "short");
        let wide = "é".repeat(1000);
        assert!(truncated(wide, 501).len() <= 501);
    }
}
