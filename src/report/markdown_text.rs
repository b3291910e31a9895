//! Markdown text that values from inputs cannot turn into markup. The
//! Markdown report becomes a pull-request comment and a job summary, where
//! an alias, address or file name from a stranger's change must not close
//! its code span and go on as a link, an image or HTML.
//!
//! Two kinds of text: a value, printed as a code span fenced by more
//! backticks than it holds in a row ([`code`]); and the tool's sentences,
//! whose code spans (found by CommonMark's own rule: a run of N backticks
//! up to the next run of exactly N) stay as they are, while everything
//! between them has Markdown's active characters backslash-escaped
//! ([`prose`]), so a value that did end up there prints as text.

use crate::display::{clean, shown};

/// What can make text outside a code span into something other than text:
/// escapes, code spans, links and images (`[`, `]`), HTML and autolinks
/// (`<`, `>`). Emphasis (`*`, `_`) only changes how text looks, and the
/// tool's sentences use it plainly (`*.auto.tfvars`, `TF_VAR_name`).
const ACTIVE: &[char] = &['\\', '`', '[', ']', '<', '>'];

/// A value from an input as a code span: escaped and shortened as every
/// value is, fenced by one backtick more than its longest run of them, and
/// padded by a space where it starts or ends with one (CommonMark strips
/// one space from each side of such a span).
pub fn code(value: &str) -> String {
    let value = shown(value);
    let fence = "`".repeat(longest_run(&value) + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') || value.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

/// One line of the tool's text for Markdown: white space collapsed,
/// control characters escaped, code spans kept, Markdown's active
/// characters outside them escaped.
pub fn prose(text: &str) -> String {
    let text = clean(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(start) = rest.find('`') {
        escape_into(&mut out, &rest[..start]);
        let run = backtick_run(&rest[start..]);
        let after = &rest[start + run..];
        match closing(after, run) {
            Some(end) => {
                // The code span as written: its content is literal.
                out.push_str(&rest[start..start + run + end + run]);
                rest = &after[end + run..];
            }
            None => {
                // No closing run: the backticks are text.
                out.push_str(&"\\`".repeat(run));
                rest = after;
            }
        }
    }
    escape_into(&mut out, rest);
    out
}

/// Several lines of the tool's text, each as [`prose`], joined by
/// Markdown's hard line break.
pub fn paragraph(text: &str) -> String {
    text.lines().map(prose).collect::<Vec<_>>().join("  \n")
}

/// A shell command as a fenced code block (a list item's, indented by
/// three spaces): on one line, control characters escaped, fenced by more
/// backticks than it holds in a row so that nothing in it ends the block.
pub fn fenced(command: &str, lang: &str) -> String {
    let command = clean(&command.split_whitespace().collect::<Vec<_>>().join(" "));
    let fence = "`".repeat(longest_run(&command).max(2) + 1);
    format!("   {fence}{lang}\n   {command}\n   {fence}")
}

/// Markdown for a table cell: pipes escaped (GitHub reads `\|` as a pipe
/// also inside code spans), line breaks as `<br>`.
pub fn cell(markdown: &str) -> String {
    markdown.replace('|', "\\|").replace('\n', "<br>")
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if ACTIVE.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The length of the longest run of backticks in `text`.
fn longest_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// The length of the run of backticks `text` starts with.
fn backtick_run(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// Where in `text` the next run of exactly `run` backticks starts.
fn closing(text: &str, run: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = text[at..].find('`') {
        let start = at + i;
        let len = backtick_run(&text[start..]);
        if len == run {
            return Some(start);
        }
        at = start + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_never_close_their_code_span() {
        assert_eq!(code("www.example.com"), "`www.example.com`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(""), "`  `");
        assert_eq!(code("a\u{1b}b"), "`a\\u{1b}b`");
    }

    #[test]
    fn prose_keeps_code_spans_and_escapes_the_rest() {
        assert_eq!(
            prose("`www.example.com` is held by `E1` [see](x)"),
            "`www.example.com` is held by `E1` \\[see\\](x)"
        );
        assert_eq!(prose("a ``b`c`` d"), "a ``b`c`` d");
        assert_eq!(prose("odd ` tick <img>"), "odd \\` tick \\<img\\>");
        assert_eq!(
            prose("`a`![x](https://e/p.png)`b`"),
            "`a`!\\[x\\](https://e/p.png)`b`"
        );
        assert_eq!(prose("a\n  \\ b"), "a \\\\ b");
        // A code span of the tool's, holding a value made by `code`, is
        // read back whole.
        let sentence = format!("{} is held", code("a`b"));
        assert_eq!(prose(&sentence), sentence);
    }

    #[test]
    fn commands_are_fenced_past_their_own_backticks() {
        assert_eq!(
            fenced("aws  cloudfront\nx", "sh"),
            "   ```sh\n   aws cloudfront x\n   ```"
        );
        assert_eq!(
            fenced("echo ````", "sh"),
            "   `````sh\n   echo ````\n   `````"
        );
    }

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        assert_eq!(cell("`a|b`\nc"), "`a\\|b`<br>c");
    }
}
