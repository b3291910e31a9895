//! The check against the emulator's rules, scenario by scenario: for every
//! scenario of a generated matrix (who holds a name: nobody, this account,
//! an account a provider reaches, an account none reaches; a distribution,
//! enabled or disabled, or a tenant; the exact name, a wildcard over it,
//! the name under a wildcard being added, or the same wildcard; the name's
//! DNS at the holder, at the target, or absent; the target a new
//! distribution, an existing one, or a new tenant), the emulator is seeded,
//! `check` reads the plan of the change, and then the change is applied to
//! the emulator (CreateDistribution, UpdateDistribution or
//! CreateDistributionTenant). The apply must fail exactly when `check`
//! reports an error. Every disagreement is printed with its scenario
//! before the test fails. Scenarios that differ only in their target share
//! one seeded world (every check first, then every apply, each successful
//! apply undone); the groups are spread over three servers, each reset
//! (`/moto-api/reset`) between groups.

use crate::dnsmasq::{Dnsmasq, Record};
use crate::moto::{self, DistributionSeed, Moto, TenantSeed};
use crate::{check_against, findings};
use aws_config::SdkConfig;
use plan_json::{Change, LEGACY};

#[path = "../support/plan_json.rs"]
mod plan_json;

/// An account no provider of the plans reaches.
const FAR: &str = "333333333333";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Account {
    Same,
    Reached,
    Unreached,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Enabled,
    Disabled,
    Tenant,
}

/// What the holder holds and what the change adds.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Overlap {
    /// Both `a.d.example.com`.
    Exact,
    /// `*.d.example.com` held, `a.d.example.com` added.
    WildcardHeld,
    /// `a.d.example.com` held, `*.d.example.com` added.
    WildcardAdded,
    /// Both `*.d.example.com`.
    SameWildcard,
}

impl Overlap {
    fn names(self) -> (&'static str, &'static str) {
        const NAME: &str = "a.d.example.com";
        const WILD: &str = "*.d.example.com";
        match self {
            Overlap::Exact => (NAME, NAME),
            Overlap::WildcardHeld => (WILD, NAME),
            Overlap::WildcardAdded => (NAME, WILD),
            Overlap::SameWildcard => (WILD, WILD),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Dns {
    Absent,
    AtHolder,
    AtTarget,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    NewDistribution,
    ExistingDistribution,
    NewTenant,
}

#[derive(Clone, Copy, Debug)]
struct Scenario {
    holder: Option<(Account, Kind)>,
    overlap: Overlap,
    dns: Dns,
    target: Target,
    /// Whether the target's certificate covers the names (`CERT`), or
    /// only `elsewhere.example.com`.
    covered: bool,
}

/// Every scenario that can be set up: DNS at the holder needs one, DNS at
/// the target needs a target with a CloudFront name before the apply (an
/// existing distribution; a new tenant's connection group), and a
/// wildcard alias has no single DNS record to point. A disabled holder
/// refuses a name as an enabled one does (it matters to moves, not to
/// adding), so it is paired with the two overlaps that matter most; an
/// uncovering certificate is tried with no holder, where nothing else
/// refuses the name.
fn matrix() -> Vec<Scenario> {
    let mut holders = vec![None];
    for account in [Account::Same, Account::Reached, Account::Unreached] {
        for kind in [Kind::Enabled, Kind::Disabled, Kind::Tenant] {
            holders.push(Some((account, kind)));
        }
    }
    let mut out = Vec::new();
    for holder in holders {
        let overlaps: &[Overlap] = match holder {
            None => &[Overlap::Exact, Overlap::SameWildcard],
            Some((_, Kind::Disabled)) => &[Overlap::Exact, Overlap::WildcardHeld],
            Some(_) => &[
                Overlap::Exact,
                Overlap::WildcardHeld,
                Overlap::WildcardAdded,
                Overlap::SameWildcard,
            ],
        };
        for &overlap in overlaps {
            for target in [
                Target::NewDistribution,
                Target::ExistingDistribution,
                Target::NewTenant,
            ] {
                for dns in [Dns::Absent, Dns::AtHolder, Dns::AtTarget] {
                    let wildcard = overlap.names().1.starts_with("*.");
                    let possible = match dns {
                        Dns::Absent => true,
                        Dns::AtHolder => holder.is_some() && !wildcard,
                        Dns::AtTarget => target != Target::NewDistribution && !wildcard,
                    };
                    let covers: &[bool] = if holder.is_none() && dns == Dns::Absent {
                        &[true, false]
                    } else {
                        &[true]
                    };
                    for &covered in covers.iter().filter(|_| possible) {
                        out.push(Scenario {
                            holder,
                            overlap,
                            dns,
                            target,
                            covered,
                        });
                    }
                }
            }
        }
    }
    out
}

/// What one scenario came to.
struct Outcome {
    check_errors: Vec<String>,
    check_exit: Option<i32>,
    apply: Result<(), String>,
    stderr: String,
}

/// Names both the emulator's and the check's certificates cover.
const CERT: (&str, &[&str]) = ("d.example.com", &["*.d.example.com"]);

async fn certificate(moto: &Moto, conf: &SdkConfig) -> String {
    moto.request_certificate(conf, CERT.0, CERT.1).await
}

/// Seeds the holder; returns the CloudFront name its DNS would point at.
async fn seed_holder(moto: &Moto, conf: &SdkConfig, kind: Kind, held: &str) -> String {
    let cert = certificate(moto, conf).await;
    match kind {
        Kind::Enabled | Kind::Disabled => {
            let seed = DistributionSeed {
                aliases: &[held],
                certificate_arn: Some(&cert),
                disabled: kind == Kind::Disabled,
                ..DistributionSeed::default()
            };
            moto.try_create_distribution(conf, seed)
                .await
                .unwrap_or_else(|code| panic!("seeding the holder: {code}"))
                .1
        }
        Kind::Tenant => {
            let (parent, _) = moto
                .create_multi_tenant_distribution(conf, Some(&cert))
                .await;
            let seed = TenantSeed {
                distribution_id: &parent,
                name: "holder",
                domains: &[held],
                connection_group_id: None,
                enabled: true,
            };
            moto.create_tenant(conf, seed).await.routing_endpoint
        }
    }
}

/// The emulator's state for a group of scenarios that differ only in
/// their target: the holder, our certificates, a probe, every kind of
/// target before the change (an existing distribution; a multi-tenant
/// distribution and a connection group for a new tenant), and the DNS.
struct World {
    ours: SdkConfig,
    target_cert: String,
    existing: (String, String),
    parent: String,
    group: String,
    dns: Dnsmasq,
}

/// Resets the emulator and seeds the world of `s` (its holder, overlap,
/// certificate and DNS; DNS at the target points at `s.target`'s name).
async fn world(moto: &Moto, s: &Scenario) -> World {
    moto.reset();
    let (held, alias) = s.overlap.names();
    let ours = moto.config().await;
    let cert = certificate(moto, &ours).await;
    let target_cert = if s.covered {
        cert.clone()
    } else {
        moto.request_certificate(&ours, "elsewhere.example.com", &[])
            .await
    };
    // The validation resource of ListDomainConflicts: ours, covering the
    // names, holding none.
    moto.create_distribution(&ours, &[], Some(&cert)).await;
    let mut holder_domain = None;
    if let Some((account, kind)) = s.holder {
        let conf = match account {
            Account::Same => ours.clone(),
            Account::Reached => moto.config_for_account(LEGACY).await,
            Account::Unreached => moto.config_for_account(FAR).await,
        };
        holder_domain = Some(seed_holder(moto, &conf, kind, held).await);
    }
    let existing = moto
        .create_distribution(&ours, &[], Some(&target_cert))
        .await;
    let (parent, _) = moto
        .create_multi_tenant_distribution(&ours, Some(&target_cert))
        .await;
    let group = moto.create_connection_group(&ours, "target").await;
    let points_to = match (s.dns, s.target) {
        (Dns::Absent, _) => None,
        (Dns::AtHolder, _) => holder_domain,
        (Dns::AtTarget, Target::ExistingDistribution) => Some(existing.1.clone()),
        (Dns::AtTarget, Target::NewTenant) => Some(group.routing_endpoint.clone()),
        (Dns::AtTarget, Target::NewDistribution) => None,
    };
    let records: Vec<Record> = points_to
        .iter()
        .map(|to| Record::Cname(alias, to.as_str()))
        .collect();
    let dns = Dnsmasq::start(&records);
    moto.use_dns_server(&dns.server);
    World {
        ours,
        target_cert,
        existing,
        parent,
        group: group.id,
        dns,
    }
}

/// Runs `check` on the plan of `s`'s change; its error findings (or none
/// when it did not run), exit code and standard error.
fn check(moto: &Moto, w: &World, s: &Scenario, n: usize) -> (Vec<String>, Option<i32>, String) {
    let alias = s.overlap.names().1;
    let aliases = [alias];
    let mut changes = vec![match s.target {
        Target::ExistingDistribution => Change::UpdateDistribution {
            name: "target",
            id: &w.existing.0,
            domain: &w.existing.1,
            before: &[],
            after: &aliases,
            cert: &w.target_cert,
        },
        Target::NewTenant => Change::NewTenant {
            name: "target",
            parent: &w.parent,
            group: Some(&w.group),
            domains: &aliases,
        },
        Target::NewDistribution => Change::NewDistribution {
            name: "target",
            aliases: &aliases,
            cert: &w.target_cert,
        },
    }];
    if s.target == Target::NewTenant {
        changes.push(Change::MultiTenant {
            name: "parent",
            id: &w.parent,
        });
    }
    let path = std::env::temp_dir().join(format!(
        "cname-preflight-differential-{}-{n}.json",
        std::process::id()
    ));
    std::fs::write(&path, plan_json::plan(&changes).to_string()).unwrap();
    let out = tokio::task::block_in_place(|| {
        check_against(
            moto,
            &[
                "-f",
                "json",
                "--dns-server",
                &w.dns.server,
                path.to_str().unwrap(),
            ],
        )
    });
    std::fs::remove_file(&path).unwrap();
    let errors = if matches!(out.status.code(), Some(0) | Some(2)) {
        findings(&out)
            .iter()
            .filter(|f| f["severity"] == "error" && f["suppressed"].is_null())
            .map(|f| format!("{}: {}", f["code"], f["message"]))
            .collect()
    } else {
        Vec::new()
    };
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (errors, out.status.code(), stderr)
}

/// Applies `s`'s change to the emulator; when it succeeds, takes the name
/// off the target again so that the next scenario of the group starts
/// from the same state (a new tenant, applied last, is left).
async fn apply(moto: &Moto, w: &World, s: &Scenario) -> Result<(), String> {
    let alias = s.overlap.names().1;
    let ours = &w.ours;
    match s.target {
        Target::ExistingDistribution => {
            moto.try_set_aliases(ours, &w.existing.0, &[alias]).await?;
            moto.try_set_aliases(ours, &w.existing.0, &[])
                .await
                .unwrap_or_else(|code| panic!("taking the name back: {code}"));
            Ok(())
        }
        Target::NewTenant => moto
            .try_create_tenant(
                ours,
                TenantSeed {
                    distribution_id: &w.parent,
                    name: "target",
                    domains: &[alias],
                    connection_group_id: Some(&w.group),
                    enabled: true,
                },
            )
            .await
            .map(|_| ()),
        Target::NewDistribution => {
            let seed = DistributionSeed {
                aliases: &[alias],
                certificate_arn: Some(&w.target_cert),
                ..DistributionSeed::default()
            };
            let (id, _) = moto.try_create_distribution(ours, seed).await?;
            moto.try_set_aliases(ours, &id, &[])
                .await
                .unwrap_or_else(|code| panic!("taking the name back: {code}"));
            Ok(())
        }
    }
}

/// Scenarios that share a world: all but their target alike, DNS not at
/// the target; in each group a new tenant comes last.
fn groups(scenarios: &[Scenario]) -> Vec<Vec<(usize, Scenario)>> {
    let mut out: Vec<Vec<(usize, Scenario)>> = Vec::new();
    for (n, s) in scenarios.iter().copied().enumerate() {
        let same = |o: &Scenario| {
            s.dns != Dns::AtTarget
                && (o.holder, o.overlap, o.dns, o.covered)
                    == (s.holder, s.overlap, s.dns, s.covered)
        };
        match out.iter_mut().find(|g| same(&g[0].1)) {
            Some(group) => group.push((n, s)),
            None => out.push(vec![(n, s)]),
        }
    }
    for group in &mut out {
        group.sort_by_key(|(_, s)| s.target == Target::NewTenant);
    }
    out
}

/// Runs a group: one world, every check first, then every apply.
async fn run_group(moto: &Moto, group: &[(usize, Scenario)]) -> Vec<(usize, Scenario, Outcome)> {
    let w = world(moto, &group[0].1).await;
    let checked: Vec<_> = group
        .iter()
        .map(|(n, s)| (*n, *s, check(moto, &w, s, *n)))
        .collect();
    let mut out = Vec::new();
    for (n, s, (check_errors, check_exit, stderr)) in checked {
        let apply = apply(moto, &w, &s).await;
        out.push((
            n,
            s,
            Outcome {
                check_errors,
                check_exit,
                apply,
                stderr,
            },
        ));
    }
    out
}

/// How many servers (and groups at a time) the matrix is split over.
const SHARDS: usize = 3;

/// Scenarios where `check` and the emulator are known to disagree, with
/// why: each must still disagree (a fix flips it, and then it leaves this
/// list).
fn known_gap(_: &Scenario) -> Option<&'static str> {
    None
}

/// One line per scenario: what `check` said and what the apply did; a
/// disagreement (or a check that did not run) as `Err`, unless it is a
/// known gap.
fn judge(s: &Scenario, o: &Outcome) -> Result<String, String> {
    let ran = matches!(o.check_exit, Some(0) | Some(2));
    let said = if o.check_errors.is_empty() {
        "no error".to_string()
    } else {
        o.check_errors.join(" | ")
    };
    let mut line = format!(
        "{s:?}\n    check (exit {:?}): {said}\n    apply: {:?}",
        o.check_exit, o.apply
    );
    if !ran {
        line = format!("{line}\n    stderr: {}", o.stderr.trim());
    }
    let disagree = !ran || o.check_errors.is_empty() != o.apply.is_ok();
    match (disagree, known_gap(s)) {
        (true, Some(why)) => Ok(format!("{line}\n    known gap: {why}")),
        (false, Some(_)) => Err(format!(
            "{line}\n    listed as a known gap but they agree now: remove it from known_gap"
        )),
        (true, None) => Err(line),
        (false, None) => Ok(line),
    }
}

/// Applying the change fails exactly when `check` reports an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn moto_check_agrees_with_the_emulator_on_every_scenario() {
    let scenarios = matrix();
    let started = std::time::Instant::now();
    let groups = groups(&scenarios);
    let mut shards = Vec::new();
    for shard in 0..SHARDS {
        let mine: Vec<Vec<(usize, Scenario)>> =
            groups.iter().skip(shard).step_by(SHARDS).cloned().collect();
        shards.push(tokio::spawn(async move {
            let moto = tokio::task::block_in_place(moto::Moto::start_strict);
            let mut judged = Vec::new();
            for group in mine {
                for (n, s, o) in run_group(&moto, &group).await {
                    judged.push((n, judge(&s, &o)));
                }
            }
            judged
        }));
    }
    let mut judged = Vec::new();
    for shard in shards {
        judged.extend(shard.await.expect("a shard of scenarios"));
    }
    judged.sort_by_key(|(n, _)| *n);
    let refused = judged
        .iter()
        .filter(|(_, j)| {
            j.as_ref()
                .is_ok_and(|l| l.contains("apply: Err") && !l.contains("known gap:"))
        })
        .count();
    let gaps = judged
        .iter()
        .filter(|(_, j)| j.as_ref().is_ok_and(|l| l.contains("known gap:")))
        .count();
    let disagreements: Vec<&String> = judged
        .iter()
        .filter_map(|(_, j)| j.as_ref().err())
        .collect();
    for (n, j) in &judged {
        let (mark, line) = match j {
            Ok(line) if line.contains("known gap:") => ("KNOWN GAP", line),
            Ok(line) => ("agree", line),
            Err(line) => ("DISAGREE", line),
        };
        eprintln!("#{n} {mark} {line}");
    }
    eprintln!(
        "{} scenarios in {:.1?}: {} agreed ({refused} refused by both), {gaps} known gaps, {} \
         disagreements",
        scenarios.len(),
        started.elapsed(),
        judged.len() - disagreements.len() - gaps,
        disagreements.len()
    );
    assert_eq!(judged.len(), scenarios.len());
    assert!(
        refused > 0 && refused < judged.len(),
        "the matrix must hold both verdicts"
    );
    let listed: Vec<&str> = disagreements.iter().map(|d| d.as_str()).collect();
    assert!(
        disagreements.is_empty(),
        "check and the emulator disagree on {} scenarios:\n{}",
        disagreements.len(),
        listed.join("\n")
    );
}
