//! What the XML formats (JUnit, Checkstyle) share: escaping text for
//! attributes and content.

/// Escapes text for XML attributes and content.
pub(super) fn escape(text: &str) -> String {
    // Values from inputs are escaped as in every text format first (XML
    // 1.0 cannot carry most control characters at all).
    let text = crate::display::clean(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            super::escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\\u{1}"
        );
    }
}
