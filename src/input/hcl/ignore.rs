//! Inline suppressions written in the configuration:
//! `# cname-preflight:ignore CODE[,CODE] reason` (or `//`) on or above the
//! `aliases` line, an alias, or the resource block; a `"//"` key of a JSON
//! resource. The reason is required.

use crate::diag::Code;
use crate::error::InputError;
use crate::model::Span;
use crate::policy::InlineIgnore;
use crate::source::Source;

use super::decl::{ResourceDecl, hcl_error};

pub const DIRECTIVE: &str = "cname-preflight:ignore";

/// The suppressions of one resource: above its block, and on or above its
/// `aliases` attribute or any alias written in it.
pub fn of_resource(source: &Source, r: &ResourceDecl) -> Result<Vec<InlineIgnore>, InputError> {
    let mut out = Vec::new();
    if let Some((text, span)) = &r.json_comment {
        if let Some(rest) = text.trim().strip_prefix(DIRECTIVE) {
            out.push(parse(source, span.offset, rest, r.block)?);
        }
        return Ok(out);
    }
    let mut targets = vec![(r.block.offset, r.block)];
    let attrs = r.aliases.iter().chain(&r.domains);
    for a in attrs {
        targets.push((a.span.offset, a.span));
        for e in a.elements.iter().flatten() {
            targets.push((e.offset, *e));
        }
    }
    for (at, range) in targets {
        for (offset, rest) in directives(&source.text, at) {
            let ig = parse(source, offset, rest, range)?;
            if !out.contains(&ig) {
                out.push(ig);
            }
        }
    }
    Ok(out)
}

/// Directive comments on the line of `at` and in the comment lines right
/// above it: (offset of the directive, text after it).
fn directives(text: &str, at: usize) -> Vec<(usize, &str)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let mut lines = vec![(line_start, &text[line_start..line_end])];
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..end - 1];
        let trimmed = line.trim_start();
        if !(trimmed.starts_with('#') || trimmed.starts_with("//") || trimmed.starts_with("/*")) {
            break;
        }
        lines.push((start, line));
        end = start;
    }
    lines
        .into_iter()
        .filter_map(|(start, line)| {
            let i = line.find(DIRECTIVE)?;
            is_comment_at(line, i).then(|| {
                (
                    start + i,
                    line[i + DIRECTIVE.len()..]
                        .trim_end()
                        .trim_end_matches("*/"),
                )
            })
        })
        .collect()
}

/// Whether the directive at `i` of `line` is inside a comment.
fn is_comment_at(line: &str, i: usize) -> bool {
    let before = &line[..i];
    let marker = before
        .rfind('#')
        .or_else(|| before.rfind("//"))
        .or_else(|| before.rfind("/*"));
    marker.is_some_and(|m| before[..m].matches('"').count().is_multiple_of(2))
}

fn parse(
    source: &Source,
    offset: usize,
    rest: &str,
    range: Span,
) -> Result<InlineIgnore, InputError> {
    let rest = rest.trim();
    let (codes, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let mut parsed = Vec::new();
    for name in codes.split(',').filter(|c| !c.is_empty()) {
        let code = Code::from_name(name).ok_or_else(|| {
            hcl_error(
                source,
                offset,
                format!(
                    "`{DIRECTIVE}` names `{name}`, which is not a code; `cname-preflight explain --list` lists them"
                ),
                "unknown code",
            )
        })?;
        parsed.push(code);
    }
    if parsed.is_empty() {
        return Err(hcl_error(
            source,
            offset,
            format!(
                "`{DIRECTIVE}` needs the codes it ignores and a reason, e.g. `{DIRECTIVE} alias-taken moved in the next release`"
            ),
            "no code",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(hcl_error(
            source,
            offset,
            format!("`{DIRECTIVE} {codes}` needs a reason after the codes"),
            "no reason",
        ));
    }
    Ok(InlineIgnore {
        range,
        codes: parsed,
        reason: reason.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives_on_and_above_a_line() {
        let text = "resource \"x\" \"y\" {\n  # first\n  // cname-preflight:ignore alias-taken moving it\n  aliases = [\"a\"] # cname-preflight:ignore invalid-alias ok\n}\n";
        let at = text.find("aliases").unwrap();
        let found: Vec<&str> = directives(text, at)
            .into_iter()
            .map(|(_, r)| r.trim())
            .collect();
        assert_eq!(found, vec!["invalid-alias ok", "alias-taken moving it"]);
        // Not in a comment: inside a string.
        let text = "  tags = { x = \"# cname-preflight:ignore alias-taken no\" }\n";
        assert!(directives(text, 2).is_empty());
    }

    #[test]
    fn reasons_and_codes_are_required() {
        let source = Source::new("main.tf", "# cname-preflight:ignore alias-taken\n".into());
        let span = Span {
            source: 0,
            offset: 0,
            len: 1,
        };
        assert!(parse(&source, 2, " alias-taken", span).is_err());
        assert!(parse(&source, 2, " no-such-code because", span).is_err());
        assert!(parse(&source, 2, "", span).is_err());
        let ok = parse(
            &source,
            2,
            " alias-taken,wildcard-overlap held by the old stack",
            span,
        )
        .unwrap();
        assert_eq!(ok.codes, vec![Code::AliasTaken, Code::WildcardOverlap]);
        assert_eq!(ok.reason, "held by the old stack");
    }
}
