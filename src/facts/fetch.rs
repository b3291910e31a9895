//! The facts stage: asks AWS and DNS's CNAME chains at the same time on one
//! runtime; then, together, reads Route 53 for the names DNS alone cannot
//! place (they resolve to addresses with no CNAME), with the clients of the
//! accounts AWS reached, and asks the `_<alias>` TXT records of the aliases
//! AWS says are held in another account (the only ones whose move needs
//! one).

use super::aws::{self, Clients};
use super::{
    AwsFacts, AwsOptions, DnsAnswers, DnsFacts, DnsOptions, Facts, NotAsked, Route53, TxtAnswer,
    dns, route53, tolerate,
};
use crate::error::FetchError;
use crate::model::{DomainName, ProviderConfig};

/// One alias to look up, from the account of the resource that claims it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub alias: DomainName,
    pub provider_key: Option<String>,
    /// The claiming distribution's ID when it exists already.
    pub target_id: Option<String>,
    /// The ACM certificate the claiming distribution will use, when the plan
    /// gives its ARN but not its names.
    pub certificate_arn: Option<String>,
    /// What claims the alias, which decides how it is looked up.
    pub claimant: Claimant,
    /// The alias is sensitive: no message names it.
    pub sensitive: bool,
}

/// The kind of resource that claims an alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimant {
    /// A distribution: looked up through a probe distribution of its
    /// account whose certificate covers the alias.
    Distribution,
    /// A tenant's domain: ListDomainConflicts, validated against the tenant
    /// or, before it exists, its multi-tenant distribution (`parent`, when
    /// that exists).
    Tenant { parent: Option<String> },
}

/// Asks each service that is to be asked; a service that is not says why.
pub fn fetch(
    providers: &[ProviderConfig],
    asks: &[Ask],
    aws: Result<&AwsOptions, NotAsked>,
    dns: Result<&DnsOptions, NotAsked>,
) -> Facts {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let e = FetchError::Api {
                operation: "start".into(),
                provider: "aws".into(),
                detail: e.to_string(),
            };
            return Facts {
                aws: AwsFacts::Failed(e.clone()),
                dns: DnsFacts::Failed(e),
            };
        }
    };
    let mut names: Vec<DomainName> = asks.iter().map(|a| a.alias.clone()).collect();
    names.sort();
    names.dedup();
    let sensitive: std::collections::HashSet<DomainName> = asks
        .iter()
        .filter(|a| a.sensitive)
        .map(|a| a.alias.clone())
        .collect();
    runtime.block_on(async {
        let aws_job = async {
            match aws {
                Ok(options) => Some(aws::fetch(providers, asks, options).await),
                Err(_) => None,
            }
        };
        let dns_job = async {
            match dns {
                Ok(options) => Some(dns::fetch(&names, &sensitive, options).await),
                Err(_) => None,
            }
        };
        // Side by side; a service that fails (only with `--on-api-error
        // fail`: otherwise failures are reasons) fails the run, so the other
        // is stopped at once rather than waited for.
        tokio::pin!(aws_job, dns_job);
        let (aws_result, dns_result) = tokio::select! {
            a = &mut aws_job => match ended(a) {
                Some(Err(e)) => (Some(Err(e)), Some(Err(Ended::Stopped))),
                a => (a, ended(dns_job.await)),
            },
            d = &mut dns_job => match ended(d) {
                Some(Err(e)) => (Some(Err(Ended::Stopped)), Some(Err(e))),
                d => (ended(aws_job.await), d),
            },
        };
        let (aws_facts, clients) = match aws_result {
            Some(Ok((inventory, clients))) => (AwsFacts::Asked(inventory), clients),
            Some(Err(Ended::Failed(e))) => (AwsFacts::Failed(e), Vec::new()),
            Some(Err(Ended::Stopped)) => (AwsFacts::NotAsked(NotAsked::Stopped), Vec::new()),
            None => (
                AwsFacts::NotAsked(aws.err().unwrap_or(NotAsked::NothingToAsk)),
                Vec::new(),
            ),
        };
        let mut facts = Facts {
            aws: aws_facts,
            dns: match dns_result {
                Some(Ok(answers)) => DnsFacts::Asked(answers),
                Some(Err(Ended::Failed(e))) => DnsFacts::Failed(e),
                Some(Err(Ended::Stopped)) => DnsFacts::NotAsked(NotAsked::Stopped),
                None => DnsFacts::NotAsked(dns.err().unwrap_or(NotAsked::NothingToAsk)),
            },
        };
        let DnsFacts::Asked(answers) = &mut facts.dns else {
            return facts;
        };
        let txt_names = match (&facts.aws, dns) {
            (AwsFacts::Asked(inventory), Ok(_)) => {
                let wanted: Vec<dns::txt::Wanted> = asks
                    .iter()
                    .map(|a| dns::txt::Wanted {
                        alias: &a.alias,
                        provider_key: a.provider_key.as_deref(),
                    })
                    .collect();
                dns::txt::wanted(inventory, &wanted)
            }
            _ => Vec::new(),
        };
        let txt_job = async {
            match dns {
                Ok(options) => dns::txt::fetch(&txt_names, &sensitive, options).await,
                Err(_) => Ok(Default::default()),
            }
        };
        let route53_job = async {
            match (&facts.aws, aws) {
                (AwsFacts::Asked(_), Ok(options)) => read_route53(answers, &clients, options).await,
                _ => Ok(()),
            }
        };
        let (txt, route53) = tokio::join!(txt_job, route53_job);
        let why = dns::txt::not_asked(&facts.aws);
        match txt {
            Ok(mut txt) => {
                for name in &names {
                    let answer = txt
                        .remove(name)
                        .unwrap_or_else(|| TxtAnswer::NotAsked(why.to_string()));
                    answers.txt.insert(name.clone(), answer);
                }
            }
            Err(e) => facts.dns = DnsFacts::Failed(e),
        }
        if let Err(e) = route53 {
            facts.aws = AwsFacts::Failed(e);
        }
        facts
    })
}

/// Why a service has no answer: it failed, or it was stopped because the
/// other one failed.
enum Ended {
    Failed(FetchError),
    Stopped,
}

fn ended<T>(result: Option<Result<T, FetchError>>) -> Option<Result<T, Ended>> {
    result.map(|r| r.map_err(Ended::Failed))
}

/// Fills in the Route 53 record of every name that resolves to addresses
/// with no CNAME, from the first reached account whose public hosted zones
/// hold it.
async fn read_route53(
    answers: &mut DnsAnswers,
    clients: &[Clients],
    options: &AwsOptions,
) -> Result<(), FetchError> {
    let wanted: Vec<DomainName> = answers
        .names
        .iter()
        .filter_map(|(name, r)| {
            let r = r.as_ref().ok()?;
            (r.chain.is_empty() && !r.addresses.is_empty()).then(|| name.clone())
        })
        .collect();
    if wanted.is_empty() || clients.is_empty() {
        return Ok(());
    }
    let on = options.on_api_error;
    let mut zones = Vec::new();
    for c in clients {
        match route53::zones(c).await {
            Ok(list) => zones.push((c, Ok(list))),
            Err(e) => zones.push((c, tolerate::<()>(Err(e), on)?.map(|_| Vec::new()))),
        }
    }
    for name in wanted {
        let mut found = Route53::NotFound;
        for (c, list) in &zones {
            let list = match list {
                Ok(list) => list,
                Err(reason) => {
                    found = Route53::Failed(reason.clone());
                    continue;
                }
            };
            let Some(zone) = route53::zone_of(&name, list) else {
                continue;
            };
            match route53::alias_record(c, zone, &name).await {
                Ok(Route53::Alias(a)) => {
                    found = Route53::Alias(a);
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    if let Err(reason) = tolerate::<()>(Err(e), on)? {
                        found = Route53::Failed(reason);
                    }
                }
            }
        }
        if let Some(Ok(resolution)) = answers.names.get_mut(&name) {
            resolution.route53 = found;
        }
    }
    Ok(())
}
