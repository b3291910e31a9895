//! Values from AWS answers are checked like values from inputs before any
//! check or report sees them: an ID, an account, a status, a domain name or
//! an ARN that is not what AWS documents (too long, control characters,
//! characters no such value has) makes the answer malformed. An endpoint
//! that answers with something else is not trusted (it may be an emulator
//! gone wrong, a proxy, or a hostile endpoint named by `--endpoint-url`):
//! the lookup fails and follows `--on-api-error`, never a clean pass, and
//! no such value reaches a terminal, a log or a pull-request comment.

use super::super::paging::Pages;
use crate::error::FetchError;
use crate::model::DomainName;

/// The longest ID accepted: distribution IDs have 13-14 characters, tenant
/// and connection-group IDs about 30 (`dt_...`, `cg_...`).
const MAX_ID: usize = 64;
/// The longest ARN accepted (ACM and CloudFront ARNs are far shorter).
const MAX_ARN: usize = 512;
/// The longest status or name accepted (`Deployed`, `InProgress`; a
/// connection group's name has at most 128 characters).
const MAX_WORD: usize = 128;

/// A resource ID (`E2QX7EXAMPLE9Z`, `dt_2x9G...`, `cg_2wjD...`), or one AWS
/// masked (`*******AMPLE9Z`).
pub(crate) fn id(pages: &Pages, what: &str, value: &str) -> Result<String, FetchError> {
    let ok = !value.is_empty()
        && value.len() <= MAX_ID
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'*'));
    checked(pages, what, value, ok)
}

/// An account ID: twelve digits, or masked with `*`.
pub(crate) fn account(pages: &Pages, value: &str) -> Result<String, FetchError> {
    let ok = !value.is_empty()
        && value.len() <= 32
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'*');
    checked(pages, "an account ID", value, ok)
}

/// A status, a name: printable ASCII without line breaks, bounded.
pub(crate) fn word(pages: &Pages, what: &str, value: &str) -> Result<String, FetchError> {
    let ok = value.len() <= MAX_WORD && value.bytes().all(|b| (0x20..0x7f).contains(&b));
    checked(pages, what, value, ok)
}

/// An ARN: printable ASCII without spaces, bounded.
pub(crate) fn arn(pages: &Pages, value: &str) -> Result<String, FetchError> {
    let ok = value.len() <= MAX_ARN && value.bytes().all(|b| (0x21..0x7f).contains(&b));
    checked(pages, "an ARN", value, ok)
}

/// A domain name AWS holds (an alias, a wildcard, a CloudFront domain): a
/// valid DNS name, as CloudFront accepts only those.
pub(crate) fn domain(pages: &Pages, value: &str) -> Result<DomainName, FetchError> {
    let trimmed = value.trim_end_matches('.').to_ascii_lowercase();
    if DomainName::validate(&trimmed).is_err() {
        return Err(pages.malformed(&format!(
            "a domain name that is not a valid DNS name ({})",
            described(value)
        )));
    }
    Ok(DomainName::new(&trimmed))
}

fn checked(pages: &Pages, what: &str, value: &str, ok: bool) -> Result<String, FetchError> {
    if ok {
        Ok(value.to_string())
    } else {
        Err(pages.malformed(&format!(
            "{what} that no such value looks like ({})",
            described(value)
        )))
    }
}

/// How a refused value is described: its length and whether it holds
/// characters that must not be printed, never the value itself.
fn described(value: &str) -> String {
    let unsafe_chars = value
        .chars()
        .filter(|c| crate::display::is_unsafe(*c))
        .count();
    if unsafe_chars > 0 {
        format!(
            "{} characters, {unsafe_chars} of them control or formatting characters",
            value.chars().count()
        )
    } else {
        format!("{} characters", value.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Pages {
        Pages::new("cloudfront:ListDomainConflicts", "aws")
    }

    #[test]
    fn ids_accounts_and_domains_as_aws_sends_them_pass() {
        let p = pages();
        assert_eq!(id(&p, "an ID", "E2QX7EXAMPLE9Z").unwrap(), "E2QX7EXAMPLE9Z");
        assert!(id(&p, "an ID", "*******AMPLE9Z").is_ok());
        assert!(id(&p, "an ID", "dt_2x9GhoK0TZRsohWzv1b9It8J1AB").is_ok());
        assert!(account(&p, "******789012").is_ok());
        assert!(word(&p, "a status", "InProgress").is_ok());
        assert!(arn(&p, "arn:aws:acm:us-east-1:111111111111:certificate/abc").is_ok());
        assert_eq!(
            domain(&p, "*.Example.com.").unwrap().as_str(),
            "*.example.com"
        );
    }

    #[test]
    fn values_no_aws_answer_holds_make_the_answer_malformed_without_quoting_them() {
        let p = pages();
        let huge = "E".repeat(10_000);
        for e in [
            id(&p, "a distribution ID", &huge).unwrap_err(),
            id(&p, "a distribution ID", "E1\u{1b}]0;pwned\u{7}").unwrap_err(),
            id(&p, "a distribution ID", "").unwrap_err(),
            account(&p, "1111 ::warning::x").unwrap_err(),
            word(&p, "a status", "Deployed\n::error::x").unwrap_err(),
            arn(&p, "arn with spaces").unwrap_err(),
            domain(&p, "evil.com\u{202e}moc").unwrap_err(),
            domain(&p, &"a.".repeat(200)).unwrap_err(),
        ] {
            let text = e.to_string();
            assert!(text.contains("malformed"), "{text}");
            assert!(!text.contains("pwned") && !text.contains("::"), "{text}");
            assert!(text.len() < 300, "{text}");
        }
    }
}
