//! How values from inputs may be printed. Inputs come from strangers (pull
//! requests) and reports land in terminals, CI logs, annotations and PR
//! comments: a value is printed with its control and bidirectional
//! characters escaped (`\u{1b}`), so it cannot retitle a terminal, rewrite
//! a log line or reorder text, and shortened past [`MAX_CHARS`], so one
//! huge value cannot make the output huge. JSON keeps exact values (JSON
//! escapes them itself); every other format prints through this module.

/// The characters of one value shown at most. A valid alias has at most
/// 253.
pub const MAX_CHARS: usize = 256;

/// Whether a character must not reach a terminal or log as it is: C0 and C1
/// controls, DEL, and the bidirectional formatting characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// A value from an input, escaped and shortened.
pub fn shown(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    for c in chars.by_ref().take(MAX_CHARS) {
        push_escaped(&mut out, c);
    }
    let rest = chars.count();
    if rest > 0 {
        out.push_str(&format!("... ({rest} more characters)"));
    }
    out
}

/// A value escaped but not shortened (a file name: paths may be long and
/// must stay whole).
pub fn escaped(value: &str) -> String {
    if !value.chars().any(is_unsafe) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Text that embeds values from inputs (a message, a help): unsafe
/// characters escaped, line breaks kept.
pub fn clean(text: &str) -> String {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

/// Source text for an excerpt, with each unsafe character replaced by as
/// many `?` as it has bytes, so that byte offsets into it still hold.
/// Line breaks (and the CR of CRLF) and tabs stay.
pub fn excerpt(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_unsafe(c) && !keep {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text made inert for a CI log: no line of it reads as a GitHub workflow
/// command. The runner takes a line as a command when it starts with `::`
/// after leading white space, or when it holds `##[` anywhere (the legacy
/// form, `##[add-mask]...`); see `ActionCommand.TryParseV2` and `TryParse`
/// in actions/runner (src/Runner.Worker/ActionCommand.cs) and
/// <https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>.
/// So the first `:` of such a line is printed as `\u{3a}` and the second
/// `#` of `##[` as `\u{23}`, this module's escape for any unsafe
/// character. Applied to whole rendered lines, not to values, because a
/// value reaches the start of a line in many ways: a wrap, a line break in
/// a message, a related place, a file name.
pub fn inert(text: &str) -> std::borrow::Cow<'_, str> {
    inert_as(text, "\\u{3a}", "\\u{23}")
}

/// [`inert`], with the escapes of a format that has its own for `:` and
/// `#`, so the value stays exact: `\\u003a`/`\\u0023` in JSON (where `##[`
/// can only be inside a string, and no line starts with `::`), `&#58;` and
/// `&#35;` in XML.
pub fn inert_as<'a>(text: &'a str, colon: &str, hash: &str) -> std::borrow::Cow<'a, str> {
    // The runner reads lines as .NET does: CR, LF and CRLF each end one.
    let lines = || text.split_inclusive(['\n', '\r']);
    if !lines().any(|l| l.trim_start().starts_with("::") || l.contains("##[")) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in lines() {
        let body = line.trim_start();
        let line = if body.starts_with("::") {
            out.push_str(&line[..line.len() - body.len()]);
            out.push_str(colon);
            &body[1..]
        } else {
            line
        };
        out.push_str(&line.replace("##[", &format!("#{hash}[")));
    }
    std::borrow::Cow::Owned(out)
}

/// A file name as it may start a line: a relative name that begins with
/// white space, `:`, `#` or `-` is printed as `./name`, the same file, so
/// that it cannot read as a workflow command or a flag (`::warning
/// file=x::pwned.tf` is shown as `./::warning file=x::pwned.tf`).
pub fn leading_path(name: &str) -> std::borrow::Cow<'_, str> {
    match name.chars().next() {
        Some(c) if c.is_whitespace() || matches!(c, ':' | '#' | '-') => {
            std::borrow::Cow::Owned(format!("./{name}"))
        }
        _ => std::borrow::Cow::Borrowed(name),
    }
}

fn push_escaped(out: &mut String, c: char) {
    if is_unsafe(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_and_bidi_are_escaped() {
        assert_eq!(shown("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(shown("x\u{202e}y\r\0"), "x\\u{202e}y\\u{d}\\u{0}");
        assert_eq!(
            clean("line one\nline\u{1b}[2J two"),
            "line one\nline\\u{1b}[2J two"
        );
        assert_eq!(shown("www.example.com"), "www.example.com");
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "a".repeat(10_000);
        let s = shown(&long);
        assert!(s.starts_with(&"a".repeat(MAX_CHARS)));
        assert!(s.ends_with("... (9744 more characters)"), "{s}");
    }

    #[test]
    fn excerpts_keep_their_byte_offsets() {
        let text = "a\u{1b}b\u{202e}c\r\nd\re\tf";
        let e = excerpt(text);
        assert_eq!(e.len(), text.len());
        assert_eq!(e, "a?b???c\r\nd?e\tf");
    }

    #[test]
    fn workflow_commands_are_made_inert() {
        assert_eq!(
            inert("a\n::warning file=x::pwned\n  \t::add-mask::s\nok ::x"),
            "a\n\\u{3a}:warning file=x::pwned\n  \t\\u{3a}:add-mask::s\nok ::x"
        );
        assert_eq!(inert("x ##[error]y"), "x #\\u{23}[error]y");
        assert_eq!(inert("\u{2003}::x"), "\u{2003}\\u{3a}:x");
        assert_eq!(
            inert_as("{\"a\": \"##[error]x\"}", "\\u003a", "\\u0023"),
            "{\"a\": \"#\\u0023[error]x\"}"
        );
        assert!(matches!(
            inert("plain: text"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(leading_path("::warning::a.tf"), "./::warning::a.tf");
        assert_eq!(leading_path("--output=x.tf"), "./--output=x.tf");
        assert_eq!(leading_path("main.tf"), "main.tf");
        assert_eq!(leading_path("/abs/::x.tf"), "/abs/::x.tf");
    }

    proptest::proptest! {
        /// Whatever a text holds, no line of it made inert reads as a
        /// workflow command, and it has as many lines.
        #[test]
        fn inert_text_has_no_workflow_command(text in "([ \t:#\\[a-z]|\n|\r){0,80}") {
            let inert = inert(&text);
            for line in inert.split(['\n', '\r']) {
                proptest::prop_assert!(!line.trim_start().starts_with("::"), "{:?}", line);
                proptest::prop_assert!(!line.contains("##["), "{:?}", line);
            }
            proptest::prop_assert_eq!(inert.matches('\n').count(), text.matches('\n').count());
        }

        /// Whatever a value holds, what is printed of it has no unsafe
        /// character and a bounded length.
        #[test]
        fn shown_values_are_safe_and_short(value in ".{0,600}") {
            let s = shown(&value);
            proptest::prop_assert!(!s.chars().any(is_unsafe));
            // Each character escapes to at most 10 (`\u{10ffff}`).
            proptest::prop_assert!(s.chars().count() <= MAX_CHARS * 10 + 40);
        }

        #[test]
        fn cleaned_text_keeps_only_line_breaks(text in ".{0,300}(\n.{0,50}){0,3}") {
            let c = clean(&text);
            proptest::prop_assert!(!c.chars().any(|ch| ch != '\n' && is_unsafe(ch)));
            proptest::prop_assert_eq!(c.matches('\n').count(), text.matches('\n').count());
        }

        #[test]
        fn excerpts_keep_their_length(text in "(.|\r|\n|\u{1b}|\u{202e}){0,300}") {
            let e = excerpt(&text);
            proptest::prop_assert_eq!(e.len(), text.len());
            proptest::prop_assert!(!e.chars().any(|ch| is_unsafe(ch) && !matches!(ch, '\n' | '\r' | '\t')));
        }
    }
}
