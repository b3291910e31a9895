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

    proptest::proptest! {
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
