//! Asks AWS, read-only: who the caller is (STS GetCallerIdentity), which
//! distributions each reachable account has (CloudFront ListDistributions),
//! the names of the ACM certificates they use (DescribeCertificate), and who
//! holds each alias anywhere in CloudFront (ListConflictingAliases). The
//! only module that talks to AWS.
//!
//! One client set per `aws` provider configuration of the plans, so a plan
//! with `aws` and `aws.legacy` inventories both accounts. Accounts reached by
//! several providers are listed once.

mod acm;
mod clients;
mod errors;
mod inventory;
mod lookups;
#[cfg(test)]
mod tests;

pub use acm::{certificate_names, describe_certificates};
pub use clients::{Clients, retry_config};
pub(crate) use errors::classify;
pub use inventory::list_distributions;
pub use lookups::{choose_probe, list_conflicts, list_domain_conflicts, look_up};

use clients::{caller_account, sdk_config};

use super::{AccountFacts, Ask, AwsOptions, Inventory, tolerate};
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
    for provider in providers {
        say(
            options,
            &format!("asking AWS who provider `{}` is...", provider.key),
        );
        let conf = sdk_config(provider, options).await;
        let account = match tolerate(
            caller_account(&conf, &provider.key).await,
            options.on_api_error,
        )? {
            Ok(account) => account,
            Err(reason) => {
                inventory.accounts.push(AccountFacts {
                    account_id: "unknown".into(),
                    provider_keys: vec![provider.key.clone()],
                    distributions: Err(reason),
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
        say(
            options,
            &format!(
                "listing the distributions of provider `{}`...",
                provider.key
            ),
        );
        let c = Clients {
            account_id: account.clone(),
            provider: provider.key.clone(),
            cloudfront: aws_sdk_cloudfront::Client::new(&conf),
            acm: aws_sdk_acm::Client::new(&conf),
            route53: aws_sdk_route53::Client::new(&conf),
        };
        let distributions = tolerate(
            list_distributions(&c.cloudfront, &c.provider).await,
            options.on_api_error,
        )?;
        inventory.accounts.push(AccountFacts {
            account_id: account,
            provider_keys: vec![provider.key.clone()],
            distributions,
        });
        clients.push(c);
    }
    say(options, "reading certificate names from ACM...");
    inventory.certificates = describe_certificates(&inventory, &clients, asks, options).await?;
    say(
        options,
        &format!(
            "looking up {} aliases with ListConflictingAliases...",
            asks.len()
        ),
    );
    inventory.lookups = look_up(&inventory, &clients, asks, options).await?;
    Ok((inventory, clients))
}
