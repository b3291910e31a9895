//! Asks AWS, read-only: who the caller is (STS GetCallerIdentity), which
//! distributions each reachable account has (CloudFront ListDistributions),
//! their tenants and connection groups, the names of the ACM certificates
//! they use (DescribeCertificate), and who holds each alias anywhere in
//! CloudFront (ListDomainConflicts; ListConflictingAliases where an
//! endpoint lacks it). The only module that talks to AWS.
//!
//! One client set per `aws` provider configuration of the plans, so a plan
//! with `aws` and `aws.legacy` inventories both accounts. Accounts reached by
//! several providers are listed once.

mod acm;
mod clients;
mod errors;
mod grouping;
mod inventory;
mod lookups;
pub mod moves;
#[cfg(test)]
mod tests;
mod values;

pub use acm::{certificate_names, describe_certificates};
pub use clients::{Clients, retry_config};
pub(crate) use errors::classify;
pub use inventory::list_distributions;
pub use lookups::{
    choose_probe, list_conflicts, list_conflicts_within, list_domain_conflicts, look_up,
};

use clients::{caller_account, sdk_config};

use super::{AccountFacts, Ask, AwsOptions, Inventory, bounded, tolerate};
use crate::error::FetchError;
use crate::model::ProviderConfig;

/// Inventories every account the providers reach, and looks up every
/// alias. With `--on-api-error=warn` a failing account is kept with the
/// reason; otherwise the first failure is returned. The clients come back
/// for the Route 53 reads that follow DNS.
pub async fn fetch(
    providers: &[ProviderConfig],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<(Inventory, Vec<Clients>), FetchError> {
    let result = fetch_accounts(providers, asks, options).await;
    say(options, "");
    result
}

fn say(options: &AwsOptions, message: &str) {
    if let Some(progress) = options.progress {
        progress(message);
    }
}

async fn fetch_accounts(
    providers: &[ProviderConfig],
    asks: &[Ask],
    options: &AwsOptions,
) -> Result<(Inventory, Vec<Clients>), FetchError> {
    let default = [ProviderConfig {
        key: "aws".into(),
        profile: None,
        role_arn: None,
        region: None,
    }];
    let providers = if providers.is_empty() {
        &default[..]
    } else {
        providers
    };
    let mut inventory = Inventory::default();
    let mut clients: Vec<Clients> = Vec::new();
    say(
        options,
        &format!(
            "asking AWS who {} {} ...",
            providers.len(),
            if providers.len() == 1 {
                "provider is"
            } else {
                "providers are"
            }
        ),
    );
    // Who each provider is, all at once.
    let jobs = providers.iter().enumerate().map(|(i, provider)| {
        let (provider, options) = (provider.clone(), options.clone());
        async move {
            let conf = sdk_config(&provider, &options).await;
            let account = caller_account(&conf, &provider.key).await;
            (i, conf, account)
        }
    });
    let mut identities = bounded(jobs, options.concurrency).await?;
    identities.sort_by_key(|(i, _, _)| *i);
    for (i, conf, account) in identities {
        let provider = &providers[i];
        let account = match tolerate(account, options.on_api_error)? {
            Ok(account) => account,
            Err(reason) => {
                inventory.accounts.push(AccountFacts {
                    account_id: "unknown".into(),
                    provider_keys: vec![provider.key.clone()],
                    distributions: Err(reason),
                    connection_groups: Vec::new(),
                });
                continue;
            }
        };
        // An account several providers reach is listed once.
        if let Some(existing) = inventory
            .accounts
            .iter_mut()
            .find(|a| a.account_id == account)
        {
            existing.provider_keys.push(provider.key.clone());
            continue;
        }
        inventory.accounts.push(AccountFacts {
            account_id: account.clone(),
            provider_keys: vec![provider.key.clone()],
            // Filled in by the listing below; never "none" by default.
            distributions: Err("not listed".into()),
            connection_groups: Vec::new(),
        });
        clients.push(Clients {
            account_id: account,
            provider: provider.key.clone(),
            cloudfront: aws_sdk_cloudfront::Client::new(&conf),
            acm: aws_sdk_acm::Client::new(&conf),
            route53: aws_sdk_route53::Client::new(&conf),
        });
    }
    // The distributions of every account, all at once; the pages of one
    // account follow their marker in turn.
    say(
        options,
        &format!(
            "listing the distributions of {} {} ...",
            clients.len(),
            if clients.len() == 1 {
                "account"
            } else {
                "accounts"
            }
        ),
    );
    let jobs = clients.iter().map(|c| {
        let c = c.clone();
        async move {
            let listed = list_distributions(&c.cloudfront, &c.provider).await;
            (c.account_id, listed)
        }
    });
    for (account_id, listed) in bounded(jobs, options.concurrency).await? {
        let listed = tolerate(listed, options.on_api_error)?;
        if let Some(a) = inventory
            .accounts
            .iter_mut()
            .find(|a| a.account_id == account_id)
        {
            match listed {
                Ok(listing) => {
                    a.distributions = Ok(listing.distributions);
                    a.connection_groups = listing.connection_groups;
                }
                Err(reason) => a.distributions = Err(reason),
            }
        }
    }
    say(options, "reading certificate names from ACM...");
    inventory.certificates = describe_certificates(&inventory, &clients, asks, options).await?;
    say(
        options,
        &format!(
            "looking up {} aliases with ListDomainConflicts...",
            asks.len()
        ),
    );
    inventory.lookups = look_up(&inventory, &clients, asks, options).await?;
    Ok((inventory, clients))
}
