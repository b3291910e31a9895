//! Asks DNS, read-only; the only module that talks to DNS. For each alias
//! a change adds: the CNAME chain (one CNAME query per hop, bounded and
//! loop-checked), which ends at the first `*.cloudfront.net` name (a
//! distribution's domain or a connection group's routing endpoint: that is
//! the answer, and a resolver authoritative only for the user's zones
//! refuses anything past it); else the A/AAAA addresses of its last name,
//! asked together, and their reverse names when there is no CNAME (a
//! Route 53 alias record answers with CloudFront's addresses directly).
//! The `_<alias>` TXT records of the cross-account checklist are asked
//! after AWS, only for the aliases whose holder is in another account
//! ([`txt`]).
//!
//! NXDOMAIN and NODATA are answers. A timeout, any other response code, an
//! answer about other names or several CNAMEs for one name, or an
//! unreachable resolver is a failure (`query`): it stops the run at once
//! (the names still being asked are abandoned), or with
//! `--on-api-error=warn` becomes the reason the name was not verified. A
//! name's whole work (every query, UDP and TCP) has one `--timeout`.

mod chain;
mod query;
pub mod txt;

use std::collections::HashSet;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::{NameServerPool, PoolContext, TlsConfig};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{DnsAnswers, DnsOptions, tolerate};
use crate::error::FetchError;
use crate::model::DomainName;

/// The longest CNAME chain followed; resolvers give up near this length too.
pub const MAX_CHAIN: usize = 12;
/// How many names are asked at once by default (`--dns-concurrency`);
/// each has at most two queries in flight.
pub const DEFAULT_CONCURRENCY: usize = 64;
/// The most names asked at once that `--dns-concurrency` accepts.
pub const MAX_CONCURRENCY: usize = 256;

/// The resolvers to ask and how to name them in messages.
#[derive(Clone)]
pub(crate) struct Asker {
    pool: NameServerPool<TokioRuntimeProvider>,
    pub(crate) name: String,
}

/// Builds the resolver: the servers given, else the system's configuration
/// (its search domains never apply: aliases are absolute names).
pub(crate) fn asker(options: &DnsOptions) -> Result<Asker, FetchError> {
    let mut opts = ResolverOpts::default();
    opts.timeout = options.timeout;
    opts.attempts = 1;
    opts.ndots = 0;
    opts.cache_size = 0;
    let (servers, name) = if options.servers.is_empty() {
        let (config, _) =
            hickory_resolver::system_conf::read_system_conf().map_err(|e| FetchError::Dns {
                resolver: "the system resolver".into(),
                name: String::new(),
                detail: format!("cannot read the system's resolver configuration: {e}"),
            })?;
        let mut ips: Vec<String> = config
            .name_servers()
            .iter()
            .map(|s| s.ip.to_string())
            .collect();
        ips.dedup();
        let name = if ips.is_empty() {
            "the system resolver".to_string()
        } else {
            format!("the system resolver ({})", ips.join(", "))
        };
        let (_, _, servers) = config.into_parts();
        (servers, name)
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
        (servers, names.join(", "))
    };
    let tls = TlsConfig::new().map_err(|e| FetchError::Dns {
        resolver: name.clone(),
        name: String::new(),
        detail: e.to_string(),
    })?;
    let context = Arc::new(PoolContext::new(opts, tls));
    Ok(Asker {
        pool: NameServerPool::from_config(servers, context, TokioRuntimeProvider::default()),
        name,
    })
}

/// Follows the CNAME chain of every name, a bounded number at a time.
/// With `--on-api-error=fail` the first failure is returned.
pub async fn fetch(
    names: &[DomainName],
    sensitive: &HashSet<DomainName>,
    options: &DnsOptions,
) -> Result<DnsAnswers, FetchError> {
    let asker = asker(options)?;
    let mut answers = DnsAnswers {
        resolvers: vec![asker.name.clone()],
        ..DnsAnswers::default()
    };
    let results = each(
        &asker,
        names,
        sensitive,
        options,
        |asker, name| async move { chain::resolve(&asker, &name).await },
    )
    .await?;
    for (name, resolution) in results {
        answers.names.insert(name, resolution.and_then(|r| r));
    }
    Ok(answers)
}

/// Runs `job` for every name, at most `--dns-concurrency` names at once,
/// each within one `--timeout`. A failure is a reason with
/// `--on-api-error=warn`; otherwise the first one is returned at once and
/// the names still being asked are abandoned (their tasks aborted).
pub(crate) async fn each<T, F, Fut>(
    asker: &Asker,
    names: &[DomainName],
    sensitive: &HashSet<DomainName>,
    options: &DnsOptions,
    job: F,
) -> Result<Vec<(DomainName, Result<T, String>)>, FetchError>
where
    T: Send + 'static,
    F: Fn(Asker, DomainName) -> Fut,
    Fut: Future<Output = Result<T, FetchError>> + Send + 'static,
{
    let limit = Arc::new(Semaphore::new(
        options.concurrency.clamp(1, MAX_CONCURRENCY),
    ));
    let timeout = options.timeout;
    let mut tasks = JoinSet::new();
    for name in names {
        let limit = limit.clone();
        let work = job(asker.clone(), name.clone());
        let (name, resolver) = (name.clone(), asker.name.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let result = match tokio::time::timeout(timeout, work).await {
                Ok(result) => result,
                Err(_) => Err(FetchError::Dns {
                    resolver,
                    name: name.to_string(),
                    detail: format!(
                        "no answer within {} s (--timeout), all its queries together",
                        timeout.as_secs()
                    ),
                }),
            };
            (name, result)
        });
    }
    let mut out = Vec::with_capacity(names.len());
    while let Some(joined) = tasks.join_next().await {
        let (name, result) = joined.map_err(|e| FetchError::Dns {
            resolver: asker.name.clone(),
            name: String::new(),
            detail: format!("a lookup stopped unexpectedly: {e}"),
        })?;
        // A failure about a sensitive alias does not name what was asked.
        let result = result.map_err(|e| {
            if sensitive.contains(&name) {
                e.without_name()
            } else {
                e
            }
        });
        // Returning here drops `tasks`, which aborts every task left.
        out.push((name, tolerate(result, options.on_api_error)?));
    }
    Ok(out)
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

/// Whether a name is CloudFront's: a distribution's domain or a connection
/// group's routing endpoint (`dxxxx.cloudfront.net`), or an edge server.
/// A CNAME chain ends at the first one.
pub fn is_cloudfront(name: &DomainName) -> bool {
    name.as_str().ends_with(".cloudfront.net")
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

#[cfg(test)]
mod deadline_tests {
    use super::*;
    use crate::facts::OnApiError;
    use std::time::Duration;

    fn options(on_api_error: OnApiError) -> DnsOptions {
        DnsOptions {
            servers: vec!["127.0.0.1:9".parse().unwrap()],
            timeout: Duration::from_secs(1),
            on_api_error,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    fn names(n: usize) -> Vec<DomainName> {
        (0..n)
            .map(|i| DomainName::new(&format!("a{i}.example.com")))
            .collect()
    }

    /// Work that never ends: a resolver that never answers.
    async fn never(_: Asker, _: DomainName) -> Result<(), FetchError> {
        std::future::pending().await
    }

    #[tokio::test(start_paused = true)]
    async fn each_name_has_one_timeout_and_the_first_failure_stops_the_rest() {
        let options = options(OnApiError::Fail);
        let asker = asker(&options).unwrap();
        let started = tokio::time::Instant::now();
        let e = each(&asker, &names(100), &HashSet::new(), &options, never)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("no answer within 1 s"), "{e}");
        // 100 names, 64 at a time: the first failure ends the run after
        // one timeout, not two.
        assert!(started.elapsed() < Duration::from_millis(1500));
    }

    #[tokio::test(start_paused = true)]
    async fn with_warn_every_name_gets_its_reason() {
        let options = options(OnApiError::Warn);
        let asker = asker(&options).unwrap();
        let secret = DomainName::new("a3.example.com");
        let sensitive = HashSet::from([secret.clone()]);
        let out = each(&asker, &names(100), &sensitive, &options, never)
            .await
            .unwrap();
        assert_eq!(out.len(), 100);
        for (name, result) in &out {
            let reason = result.as_ref().unwrap_err();
            assert!(reason.contains("no answer within 1 s"), "{reason}");
            assert_eq!(name == &secret, !reason.contains(name.as_str()), "{reason}");
        }
    }
}
