//! Asks DNS, read-only: for each alias a change adds, the CNAME chain (one
//! CNAME query per hop, bounded and loop-checked) and the A/AAAA addresses
//! of its last name; the reverse names of those addresses when there is no
//! CNAME (a Route 53 alias record answers with CloudFront's addresses
//! directly); and the `_<alias>` TXT record of the associate-alias
//! checklist. The only module that talks to DNS.
//!
//! NXDOMAIN and NODATA are answers. A timeout, SERVFAIL, REFUSED or an
//! unreachable resolver is a failure: it stops the run, or with
//! `--on-api-error=warn` becomes the reason the name was not verified.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

use super::{DnsAnswers, DnsOptions, Resolution, bounded, tolerate};
use crate::error::FetchError;
use crate::model::DomainName;

/// The longest CNAME chain followed; resolvers give up near this length too.
pub const MAX_CHAIN: usize = 12;
/// How many addresses of one name are looked up in reverse.
const MAX_REVERSE: usize = 2;

/// A resolver and how to name it in messages.
#[derive(Clone)]
struct Asker {
    resolver: Arc<TokioResolver>,
    name: String,
}

/// Builds the resolver: the servers given, else the system's configuration.
fn asker(options: &DnsOptions) -> Result<Asker, FetchError> {
    let mut opts = ResolverOpts::default();
    opts.timeout = options.timeout;
    opts.attempts = 1;
    opts.use_hosts_file = ResolveHosts::Never;
    opts.ndots = 0;
    opts.cache_size = 0;
    let (config, name) = if options.servers.is_empty() {
        let (config, _) =
            hickory_resolver::system_conf::read_system_conf().map_err(|e| FetchError::Dns {
                resolver: "the system resolver".into(),
                name: String::new(),
                detail: format!("cannot read the system's resolver configuration: {e}"),
            })?;
        let mut servers: Vec<String> = config
            .name_servers()
            .iter()
            .map(|s| s.ip.to_string())
            .collect();
        servers.dedup();
        let name = if servers.is_empty() {
            "the system resolver".to_string()
        } else {
            format!("the system resolver ({})", servers.join(", "))
        };
        // Search domains never apply: aliases are absolute names.
        let (_, _, name_servers) = config.into_parts();
        (ResolverConfig::from_name_servers(name_servers), name)
    } else {
        let servers = options
            .servers
            .iter()
            .map(|addr| {
                let mut udp = ConnectionConfig::udp();
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::tcp();
                tcp.port = addr.port();
                NameServerConfig::new(addr.ip(), true, vec![udp, tcp])
            })
            .collect();
        let names: Vec<String> = options.servers.iter().map(SocketAddr::to_string).collect();
        (ResolverConfig::from_name_servers(servers), names.join(", "))
    };
    let mut builder = Resolver::builder_with_config(config, TokioRuntimeProvider::default());
    *builder.options_mut() = opts;
    let resolver = builder.build().map_err(|e| FetchError::Dns {
        resolver: name.clone(),
        name: String::new(),
        detail: e.to_string(),
    })?;
    Ok(Asker {
        resolver: Arc::new(resolver),
        name,
    })
}

/// Asks DNS about every name, a bounded number at a time. With
/// `--on-api-error=fail` the first failure is returned.
pub async fn fetch(
    names: &[DomainName],
    sensitive: &std::collections::HashSet<DomainName>,
    options: &DnsOptions,
) -> Result<DnsAnswers, FetchError> {
    let asker = asker(options)?;
    let mut answers = DnsAnswers {
        resolvers: vec![asker.name.clone()],
        ..DnsAnswers::default()
    };
    let jobs = names.iter().cloned().map(|name| {
        let asker = asker.clone();
        async move {
            let resolution = resolve(&asker, &name).await;
            let txt = txt(&asker, &name).await;
            (name, resolution, txt)
        }
    });
    for (name, resolution, txt) in bounded(jobs, options.concurrency).await? {
        // A failure about a sensitive alias does not name what was asked.
        let secret = sensitive.contains(&name);
        let mask = |e: FetchError| if secret { e.without_name() } else { e };
        let resolution = tolerate(resolution.map_err(mask), options.on_api_error)?;
        let txt = tolerate(txt.map_err(mask), options.on_api_error)?;
        answers.names.insert(name.clone(), resolution);
        answers.txt.insert(name, txt);
    }
    Ok(answers)
}

/// What one query said: records, no such name, no record of that type.
enum Answer<T> {
    Records(Vec<T>),
    NxDomain,
    NoData,
}

async fn query(asker: &Asker, name: &str, kind: RecordType) -> Result<Answer<RData>, FetchError> {
    // A trailing dot: the name is absolute, no search domain is tried.
    let fqdn = format!("{name}.");
    match asker.resolver.lookup(fqdn.as_str(), kind).await {
        Ok(lookup) => Ok(Answer::Records(
            lookup
                .answers()
                .iter()
                .filter(|r| r.record_type() == kind)
                .map(|r| r.data.clone())
                .collect(),
        )),
        Err(e) if e.is_nx_domain() => Ok(Answer::NxDomain),
        Err(e) if e.is_no_records_found() => Ok(Answer::NoData),
        Err(e) => Err(failure(asker, name, kind, &e)),
    }
}

fn failure(asker: &Asker, name: &str, kind: RecordType, e: &NetError) -> FetchError {
    let what = match e {
        NetError::Timeout => "timed out".to_string(),
        NetError::Dns(hickory_resolver::net::DnsError::ResponseCode(code)) => {
            format!("answered {}", code.to_str())
        }
        NetError::Io(io) => format!("could not be reached ({io})"),
        NetError::NoConnections => "could not be reached".to_string(),
        other => other.to_string(),
    };
    FetchError::Dns {
        resolver: asker.name.clone(),
        name: name.to_string(),
        detail: format!("the {kind} query {what}"),
    }
}

/// Follows the CNAME chain of `name`, then reads the addresses of its last
/// name and, when there was no CNAME, their reverse names.
async fn resolve(asker: &Asker, name: &DomainName) -> Result<Resolution, FetchError> {
    let mut out = Resolution::default();
    let mut current = name.clone();
    loop {
        let next = match query(asker, current.as_str(), RecordType::CNAME).await? {
            Answer::Records(records) => records.into_iter().find_map(|r| match r {
                RData::CNAME(c) => Some(DomainName::new(&c.0.to_ascii())),
                _ => None,
            }),
            Answer::NxDomain => {
                out.end = super::ChainEnd::NxDomain;
                return Ok(out);
            }
            Answer::NoData => None,
        };
        let Some(next) = next else { break };
        if next == *name || out.chain.contains(&next) {
            out.chain.push(next);
            out.end = super::ChainEnd::Loop;
            return Ok(out);
        }
        out.chain.push(next.clone());
        if out.chain.len() >= MAX_CHAIN {
            out.end = super::ChainEnd::TooLong;
            return Ok(out);
        }
        current = next;
    }
    for kind in [RecordType::A, RecordType::AAAA] {
        match query(asker, current.as_str(), kind).await? {
            Answer::Records(records) => {
                out.addresses
                    .extend(records.into_iter().filter_map(|r| match r {
                        RData::A(a) => Some(IpAddr::V4(a.0)),
                        RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                        _ => None,
                    }));
            }
            Answer::NxDomain => {
                out.end = super::ChainEnd::NxDomain;
                return Ok(out);
            }
            Answer::NoData => {}
        }
    }
    out.end = if out.addresses.is_empty() {
        super::ChainEnd::NoData
    } else {
        super::ChainEnd::Addresses
    };
    if out.chain.is_empty() {
        for ip in out.addresses.clone().into_iter().take(MAX_REVERSE) {
            let reverse = hickory_resolver::proto::rr::Name::from(ip).to_ascii();
            let reverse = reverse.trim_end_matches('.');
            if let Answer::Records(records) = query(asker, reverse, RecordType::PTR).await? {
                out.reverse
                    .extend(records.into_iter().filter_map(|r| match r {
                        RData::PTR(p) => Some(DomainName::new(&p.0.to_ascii())),
                        _ => None,
                    }));
            }
        }
        out.reverse.sort();
        out.reverse.dedup();
    }
    Ok(out)
}

/// The values of the TXT records AWS documents for moving the alias
/// (`_<alias>`; for an apex also `_.<alias>` and the apex itself).
async fn txt(asker: &Asker, name: &DomainName) -> Result<Vec<String>, FetchError> {
    let mut values = Vec::new();
    for txt_name in name.txt_names() {
        if let Answer::Records(records) = query(asker, &txt_name, RecordType::TXT).await? {
            values.extend(records.into_iter().filter_map(|r| {
                match r {
                    RData::TXT(t) => Some(
                        t.txt_data
                            .iter()
                            .map(|part| String::from_utf8_lossy(part).into_owned())
                            .collect::<String>(),
                    ),
                    _ => None,
                }
            }));
        }
    }
    Ok(values)
}

/// Parses `--dns-server`: `IP`, `IP:PORT`, `[IPv6]:PORT` (port 53 by default).
pub fn parse_server(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if let Ok(ip) = text
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err(format!(
        "expected an IP address with an optional port, e.g. `10.0.0.2` or `127.0.0.1:5353`, got `{text}`"
    ))
}

/// Whether a reverse name is one of CloudFront's edge servers
/// (`server-13-32-0-1.fra56.r.cloudfront.net`).
pub fn is_cloudfront_edge(name: &DomainName) -> bool {
    name.as_str().ends_with(".r.cloudfront.net")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_servers_parse_with_and_without_ports() {
        assert_eq!(
            parse_server("10.0.0.2").unwrap(),
            "10.0.0.2:53".parse().unwrap()
        );
        assert_eq!(
            parse_server("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(
            parse_server("[::1]:53").unwrap(),
            "[::1]:53".parse().unwrap()
        );
        assert_eq!(parse_server("::1").unwrap(), "[::1]:53".parse().unwrap());
        assert!(parse_server("dns.example.com").is_err());
    }
}
