//! Which query answers each alias: one ListDomainConflicts per alias,
//! or one per parent domain.
//!
//! ListDomainConflicts (as ListConflictingAliases) given `*.parent` returns `*.parent` and every
//! alias that wildcard covers; given `x.parent` it returns `x.parent` and
//! the wildcards that overlap it (`*.parent`, `*.grandparent`...), which
//! are the same for every name one label under `parent`. So a group of
//! aliases under one parent is answered by two queries, whatever its size:
//! `*.parent` for each alias's exact holders, and one member's own query
//! for the overlapping wildcards. The grouped query needs a probe whose
//! certificate covers `*.parent`; apexes, wildcard aliases, small groups
//! and tenants' domains keep a query each. A grouped answer that runs past
//! the pages the group's own queries would have cost is dropped, and its
//! members are asked one by one: grouping never costs more than it saves
//! by more than that budget.

use std::collections::BTreeMap;

use super::super::Conflict;
use crate::model::DomainName;

/// The fewest aliases under one parent worth a grouped query: below it,
/// a query each costs no more.
pub const MIN_GROUP: usize = 3;

/// One query to send: the name asked and what asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<R> {
    /// The alias, or `*.parent` for a grouped query.
    pub name: DomainName,
    pub request: R,
    /// For a grouped query: the most pages worth reading.
    pub max_pages: Option<usize>,
}

/// How one alias is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer<R> {
    /// By query `query`, its own.
    Own { query: usize },
    /// By the grouped query `group` (exact holders) and the group's
    /// representative query `representative` (overlapping wildcards); by a
    /// query of its own if the grouped answer is longer than its budget.
    Grouped {
        group: usize,
        representative: usize,
        own: R,
    },
    /// No query can be made, for this reason.
    NotMade(String),
}

/// The queries of one account, and how each of its aliases is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan<R> {
    pub queries: Vec<Query<R>>,
    pub answers: Vec<(DomainName, Answer<R>)>,
}

/// Plans the queries for the aliases of one account. Each alias comes with
/// its own request (or why none can be made) and whether it may join a
/// group (a distribution's alias; a tenant's domain is asked with another
/// operation); `wildcard_request` gives the request for `*.parent` when a
/// probe's certificate covers it.
pub fn plan<R: Clone>(
    aliases: Vec<(DomainName, Result<R, String>, bool)>,
    grouping: bool,
    wildcard_request: impl Fn(&DomainName) -> Option<R>,
) -> Plan<R> {
    let mut plan = Plan {
        queries: Vec::new(),
        answers: Vec::new(),
    };
    let mut groups: BTreeMap<DomainName, Vec<(DomainName, R)>> = BTreeMap::new();
    for (alias, request, groupable) in aliases {
        match request {
            Err(reason) => plan.answers.push((alias, Answer::NotMade(reason))),
            Ok(request) => match parent(&alias).filter(|_| grouping && groupable) {
                Some(p) => groups.entry(p).or_default().push((alias, request)),
                None => {
                    plan.own(alias, request);
                }
            },
        }
    }
    for (parent, members) in groups {
        let wildcard = DomainName::new(&format!("*.{parent}"));
        let request = (members.len() >= MIN_GROUP)
            .then(|| wildcard_request(&wildcard))
            .flatten();
        let Some(request) = request else {
            for (alias, request) in members {
                plan.own(alias, request);
            }
            continue;
        };
        let mut members = members.into_iter();
        let Some((first, first_request)) = members.next() else {
            continue;
        };
        let rest: Vec<_> = members.collect();
        let group = plan.queries.len();
        plan.queries.push(Query {
            name: wildcard,
            request,
            // The pages the other members' own queries would have cost.
            max_pages: Some(rest.len().saturating_sub(1).max(1)),
        });
        let representative = plan.own(first, first_request);
        for (alias, own) in rest {
            plan.answers.push((
                alias,
                Answer::Grouped {
                    group,
                    representative,
                    own,
                },
            ));
        }
    }
    plan
}

impl<R> Plan<R> {
    /// Adds an alias answered by a query of its own; returns the query.
    fn own(&mut self, alias: DomainName, request: R) -> usize {
        let query = self.queries.len();
        self.queries.push(Query {
            name: alias.clone(),
            request,
            max_pages: None,
        });
        self.answers.push((alias, Answer::Own { query }));
        query
    }
}

/// The parent a name is grouped under: the name without its first label,
/// when that leaves a domain of two labels or more. A wildcard alias is
/// asked on its own (its query already returns what it covers).
pub fn parent(alias: &DomainName) -> Option<DomainName> {
    if alias.is_wildcard() {
        return None;
    }
    let (_, parent) = alias.as_str().split_once('.')?;
    parent.contains('.').then(|| DomainName::new(parent))
}

/// What `alias`'s own query would have returned, from a grouped answer:
/// its exact holders from the grouped query, and the wildcards that
/// overlap it from the representative's.
pub fn conflicts_of(
    alias: &DomainName,
    grouped: &[Conflict],
    representative: &[Conflict],
) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = grouped
        .iter()
        .filter(|c| c.alias == *alias)
        .chain(
            representative
                .iter()
                .filter(|c| c.alias.is_wildcard() && c.alias.overlaps(alias)),
        )
        .cloned()
        .collect();
    sort(&mut out);
    out.dedup();
    out
}

/// The order a lookup's conflicts are kept in, whichever query answered.
pub fn sort(conflicts: &mut [Conflict]) {
    conflicts.sort_by(|a, b| {
        (&a.alias, &a.account_id, &a.distribution_id).cmp(&(
            &b.alias,
            &b.account_id,
            &b.distribution_id,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::super::super::ResourceType;
    use super::*;

    fn names(list: &[&str]) -> Vec<(DomainName, Result<&'static str, String>, bool)> {
        list.iter()
            .map(|a| (DomainName::new(a), Ok("own"), true))
            .collect()
    }

    fn conflict(alias: &str, id: &str, account: &str) -> Conflict {
        Conflict {
            alias: DomainName::new(alias),
            distribution_id: id.into(),
            account_id: account.into(),
            resource_type: ResourceType::Distribution,
        }
    }

    /// (name asked, pages) of each query.
    fn queries<'a>(plan: &Plan<&'a str>) -> Vec<(String, &'a str, Option<usize>)> {
        plan.queries
            .iter()
            .map(|q| (q.name.to_string(), q.request, q.max_pages))
            .collect()
    }

    #[test]
    fn aliases_under_one_parent_share_two_queries() {
        let plan = plan(
            names(&[
                "a.example.com",
                "b.example.com",
                "c.example.com",
                "d.example.com",
            ]),
            true,
            |w| (w.as_str() == "*.example.com").then_some("wildcard"),
        );
        assert_eq!(
            queries(&plan),
            [
                ("*.example.com".into(), "wildcard", Some(2)),
                ("a.example.com".into(), "own", None),
            ]
        );
        let grouped = Answer::Grouped {
            group: 0,
            representative: 1,
            own: "own",
        };
        assert_eq!(
            plan.answers,
            [
                (DomainName::new("a.example.com"), Answer::Own { query: 1 }),
                (DomainName::new("b.example.com"), grouped.clone()),
                (DomainName::new("c.example.com"), grouped.clone()),
                (DomainName::new("d.example.com"), grouped),
            ]
        );
    }

    #[test]
    fn apexes_wildcards_deeper_names_small_groups_and_uncovered_parents_keep_their_own() {
        let mut aliases = names(&[
            "example.com",
            "*.example.com",
            "x.y.example.com",
            "p.example.org",
            "q.example.org",
            "a.example.net",
            "b.example.net",
            "c.example.net",
        ]);
        // A tenant's domain is never grouped.
        aliases.push((DomainName::new("t.example.org"), Ok("own"), false));
        // No probe at all: not made, whatever the group.
        aliases.push((
            DomainName::new("n.example.net"),
            Err("no probe".into()),
            true,
        ));
        let plan = plan(aliases, true, |w| {
            (w.as_str() == "*.example.org").then_some("wildcard")
        });
        // example.org has two groupable members (below the minimum), and no
        // probe covers *.example.net: every query is an alias's own.
        assert!(plan.queries.iter().all(|q| q.request == "own"));
        assert_eq!(plan.queries.len(), 9);
        assert!(plan.answers.contains(&(
            DomainName::new("n.example.net"),
            Answer::NotMade("no probe".into())
        )));
    }

    #[test]
    fn grouping_can_be_turned_off() {
        let plan = plan(
            names(&["a.example.com", "b.example.com", "c.example.com"]),
            false,
            |_| Some("wildcard"),
        );
        assert_eq!(plan.queries.len(), 3);
        assert!(plan.queries.iter().all(|q| q.max_pages.is_none()));
    }

    #[test]
    fn parents_are_one_label_up_and_at_least_two_labels_long() {
        let p = |a: &str| parent(&DomainName::new(a)).map(|p| p.to_string());
        assert_eq!(p("www.example.com").as_deref(), Some("example.com"));
        assert_eq!(p("a.b.example.com").as_deref(), Some("b.example.com"));
        assert_eq!(p("example.com"), None);
        assert_eq!(p("*.example.com"), None);
    }

    /// The grouped answer gives each member what its own query would:
    /// exact holders (masked or not, in any account), and the wildcards
    /// that overlap it, held anywhere, without the other members' holders.
    #[test]
    fn members_get_exactly_what_their_own_query_returns() {
        let grouped = vec![
            conflict("*.example.com", "******EWILD", "******222222"),
            conflict("b.example.com", "******EB0001", "******222222"),
            conflict("b.example.com", "E2OWNB", "111111111111"),
            conflict("c.example.com", "******EC0001", "******333333"),
            // Deeper names may come back too; no member is them.
            conflict("x.c.example.com", "******EX0001", "******333333"),
        ];
        // The representative `a.example.com` asked on its own: no exact
        // holder, the wildcard one level up and one two levels up.
        let representative = vec![
            conflict("*.example.com", "******EWILD", "******222222"),
            conflict("*.com", "******ETOP", "******444444"),
        ];
        let b = conflicts_of(&DomainName::new("b.example.com"), &grouped, &representative);
        assert_eq!(
            b,
            [
                conflict("*.com", "******ETOP", "******444444"),
                conflict("*.example.com", "******EWILD", "******222222"),
                conflict("b.example.com", "******EB0001", "******222222"),
                conflict("b.example.com", "E2OWNB", "111111111111"),
            ]
        );
        let d = conflicts_of(&DomainName::new("d.example.com"), &grouped, &representative);
        assert_eq!(
            d,
            [
                conflict("*.com", "******ETOP", "******444444"),
                conflict("*.example.com", "******EWILD", "******222222"),
            ]
        );
    }
}
