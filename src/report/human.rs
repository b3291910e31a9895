//! Human output: miette diagnostics on the alias in the user's source, then
//! one summary line. Every rendered line is made inert for CI logs
//! ([`crate::display::inert`]): no value can start a workflow command.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MietteSeverity,
    SourceCode,
};

use super::summary::{Markup, Summary};
use super::{Reporter, Style};
use crate::Outcome;
use crate::diag::{Finding, Severity};
use crate::model::{SourceId, Span};
use crate::source::{Excerpt, Sources};

pub struct HumanReporter {
    pub style: Style,
}

impl Reporter for HumanReporter {
    fn report(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        let handler = handler(&self.style);
        let sources = &outcome.inputs.sources;
        // Sensitive values never show, not even as another finding's context.
        let masked: Vec<Span> = outcome
            .inputs
            .resources
            .iter()
            .flat_map(|r| r.after.iter())
            .filter(|a| a.sensitive)
            .map(|a| a.span)
            .collect();
        for finding in outcome.reported() {
            // Related places in other files follow the finding, each as its
            // own excerpt (as miette's `related` each would be headed
            // "Advice:").
            let diags = Rendered::of_finding(finding, sources, &masked, &self.style);
            let mut text = String::new();
            for d in &diags {
                handler
                    .render_report(&mut text, d)
                    .map_err(|e| io::Error::other(e.to_string()))?;
            }
            write!(out, "{}", crate::display::inert(&text))?;
        }
        if self.style.quiet {
            return Ok(());
        }
        writeln!(out, "{}", crate::display::inert(&summary(outcome)))
    }
}

/// Renders an input error the same way, for standard error; what it
/// carries from the input is escaped like findings are.
pub fn render_error(error: &dyn Diagnostic, style: &Style) -> String {
    let clean = Clean(error);
    let mut text = String::new();
    if handler(style).render_report(&mut text, &clean).is_err() {
        text = format!("error: {clean}\n");
    }
    crate::display::inert(&text).into_owned()
}

/// A diagnostic whose message, help and labels are escaped (its source
/// excerpt is escaped where it is made).
struct Clean<'a>(&'a dyn Diagnostic);

impl fmt::Debug for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::display::clean(&self.0.to_string()))
    }
}

impl std::error::Error for Clean<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl Diagnostic for Clean<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.code()
    }

    fn severity(&self) -> Option<MietteSeverity> {
        self.0.severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help()
            .map(|h| Box::new(crate::display::clean(&h.to_string())) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels().map(|labels| {
            Box::new(labels.map(|l| {
                LabeledSpan::new(l.label().map(crate::display::clean), l.offset(), l.len())
            })) as Box<dyn Iterator<Item = LabeledSpan>>
        })
    }
}

fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Lines wrap at spaces only: a name, path, value or command is never
    // broken at a hyphen (`cname-preflight`, `sni-only`), a word longer than
    // the line is left whole, and a `$ command` line is never wrapped, so
    // it can be copied as it is.
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::Custom(words))
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// The words of one line for wrapping: the whole line when it is a shell
/// command (`$ ...`), else what ASCII spaces separate outside backticks (a
/// quoted value such as `depends_on = [a.b]` stays on one line).
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    if line.trim_start().starts_with("$ ") {
        return Box::new(std::iter::once(textwrap::core::Word::from(line)));
    }
    let mut words = Vec::new();
    let (mut start, mut quoted, mut in_space) = (0, false, false);
    for (i, c) in line.char_indices() {
        if in_space && c != ' ' {
            words.push(textwrap::core::Word::from(&line[start..i]));
            start = i;
            in_space = false;
        }
        match c {
            '`' => quoted = !quoted,
            ' ' if !quoted => in_space = true,
            _ => {}
        }
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

fn summary(outcome: &Outcome) -> String {
    let s = Summary::of(outcome);
    format!(
        "cname-preflight: {}: {}.{}\n{}\n{}",
        s.scope(Markup::Plain),
        s.findings(),
        s.remarks(),
        s.aws_sentence(Markup::Plain),
        s.dns_sentence()
    )
}

/// A finding as a miette diagnostic.
struct Rendered {
    message: String,
    code: String,
    severity: MietteSeverity,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

impl Rendered {
    fn of_finding(f: &Finding, sources: &Sources, masked: &[Span], style: &Style) -> Vec<Rendered> {
        let primary = f.span.source;
        let mut message = f.message.clone();
        let mut source = None;
        let mut labels = Vec::new();
        if f.show_source {
            let spans: Vec<Span> = std::iter::once(f.span)
                .chain(
                    f.related
                        .iter()
                        .map(|r| r.span)
                        .filter(|s| s.source == primary),
                )
                .collect();
            source = Some(excerpt(sources, primary, &spans, masked));
            labels.push(labeled(sources, &f.label, f.span, true));
            for r in f.related.iter().filter(|r| r.span.source == primary) {
                labels.push(labeled(sources, &r.label, r.span, false));
            }
        } else {
            let at = sources.locate(f.span);
            message.push_str(&format!(
                " ({}:{}:{})",
                crate::display::leading_path(sources.name(primary)),
                at.line,
                at.column
            ));
        }
        let related = f
            .related
            .iter()
            .filter(|r| r.span.source != primary || !f.show_source)
            .map(|r| {
                let (source, labels) = if f.show_source {
                    (
                        Some(excerpt(sources, r.span.source, &[r.span], masked)),
                        vec![labeled(sources, &r.label, r.span, true)],
                    )
                } else {
                    (None, Vec::new())
                };
                let at = sources.locate(r.span);
                Rendered {
                    message: format!(
                        "{} ({}:{}:{})",
                        r.label,
                        crate::display::leading_path(sources.name(r.span.source)),
                        at.line,
                        at.column
                    ),
                    code: String::new(),
                    severity: MietteSeverity::Advice,
                    help: None,
                    source,
                    labels,
                }
            });
        let finding = Rendered {
            message,
            code: f.code.name().to_string(),
            severity: match f.severity {
                Severity::Error => MietteSeverity::Error,
                Severity::Warning => MietteSeverity::Warning,
                Severity::Note => MietteSeverity::Advice,
            },
            help: Some(wrap_help(&help_text(f, style.verbose), style.width)),
            source,
            labels,
        };
        std::iter::once(finding).chain(related).collect()
    }
}

/// The help for one screen: the caveat and the primary fix in full, each
/// alternative as one line; `--verbose` gives every branch in full.
fn help_text(f: &Finding, verbose: bool) -> String {
    match (&f.fix, verbose) {
        (Some(fix), false) if !fix.alternatives.is_empty() => {
            let brief = fix.render_brief();
            match &f.caveat {
                Some(caveat) => format!("{caveat} {brief}"),
                None => brief,
            }
        }
        _ => f.help.clone(),
    }
}

/// The width miette gives help text: the line less its margin and the
/// `  help: ` prefix.
const HELP_MARGIN: usize = 10;

/// Wraps each line of the help so that a wrapped step line continues under
/// its step's text (after `N. ` and the alternative's indent), not at the
/// margin. A `$ command` line is never wrapped. Lines then fit, so miette
/// leaves them as they are.
fn wrap_help(help: &str, width: usize) -> String {
    let width = width.saturating_sub(HELP_MARGIN).max(20);
    let mut out = Vec::new();
    for line in help.split('\n') {
        let body = line.trim_start();
        if body.starts_with("$ ") || line.len() <= width {
            out.push(line.to_string());
            continue;
        }
        let lead = line.len() - body.len();
        let number = body
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map_or(0, |(n, _)| n.len() + 2);
        let indent = " ".repeat(lead + number);
        let options = textwrap::Options::new(width)
            .subsequent_indent(&indent)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::Custom(words))
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        // A word longer than the line stays whole, at the margin, where
        // miette leaves it.
        out.extend(textwrap::wrap(line, options).into_iter().map(|l| {
            if l.len() > width {
                l.trim_start().to_string()
            } else {
                l.into_owned()
            }
        }));
    }
    out.join("\n")
}

fn excerpt(sources: &Sources, id: SourceId, spans: &[Span], masked: &[Span]) -> Excerpt {
    let source = sources.get(id);
    let spans: Vec<_> = spans
        .iter()
        .map(|s| {
            let s = capped(sources, *s);
            (s.offset, s.len)
        })
        .collect();
    let masked: Vec<_> = masked
        .iter()
        .filter(|m| m.source == id)
        .map(|m| (m.offset, m.len))
        .collect();
    Excerpt::around_masked(source, &spans, &masked)
}

/// The bytes of a span that are underlined: at most [`MAX_LABEL`], ending
/// on a character boundary, so a huge value shows as its beginning.
const MAX_LABEL: usize = 256;

fn capped(sources: &Sources, span: Span) -> Span {
    if span.len <= MAX_LABEL {
        return span;
    }
    let text = sources.get(span.source).text.as_str();
    let mut end = (span.offset + MAX_LABEL).min(text.len());
    while end > span.offset && !text.is_char_boundary(end) {
        end -= 1;
    }
    Span {
        len: end - span.offset,
        ..span
    }
}

fn labeled(sources: &Sources, label: &str, span: Span, primary: bool) -> LabeledSpan {
    let span = capped(sources, span);
    if primary {
        LabeledSpan::new_primary_with_span(Some(label.to_string()), (span.offset, span.len))
    } else {
        LabeledSpan::new_with_span(Some(label.to_string()), (span.offset, span.len))
    }
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            None
        } else {
            Some(Box::new(&self.code))
        }
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<&str> {
        words(line).map(|w| w.word).collect()
    }

    #[test]
    fn words_split_at_spaces_outside_backticks_and_never_in_commands() {
        assert_eq!(
            texts("add `depends_on = [a.b]` to x"),
            ["add", "`depends_on = [a.b]`", "to", "x"]
        );
        assert_eq!(
            texts("run cname-preflight on sni-only"),
            ["run", "cname-preflight", "on", "sni-only"]
        );
        assert_eq!(
            texts("   $ aws cloudfront associate-alias --alias 'a b'").len(),
            1
        );
    }

    /// Rendered at a narrow width, no line breaks a word at a hyphen and
    /// the command line stays whole.
    #[test]
    fn help_wraps_at_spaces_only() {
        let command = "$ aws cloudfront associate-alias --target-distribution-id E2QX7EXAMPLE9Z --alias www.example.com";
        let diag = Rendered {
            message: "the certificate of `aws_cloudfront_distribution.cname-preflight-test` uses ssl_support_method \"sni-only\"".into(),
            code: "alias-taken".into(),
            severity: MietteSeverity::Error,
            help: Some(format!("run cname-preflight again after `terraform apply -target=module.cname-preflight`:\n{command}")),
            source: None,
            labels: Vec::new(),
        };
        let style = Style {
            color: false,
            width: 40,
            repo_root: None,
            quiet: false,
            verbose: false,
        };
        let mut text = String::new();
        handler(&style).render_report(&mut text, &diag).unwrap();
        for line in text.lines() {
            assert!(
                !line.trim_end().ends_with('-'),
                "broken at a hyphen: {line:?}\n{text}"
            );
        }
        assert!(text.contains(command), "{text}");
        assert!(
            text.contains("`terraform apply -target=module.cname-preflight`"),
            "{text}"
        );
    }

    #[test]
    fn wrapped_step_lines_keep_their_indent_and_commands_stay_whole() {
        let help = format!(
            "title:\n1. {}\n   $ aws cloudfront associate-alias --target-distribution-id {} --alias a\nor, w (aws-support):\n   1. {}",
            "word ".repeat(30),
            "E".repeat(80),
            "other ".repeat(30)
        );
        let text = wrap_help(&help, 60);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines
                .iter()
                .all(|l| l.len() <= 50 || l.trim_start().starts_with("$ ")),
            "{text}"
        );
        // The first step's continuation lines start under its text.
        assert!(lines[2].starts_with("   word"), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("      other")), "{text}");
        assert!(text.contains(&format!(
            "--target-distribution-id {} --alias a",
            "E".repeat(80)
        )));
    }
}
