//! Where one alias leads: its CNAME chain, hop by hop, up to the first
//! CloudFront name; else the addresses of its last name (A and AAAA asked
//! together) and, when there is no CNAME, their reverse names.

use std::net::IpAddr;

use hickory_resolver::proto::rr::{Name, RData, RecordType};

use super::query::{Answer, ask, domain, wire_name};
use super::{Asker, MAX_CHAIN, is_cloudfront};
use crate::error::FetchError;
use crate::facts::{ChainEnd, Resolution};
use crate::model::DomainName;

/// How many addresses of one name are looked up in reverse.
const MAX_REVERSE: usize = 2;

/// Follows the CNAME chain of `name`; a name DNS cannot carry is a reason,
/// not a failure of the run.
pub(super) async fn resolve(
    asker: &Asker,
    name: &DomainName,
) -> Result<Result<Resolution, String>, FetchError> {
    match wire_name(name.as_str()) {
        Ok(first) => follow(asker, name, first).await.map(Ok),
        Err(reason) => Ok(Err(reason)),
    }
}

async fn follow(asker: &Asker, name: &DomainName, first: Name) -> Result<Resolution, FetchError> {
    let mut out = Resolution::default();
    let mut current = first;
    loop {
        let next = match ask(asker, &current, RecordType::CNAME).await? {
            Answer::Records(records) => records.into_iter().find_map(|r| match r {
                RData::CNAME(c) => Some(c.0),
                _ => None,
            }),
            Answer::NxDomain => {
                out.end = ChainEnd::NxDomain;
                return Ok(out);
            }
            Answer::NoData => None,
        };
        let Some(next) = next else { break };
        let hop = domain(&next);
        if hop == *name || out.chain.contains(&hop) {
            out.chain.push(hop);
            out.end = ChainEnd::Loop;
            return Ok(out);
        }
        out.chain.push(hop.clone());
        // A CloudFront name is the answer: what lies past it is
        // CloudFront's, and a resolver that serves only the user's zones
        // refuses to say.
        if is_cloudfront(&hop) {
            out.end = ChainEnd::CloudFront;
            return Ok(out);
        }
        if out.chain.len() >= MAX_CHAIN {
            out.end = ChainEnd::TooLong;
            return Ok(out);
        }
        current = next;
    }
    let (v4, v6) = tokio::join!(
        ask(asker, &current, RecordType::A),
        ask(asker, &current, RecordType::AAAA)
    );
    for answer in [v4?, v6?] {
        match answer {
            Answer::Records(records) => {
                out.addresses
                    .extend(records.into_iter().filter_map(|r| match r {
                        RData::A(a) => Some(IpAddr::V4(a.0)),
                        RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                        _ => None,
                    }));
            }
            Answer::NxDomain => {
                out.end = ChainEnd::NxDomain;
                out.addresses.clear();
                return Ok(out);
            }
            Answer::NoData => {}
        }
    }
    out.end = if out.addresses.is_empty() {
        ChainEnd::NoData
    } else {
        ChainEnd::Addresses
    };
    if out.chain.is_empty() {
        let ips: Vec<IpAddr> = out.addresses.iter().copied().take(MAX_REVERSE).collect();
        let (a, b) = tokio::join!(reverse(asker, ips.first()), reverse(asker, ips.get(1)));
        out.reverse.extend(a?);
        out.reverse.extend(b?);
        out.reverse.sort();
        out.reverse.dedup();
    }
    Ok(out)
}

/// The reverse names of one address, if any.
async fn reverse(asker: &Asker, ip: Option<&IpAddr>) -> Result<Vec<DomainName>, FetchError> {
    let Some(ip) = ip else {
        return Ok(Vec::new());
    };
    Ok(match ask(asker, &Name::from(*ip), RecordType::PTR).await? {
        Answer::Records(records) => records
            .into_iter()
            .filter_map(|r| match r {
                RData::PTR(p) => Some(domain(&p.0)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}
