//! Reads Route 53, read-only, for names that resolve without a CNAME: an
//! alias record (A/AAAA) answers with the target's addresses, so DNS alone
//! cannot say which distribution it points at. The public hosted zones of
//! each reached account are listed once (ListHostedZonesByName); a name
//! inside one of them is read with ListResourceRecordSets, exact record
//! first, then the wildcard that answers for it.

use aws_sdk_route53::types::RrType;

use super::aws::{Clients, classify};
use super::paging::Pages;
use super::{Route53, Route53Alias};
use crate::error::FetchError;
use crate::model::DomainName;

/// Pages of hosted zones read per account (100 zones each).
const MAX_ZONE_PAGES: usize = 50;

/// A public hosted zone of one account.
#[derive(Debug, Clone)]
pub struct Zone {
    pub id: String,
    pub name: DomainName,
}

/// The public hosted zones of one account.
pub async fn zones(c: &Clients) -> Result<Vec<Zone>, FetchError> {
    const OPERATION: &str = "route53:ListHostedZonesByName";
    // The same rule as every listing: a repeated place or too many pages is
    // an error. Route 53's place is a (name, zone ID) pair.
    let mut pages = Pages::with_limit(OPERATION, &c.provider, MAX_ZONE_PAGES);
    let mut out = Vec::new();
    let mut next: Option<(String, String)> = None;
    loop {
        let mut request = c.route53.list_hosted_zones_by_name().max_items(100);
        if let Some((name, id)) = next.take() {
            request = request.dns_name(name).hosted_zone_id(id);
        }
        let page = request
            .send()
            .await
            .map_err(|e| classify(e, OPERATION, &c.provider))?;
        for z in page.hosted_zones() {
            if z.config().is_some_and(|cfg| cfg.private_zone()) {
                continue;
            }
            out.push(Zone {
                id: z.id().trim_start_matches("/hostedzone/").to_string(),
                name: DomainName::new(&unescape(z.name())),
            });
        }
        if !page.is_truncated() {
            return Ok(out);
        }
        let (Some(name), Some(id)) = (page.next_dns_name(), page.next_hosted_zone_id()) else {
            return Err(pages.malformed("truncated, with no place to go on from"));
        };
        let marker = format!("{name}\u{0}{id}");
        if pages.next(Some(&marker))?.is_none() {
            return Err(pages.malformed("truncated, with no place to go on from"));
        }
        next = Some((name.to_string(), id.to_string()));
    }
}

/// The zone of `zones` that holds `name`: the longest suffix.
pub fn zone_of<'a>(name: &DomainName, zones: &'a [Zone]) -> Option<&'a Zone> {
    zones
        .iter()
        .filter(|z| {
            name == &z.name
                || name
                    .as_str()
                    .strip_suffix(z.name.as_str())
                    .is_some_and(|head| head.ends_with('.'))
        })
        .max_by_key(|z| z.name.as_str().len())
}

/// The alias record of `name` in `zone`: the exact name, else the wildcard
/// one label up that answers for it.
pub async fn alias_record(
    c: &Clients,
    zone: &Zone,
    name: &DomainName,
) -> Result<Route53, FetchError> {
    let mut candidates = vec![name.clone()];
    if let Some((_, parent)) = name.as_str().split_once('.')
        && !name.is_wildcard()
        && parent.len() >= zone.name.as_str().len()
    {
        candidates.push(DomainName::new(&format!("*.{parent}")));
    }
    for candidate in candidates {
        let page = c
            .route53
            .list_resource_record_sets()
            .hosted_zone_id(&zone.id)
            .start_record_name(candidate.as_str())
            .start_record_type(RrType::A)
            .max_items(4)
            .send()
            .await
            .map_err(|e| classify(e, "route53:ListResourceRecordSets", &c.provider))?;
        for set in page.resource_record_sets() {
            if DomainName::new(&unescape(set.name())) != candidate
                || !matches!(set.r#type(), RrType::A | RrType::Aaaa)
            {
                continue;
            }
            if let Some(target) = set.alias_target() {
                return Ok(Route53::Alias(Route53Alias {
                    account_id: c.account_id.clone(),
                    zone_id: zone.id.clone(),
                    record: candidate,
                    target: DomainName::new(target.dns_name()),
                }));
            }
        }
    }
    Ok(Route53::NotFound)
}

/// Route 53 writes `*` and other special characters as octal escapes
/// (`\052.example.com.`).
fn unescape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let digits: String = chars.clone().take(3).collect();
            if digits.len() == 3
                && let Ok(code) = u8::from_str_radix(&digits, 8)
            {
                out.push(char::from(code));
                for _ in 0..3 {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_escapes_are_read() {
        assert_eq!(unescape("\\052.example.com."), "*.example.com.");
        assert_eq!(unescape("www.example.com."), "www.example.com.");
    }

    #[test]
    fn the_longest_zone_holds_the_name() {
        let zones = [
            Zone {
                id: "Z1".into(),
                name: DomainName::new("example.com."),
            },
            Zone {
                id: "Z2".into(),
                name: DomainName::new("shop.example.com."),
            },
        ];
        let of = |n: &str| zone_of(&DomainName::new(n), &zones).map(|z| z.id.as_str());
        assert_eq!(of("www.shop.example.com"), Some("Z2"));
        assert_eq!(of("www.example.com"), Some("Z1"));
        assert_eq!(of("example.com"), Some("Z1"));
        assert_eq!(of("xexample.com"), None);
    }
}
