//! Following pagination markers without trusting them: an answer whose
//! marker comes back again, or that goes on past a page limit, is an API
//! error, never an endless loop or a silently shortened list.

use std::collections::HashSet;

use crate::error::FetchError;

/// Pages read of one listing at most: 1,000 pages of 100 items.
pub const MAX_PAGES: usize = 1_000;

/// The markers one listing has followed.
pub struct Pages {
    operation: &'static str,
    provider: String,
    seen: HashSet<String>,
    read: usize,
    limit: usize,
}

impl Pages {
    pub fn new(operation: &'static str, provider: &str) -> Pages {
        Pages::with_limit(operation, provider, MAX_PAGES)
    }

    pub fn with_limit(operation: &'static str, provider: &str, limit: usize) -> Pages {
        Pages {
            operation,
            provider: provider.to_string(),
            seen: HashSet::new(),
            read: 0,
            limit,
        }
    }

    /// After a page: the marker to ask for next, None when the listing is
    /// complete, or why the answer cannot be trusted.
    pub fn next(&mut self, marker: Option<&str>) -> Result<Option<String>, FetchError> {
        self.read += 1;
        let Some(marker) = marker.filter(|m| !m.is_empty()) else {
            return Ok(None);
        };
        if !self.seen.insert(marker.to_string()) {
            return Err(self.error(format!(
                "page {} gives a marker an earlier page gave; the listing would never end",
                self.read
            )));
        }
        if self.read >= self.limit {
            return Err(self.error(format!(
                "the listing goes on past {} pages; it was not read to its end",
                self.limit
            )));
        }
        Ok(Some(marker.to_string()))
    }

    /// An answer that lacks what every answer has.
    pub fn malformed(&self, what: &str) -> FetchError {
        self.error(format!("the answer is malformed: {what}"))
    }

    fn error(&self, detail: String) -> FetchError {
        FetchError::Api {
            operation: self.operation.to_string(),
            provider: self.provider.clone(),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_marker_is_an_error() {
        let mut pages = Pages::new("cloudfront:ListDistributions", "aws");
        assert_eq!(pages.next(Some("a")).unwrap().as_deref(), Some("a"));
        assert_eq!(pages.next(Some("b")).unwrap().as_deref(), Some("b"));
        let e = pages.next(Some("a")).unwrap_err();
        assert!(e.to_string().contains("never end"), "{e}");
    }

    #[test]
    fn markers_without_end_stop_at_the_limit() {
        let mut pages = Pages::with_limit("cloudfront:ListConflictingAliases", "aws", 5);
        for i in 0..4 {
            assert!(pages.next(Some(&format!("m{i}"))).unwrap().is_some());
        }
        let e = pages.next(Some("m4")).unwrap_err();
        assert!(e.to_string().contains("past 5 pages"), "{e}");
    }

    #[test]
    fn no_marker_or_an_empty_one_ends_the_listing() {
        let mut pages = Pages::new("cloudfront:ListDistributions", "aws");
        assert_eq!(pages.next(None).unwrap(), None);
        assert_eq!(pages.next(Some("")).unwrap(), None);
    }
}
