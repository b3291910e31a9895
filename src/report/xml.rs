//! What the XML formats (JUnit, Checkstyle) share: a quick-xml writer that
//! indents and escapes, and values from inputs made safe for XML first.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::name::QName;

pub(super) type XmlWriter<'a> = Writer<&'a mut dyn Write>;

/// A writer indenting by two spaces, with the XML declaration written.
pub(super) fn writer(out: &mut dyn Write) -> io::Result<XmlWriter<'_>> {
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(writer)
}

/// Values from inputs are escaped as in every text format first; what XML
/// 1.0 cannot carry at all (other control characters, U+FFFE and U+FFFF)
/// is left out.
fn safe(text: &str) -> String {
    crate::display::clean(text)
        .chars()
        .filter(|&c| {
            ((c as u32) >= 0x20 || c == '\t' || c == '\n') && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

/// An attribute: its value escaped by quick-xml, a line break kept as
/// `&#10;` (a parser turns a raw one into a space).
pub(super) fn attr<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    let escaped = quick_xml::escape::escape(safe(value)).replace('\n', "&#10;");
    Attribute {
        key: QName(key),
        value: Cow::Owned(escaped),
    }
}

/// Element text, escaped by quick-xml.
pub(super) fn text(value: &str) -> BytesText<'static> {
    BytesText::new(&safe(value)).into_owned()
}

/// Ends the document with a line break.
pub(super) fn finish(writer: XmlWriter<'_>) -> io::Result<()> {
    writeln!(writer.into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        let a = super::attr("m", "a<b & \"c\"\n\u{1}\u{FFFE}\u{FFFF}");
        assert_eq!(
            a.value.into_owned(),
            "a&lt;b &amp; &quot;c&quot;&#10;\\u{1}"
        );
    }
}
