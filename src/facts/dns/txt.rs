//! The `_<alias>` TXT records of the cross-account checklist (AssociateAlias
//! or UpdateDomainAssociation from the target's account): asked after AWS,
//! and only for the aliases whose holder is in another account than the
//! one that adds them, or whose holder AWS could not tell. Every other
//! alias says why its TXT record was not asked; "not asked" is never "no
//! record".

use std::collections::{BTreeMap, HashSet};

use hickory_resolver::proto::rr::{Name, RData, RecordType};

use super::query::{Answer, ask, wire_name};
use super::{Asker, each};
use crate::error::FetchError;
use crate::facts::{AwsFacts, DnsOptions, Inventory, TxtAnswer, TxtRecord, masked_matches};
use crate::model::DomainName;

/// One alias as a change adds it: the name and the provider configuration
/// key of the resource that claims it.
pub struct Wanted<'a> {
    pub alias: &'a DomainName,
    pub provider_key: Option<&'a str>,
}

/// The aliases whose TXT record can matter: AWS names a holder of the
/// exact alias in another account than the claiming resource's, or could
/// not tell who holds it.
pub fn wanted(inventory: &Inventory, asks: &[Wanted]) -> Vec<DomainName> {
    let mut out: Vec<DomainName> = asks
        .iter()
        .filter(|a| elsewhere(inventory, a))
        .map(|a| a.alias.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn elsewhere(inventory: &Inventory, ask: &Wanted) -> bool {
    let Some(target) = inventory.account_of(ask.provider_key) else {
        return true;
    };
    let listed_elsewhere = inventory.accounts.iter().any(|a| {
        a.account_id != target.account_id
            && a.distributions
                .iter()
                .flatten()
                .any(|d| d.aliases.contains(ask.alias))
    });
    if listed_elsewhere {
        return true;
    }
    let lookup = inventory
        .lookups
        .iter()
        .find(|l| l.alias == *ask.alias && l.account_id == target.account_id);
    match lookup.map(|l| &l.result) {
        Some(Ok(probe)) => probe
            .conflicts
            .iter()
            .any(|c| c.alias == *ask.alias && !masked_matches(&c.account_id, &target.account_id)),
        // No lookup, or one that failed: the holder is unknown.
        Some(Err(_)) | None => true,
    }
}

/// Why an alias's TXT record was not asked, for every alias not wanted.
pub fn not_asked(aws: &AwsFacts) -> &'static str {
    match aws {
        AwsFacts::Asked(_) => {
            "AWS names no holder of this alias in another account, and no move within one \
             account needs it"
        }
        AwsFacts::NotAsked(_) => {
            "only a holder in another account needs it, and AWS was not asked who holds the alias"
        }
        AwsFacts::Failed(_) => {
            "only a holder in another account needs it, and AWS could not be asked who holds the \
             alias"
        }
    }
}

/// Asks the TXT records of `names`, a bounded number at a time.
pub async fn fetch(
    names: &[DomainName],
    sensitive: &HashSet<DomainName>,
    options: &DnsOptions,
) -> Result<BTreeMap<DomainName, TxtAnswer>, FetchError> {
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let asker = super::asker(options)?;
    let results = each(
        &asker,
        names,
        sensitive,
        options,
        |asker, name| async move { values(&asker, &name).await },
    )
    .await?;
    Ok(results
        .into_iter()
        .map(|(name, result)| {
            let answer = match result {
                Ok(answer) => answer,
                Err(reason) => TxtAnswer::Failed(reason),
            };
            (name, answer)
        })
        .collect())
}

/// The values of the TXT records AWS documents for moving the alias
/// (`_<alias>`; for an apex also `_.<alias>` and the apex itself), asked
/// side by side.
async fn values(asker: &Asker, name: &DomainName) -> Result<TxtAnswer, FetchError> {
    let mut wire = Vec::new();
    for txt_name in name.txt_names() {
        match wire_name(&txt_name) {
            Ok(n) => wire.push((txt_name, n)),
            Err(reason) => return Ok(TxtAnswer::NotAsked(reason)),
        }
    }
    let (a, b, c) = tokio::join!(
        one(asker, wire.first()),
        one(asker, wire.get(1)),
        one(asker, wire.get(2))
    );
    let mut out = a?;
    out.extend(b?);
    out.extend(c?);
    Ok(TxtAnswer::Values(out))
}

/// The records under one name, each with the name as it was asked.
async fn one(asker: &Asker, name: Option<&(String, Name)>) -> Result<Vec<TxtRecord>, FetchError> {
    let Some((shown, name)) = name else {
        return Ok(Vec::new());
    };
    Ok(match ask(asker, name, RecordType::TXT).await? {
        Answer::Records(records) => records
            .into_iter()
            .filter_map(|r| match r {
                RData::TXT(t) => Some(TxtRecord {
                    name: shown.clone(),
                    value: t
                        .txt_data
                        .iter()
                        .map(|part| String::from_utf8_lossy(part).into_owned())
                        .collect::<String>(),
                }),
                _ => None,
            })
            .collect(),
        Answer::NxDomain | Answer::NoData => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{
        AccountFacts, AliasLookup, Conflict, DistributionFacts, Probe, ResourceType,
    };

    fn n(s: &str) -> DomainName {
        DomainName::new(s)
    }

    fn account(id: &str, key: &str, aliases: &[&str]) -> AccountFacts {
        AccountFacts {
            account_id: id.into(),
            provider_keys: vec![key.into()],
            distributions: Ok(vec![DistributionFacts {
                id: format!("E{id}"),
                arn: String::new(),
                domain_name: format!("d{id}.cloudfront.net"),
                status: "Deployed".into(),
                enabled: true,
                aliases: aliases.iter().map(|a| n(a)).collect(),
                certificate_arn: None,
                tenant_of: None,
                connection_group_id: None,
                staging: false,
            }]),
            connection_groups: Vec::new(),
        }
    }

    fn lookup(alias: &str, result: Result<&[(&str, &str)], &str>) -> AliasLookup {
        AliasLookup {
            alias: n(alias),
            account_id: "111111111111".into(),
            result: result.map_err(str::to_string).map(|conflicts| Probe {
                distribution_id: "EPROBE".into(),
                operation: crate::facts::LookupOperation::DomainConflicts,
                query: n(alias),
                conflicts: conflicts
                    .iter()
                    .map(|(alias, account)| Conflict {
                        alias: n(alias),
                        distribution_id: "******EXAMPLE".into(),
                        account_id: (*account).into(),
                        resource_type: ResourceType::Distribution,
                    })
                    .collect(),
            }),
        }
    }

    #[test]
    fn only_a_holder_in_another_account_or_an_unknown_one_wants_the_txt_record() {
        let inventory = Inventory {
            accounts: vec![
                account("111111111111", "aws", &["same.example.com"]),
                account("222222222222", "aws.legacy", &["listed.example.com"]),
            ],
            certificates: Default::default(),
            lookups: vec![
                lookup(
                    "same.example.com",
                    Ok(&[("same.example.com", "******111111")]),
                ),
                lookup(
                    "masked.example.com",
                    Ok(&[("masked.example.com", "******333333")]),
                ),
                // Only a name under the wildcard: not the alias itself.
                lookup("*.example.org", Ok(&[("a.example.org", "******333333")])),
                lookup("failed.example.com", Err("no probe")),
                lookup("listed.example.com", Ok(&[])),
                lookup("free.example.com", Ok(&[])),
            ],
        };
        let names = [
            "same.example.com",
            "masked.example.com",
            "*.example.org",
            "failed.example.com",
            "listed.example.com",
            "free.example.com",
            "unlooked.example.com",
        ]
        .map(n);
        let asks: Vec<Wanted> = names
            .iter()
            .map(|alias| Wanted {
                alias,
                provider_key: Some("aws"),
            })
            .collect();
        assert_eq!(
            wanted(&inventory, &asks),
            [
                "failed.example.com",
                "listed.example.com",
                "masked.example.com",
                "unlooked.example.com"
            ]
            .map(n)
        );
    }
}
