//! Input files as text: decoding, locations, and excerpts for diagnostics.
//!
//! A source is read once into one buffer; parsers borrow from it and record
//! byte offsets. This module turns offsets into lines and columns and cuts
//! the few lines a diagnostic shows, so that a minified plan of hundreds of
//! megabytes on one line is never copied or printed whole.

use std::cell::Cell;
use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::model::{SourceId, Span};

/// One input file, decoded to UTF-8.
#[derive(Debug)]
pub struct Source {
    /// The name shown to users: the path as given, or `<stdin>`.
    pub name: String,
    pub text: String,
    /// Where the last location look-up ended: (offset, line, column), 0-based.
    cursor: Cell<(usize, usize, usize)>,
}

/// A line and column, both 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Source {
    /// A source named by its path; a name with control or bidirectional
    /// characters is kept escaped, as every report shows it.
    pub fn new(name: impl Into<String>, text: String) -> Self {
        Source {
            name: crate::display::escaped(&name.into()),
            text,
            cursor: Cell::new((0, 0, 0)),
        }
    }

    /// The byte offset of `part`, which must be a slice of this source's text.
    pub fn offset_of(&self, part: &str) -> usize {
        let base = self.text.as_ptr() as usize;
        let at = part.as_ptr() as usize;
        debug_assert!(at >= base && at + part.len() <= base + self.text.len());
        at - base
    }

    pub fn span_of(&self, id: SourceId, part: &str) -> Span {
        Span {
            source: id,
            offset: self.offset_of(part),
            len: part.len(),
        }
    }

    /// Line and column of a byte offset. Look-ups in increasing order cost
    /// one pass over the file in all, which is how reports ask; this matters
    /// for minified plans, where every alias is on line 1.
    pub fn locate(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (mut from, mut line, mut column) = self.cursor.get();
        if offset < from {
            (from, line, column) = (0, 0, 0);
        }
        let segment = &self.text[from..offset];
        match memchr::memrchr(b'\n', segment.as_bytes()) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', segment.as_bytes()).count();
                column = segment[last + 1..].chars().count();
            }
            None => column += segment.chars().count(),
        }
        self.cursor.set((offset, line, column));
        Location {
            line: line + 1,
            column: column + 1,
        }
    }
}

/// All sources of one run, indexed by [`SourceId`].
#[derive(Debug, Default)]
pub struct Sources(Vec<Source>);

impl Sources {
    pub fn add(&mut self, source: Source) -> SourceId {
        self.0.push(source);
        self.0.len() - 1
    }

    pub fn get(&self, id: SourceId) -> &Source {
        &self.0[id]
    }

    /// The source with this name, if it was read.
    pub fn find(&self, name: &str) -> Option<SourceId> {
        self.0.iter().position(|s| s.name == name)
    }

    pub fn name(&self, id: SourceId) -> &str {
        &self.0[id].name
    }

    pub fn locate(&self, span: Span) -> Location {
        self.0[span.source].locate(span.offset)
    }

    pub fn text(&self, span: Span) -> &str {
        let text = &self.0[span.source].text;
        text.get(span.offset..span.offset + span.len).unwrap_or("")
    }
}

/// The few windows of a source that one diagnostic shows, with their true
/// offsets, lines and columns, so miette prints real line numbers without
/// holding or scanning the whole file.
#[derive(Debug, Clone)]
pub struct Excerpt(Box<ExcerptInner>);

#[derive(Debug, Clone)]
struct ExcerptInner {
    name: String,
    windows: Vec<Window>,
}

#[derive(Debug, Clone)]
struct Window {
    text: String,
    offset: usize,
    /// 0-based line and character column where `text` starts.
    line: usize,
    column: usize,
}

/// How many bytes of a long line to show on each side of a label.
const LONG_LINE_CONTEXT: usize = 40;
/// Lines longer than this are cut around the label.
const LONG_LINE: usize = 240;

impl Excerpt {
    /// The excerpt for one span of a source.
    pub fn at(source: &Source, offset: usize, len: usize) -> Self {
        Excerpt::around(source, &[(offset, len)])
    }

    /// Windows of `text` around each `(offset, length)`: the line before,
    /// the lines of the span and the line after; long lines are cut around
    /// the span.
    pub fn around(source: &Source, spans: &[(usize, usize)]) -> Self {
        Excerpt::around_masked(source, spans, &[])
    }

    /// The same, with the bytes of each `masked` range (sensitive values)
    /// shown as `*`.
    pub fn around_masked(
        source: &Source,
        spans: &[(usize, usize)],
        masked: &[(usize, usize)],
    ) -> Self {
        let text = source.text.as_str();
        let mut wanted: Vec<Range<usize>> = spans
            .iter()
            .map(|&(offset, len)| {
                let start = offset.min(text.len());
                let end = (offset + len).clamp(start, text.len());
                window_bounds(text, start..end)
            })
            .collect();
        wanted.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in wanted {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let windows = merged
            .into_iter()
            .map(|r| {
                let at = source.locate(r.start);
                let mut shown = crate::display::excerpt(&text[r.clone()]);
                for &(offset, len) in masked {
                    let (start, end) = (offset.max(r.start), (offset + len).min(r.end));
                    if start < end
                        && shown.is_char_boundary(start - r.start)
                        && shown.is_char_boundary(end - r.start)
                    {
                        shown.replace_range(
                            start - r.start..end - r.start,
                            &"*".repeat(end - start),
                        );
                    }
                }
                Window {
                    text: shown,
                    offset: r.start,
                    line: at.line - 1,
                    column: at.column - 1,
                }
            })
            .collect();
        Excerpt(Box::new(ExcerptInner {
            name: source.name.clone(),
            windows,
        }))
    }
}

/// The bytes to show around `range`: from the start of the previous line to
/// the end of the next one, each line cut to a window if it is long.
fn window_bounds(text: &str, range: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let line_start = |at: usize| memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let line_end = |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let first = line_start(range.start);
    let last = line_end(range.end);
    let mut start = if first > 0 { line_start(first - 1) } else { 0 };
    let mut end = if last < bytes.len() {
        line_end(last + 1)
    } else {
        last
    };
    if range.start - start > LONG_LINE || first - start > LONG_LINE {
        start = range.start.saturating_sub(LONG_LINE_CONTEXT).max(first);
        if range.start - start > LONG_LINE_CONTEXT {
            start = range.start - LONG_LINE_CONTEXT;
        }
    }
    if end - range.end > LONG_LINE || end - last > LONG_LINE {
        end = (range.end + LONG_LINE_CONTEXT).min(last);
    }
    floor_char(text, start)..ceil_char(text, end)
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let window = self
            .0
            .windows
            .iter()
            .find(|w| {
                span.offset() >= w.offset && span.offset() + span.len() <= w.offset + w.text.len()
            })
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((span.offset() - window.offset).into(), span.len());
        let inner = window.text.read_span(&local, before, after)?;
        let column = if inner.line() == 0 {
            inner.column() + window.column
        } else {
            inner.column()
        };
        let data = inner.data();
        let start = inner.span().offset() + window.offset;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.name.clone(),
            data,
            SourceSpan::new(start.into(), inner.span().len()),
            inner.line() + window.line,
            column,
            inner.line_count(),
        )))
    }
}

/// Byte offset of serde_json's 1-based line and byte column.
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    if line > 1
        && let Some(nl) = memchr::memchr_iter(b'\n', bytes).nth(line - 2)
    {
        start = nl + 1;
    }
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_in_any_order() {
        let s = Source::new("p", "ab\ncdé\nf".to_string());
        assert_eq!(s.locate(7), Location { line: 2, column: 4 });
        assert_eq!(s.locate(0), Location { line: 1, column: 1 });
        assert_eq!(s.locate(8), Location { line: 3, column: 1 });
        assert_eq!(s.locate(99), Location { line: 3, column: 2 });
    }

    #[test]
    fn excerpt_cuts_long_lines() {
        let text = format!(
            "{}\"www.example.com\"{}",
            "x".repeat(5000),
            "y".repeat(5000)
        );
        let e = Excerpt::at(&Source::new("p", text), 5000, 17);
        assert_eq!(e.0.windows.len(), 1);
        assert!(e.0.windows[0].text.len() < 200);
        let c = e.read_span(&(5000, 17).into(), 0, 0).unwrap();
        assert_eq!(c.column(), 5000);
        assert_eq!(c.line(), 0);
    }
}
