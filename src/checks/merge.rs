//! The merge stage: joins evidence that belongs together, after every
//! check ran, so that no check edits another's finding and the order of
//! checks does not matter.
//!
//! DNS evidence joins the finding whose other party it leads to: the
//! holder of `alias-taken`, the giver of `move-within-change`, the old
//! object of `replace-keeps-alias` ([`Finding::party`]). Such a finding
//! takes the DNS evidence and the status of its steps that point DNS: a
//! precondition of the move that DNS contradicts is `not-met`, what comes
//! after the move stays `todo` with what DNS shows, and DNS already on the
//! target is `verified` with the chain seen. The `dns-points-elsewhere`
//! finding about the same party is then one finding, not two.

use crate::diag::{Code, DnsEvidence, Finding, StepStatus};
use crate::model::{DomainName, Span};

/// Where one claim's alias leads in DNS, as the DNS check saw it.
#[derive(Debug, Clone)]
pub(super) struct DnsSeen {
    /// The claim's span: evidence joins findings about the same claim.
    pub span: Span,
    /// The CloudFront name DNS ends at.
    pub points_to: DomainName,
    /// The distribution or tenant that name belongs to, when known.
    pub owner_id: Option<String>,
    /// The name is the target's own.
    pub own: bool,
    /// The chain as it may be printed.
    pub route: String,
    pub evidence: DnsEvidence,
}

impl DnsSeen {
    fn leads_to(&self, f: &Finding) -> bool {
        let Some(party) = &f.party else {
            return false;
        };
        (party.id.is_some() && party.id == self.owner_id)
            || party
                .domain
                .as_deref()
                .is_some_and(|d| DomainName::new(d) == self.points_to)
    }
}

/// Joins the DNS evidence into the findings it belongs to, drops the
/// `dns-points-elsewhere` findings it replaces, and composes every help
/// from its evidence.
pub(super) fn join(findings: Vec<Finding>, seen: &[DnsSeen]) -> Vec<Finding> {
    let mut findings = findings;
    let mut joined: Vec<(Span, DomainName)> = Vec::new();
    for s in seen {
        for f in findings.iter_mut().filter(|f| f.span == s.span) {
            if f.code == Code::DnsPointsElsewhere {
                continue;
            }
            // The party first: a replacement's old object has the
            // target's own name, and DNS on it is not DNS on the successor.
            if s.leads_to(f) {
                on_party(f, s);
                joined.push((s.span, s.points_to.clone()));
            } else if s.own {
                on_target(f, s);
            }
        }
    }
    findings.retain(|f| {
        !(f.code == Code::DnsPointsElsewhere
            && f.dns
                .as_ref()
                .and_then(|d| d.points_to.as_deref())
                .is_some_and(|p| {
                    joined
                        .iter()
                        .any(|(span, to)| *span == f.span && DomainName::new(p) == *to)
                }))
    });
    for f in &mut findings {
        f.compose_help();
    }
    findings
}

/// DNS leads to the other party: the steps that point DNS say so.
fn on_party(f: &mut Finding, s: &DnsSeen) {
    f.dns = Some(s.evidence.clone());
    let Some(fix) = f.fix.as_mut() else {
        return;
    };
    let note = format!(" (DNS leads to `{}` now: {})", s.points_to, s.route);
    for step in fix.all_steps_mut().filter(|step| step.points_dns) {
        if matches!(step.status, StepStatus::Todo | StepStatus::NotMet) {
            step.status = if step.precondition {
                StepStatus::NotMet
            } else {
                StepStatus::Todo
            };
            step.text.push_str(&note);
        }
    }
}

/// DNS already leads to the target: the steps that point DNS are done.
fn on_target(f: &mut Finding, s: &DnsSeen) {
    let Some(fix) = f.fix.as_mut() else {
        return;
    };
    for step in fix.all_steps_mut().filter(|step| step.points_dns) {
        step.status = StepStatus::Verified(format!("DNS: {}", s.route));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Fix, Party, Remedy, Step};
    use crate::model::{Action, Resource};

    fn finding(code: Code, caveat: Option<&str>) -> Finding {
        let resources = vec![Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &["www.example.com"],
        )];
        let claims = crate::input::claims(&resources);
        let mut f = super::super::about_claim(
            code,
            &claims[0],
            &resources[0],
            "m".into(),
            "l",
            "dns help".into(),
        );
        if code == Code::AliasTaken {
            f.caveat = caveat.map(str::to_string);
            f.party = Some(Party {
                id: Some("EHOLDER".into()),
                domain: Some("dholder.cloudfront.net".into()),
            });
            f.fix = Some(Fix {
                remedy: Remedy::AssociateAlias,
                title: "move it:".into(),
                steps: vec![
                    Step::todo("move"),
                    Step::todo("point DNS at the target").pointing_dns(),
                ],
                alternatives: vec![crate::diag::Alternative {
                    remedy: Remedy::KeepServingMove,
                    when: "w".into(),
                    steps: vec![Step::todo("point DNS first").pointing_dns().before_move()],
                }],
            });
        } else {
            f.dns = Some(seen(false).evidence);
        }
        f
    }

    fn seen(own: bool) -> DnsSeen {
        let to = if own {
            "dsite.cloudfront.net"
        } else {
            "dholder.cloudfront.net"
        };
        DnsSeen {
            span: finding_span(),
            points_to: DomainName::new(to),
            owner_id: (!own).then(|| "EHOLDER".to_string()),
            own,
            route: format!("`www.example.com` -> `{to}`"),
            evidence: DnsEvidence {
                name: "www.example.com".into(),
                chain: vec![to.into()],
                points_to: Some(to.into()),
                distribution_id: None,
                account_id: None,
                via: Some("cname"),
            },
        }
    }

    fn finding_span() -> Span {
        let resources = vec![Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &["www.example.com"],
        )];
        crate::input::claims(&resources)[0].span
    }

    /// HCL without a state: the holder may be the resource itself. DNS on
    /// the holder joins the finding, and the caveat stays, whichever order
    /// the findings come in.
    #[test]
    fn dns_on_the_holder_joins_alias_taken_and_keeps_the_caveat() {
        let caveat = "could be `aws_cloudfront_distribution.site` itself;";
        for order in [false, true] {
            let mut findings = vec![
                finding(Code::AliasTaken, Some(caveat)),
                finding(Code::DnsPointsElsewhere, None),
            ];
            if order {
                findings.reverse();
            }
            let out = join(findings, &[seen(false)]);
            assert_eq!(out.len(), 1, "{out:#?}");
            let f = &out[0];
            assert_eq!(f.code, Code::AliasTaken);
            assert!(f.help.starts_with(caveat), "{}", f.help);
            assert!(f.dns.is_some());
            let fix = f.fix.as_ref().unwrap();
            // After the move: to do, with what DNS shows; before it: not met.
            assert_eq!(fix.steps[1].status, StepStatus::Todo);
            assert!(
                fix.steps[1]
                    .text
                    .contains("DNS leads to `dholder.cloudfront.net` now")
            );
            assert_eq!(fix.alternatives[0].steps[0].status, StepStatus::NotMet);
        }
    }

    #[test]
    fn dns_on_the_target_verifies_the_dns_steps_with_the_chain() {
        let out = join(vec![finding(Code::AliasTaken, None)], &[seen(true)]);
        let step = &out[0].fix.as_ref().unwrap().steps[1];
        assert_eq!(
            step.status,
            StepStatus::Verified("DNS: `www.example.com` -> `dsite.cloudfront.net`".into())
        );
    }

    #[test]
    fn dns_elsewhere_stays_its_own_finding() {
        let mut other = seen(false);
        other.owner_id = Some("EOTHER".into());
        other.points_to = DomainName::new("dother.cloudfront.net");
        let out = join(
            vec![
                finding(Code::AliasTaken, None),
                finding(Code::DnsPointsElsewhere, None),
            ],
            &[other],
        );
        assert_eq!(out.len(), 2);
        assert!(out[0].dns.is_none());
    }
}

#[cfg(test)]
mod joins {
    use super::*;
    use crate::model::{Action, Resource};

    /// A rename without `moved`: DNS on the giver joins the
    /// move-within-change finding, and its two-applies branch's DNS step,
    /// a precondition of the second apply, is not met.
    #[test]
    fn dns_on_the_giver_joins_move_within_change() {
        let mut a = Resource::for_test(
            "aws_cloudfront_distribution.old",
            0,
            Action::Delete,
            &["www.example.com"],
            &[],
        );
        a.domain_name = Some("dold.cloudfront.net".into());
        let b = Resource::for_test(
            "aws_cloudfront_distribution.site",
            0,
            Action::Create,
            &[],
            &["www.example.com"],
        );
        let resources = vec![a, b];
        let claims = crate::input::claims(&resources);
        let mut findings = Vec::new();
        super::super::holders::check(&resources, &claims, &mut findings);
        assert_eq!(findings[0].code, Code::MoveWithinChange);
        let seen = DnsSeen {
            span: claims[0].span,
            points_to: DomainName::new("dold.cloudfront.net"),
            owner_id: None,
            own: false,
            route: "`www.example.com` -> `dold.cloudfront.net`".into(),
            evidence: DnsEvidence {
                name: "www.example.com".into(),
                chain: vec!["dold.cloudfront.net".into()],
                points_to: Some("dold.cloudfront.net".into()),
                distribution_id: None,
                account_id: None,
                via: Some("cname"),
            },
        };
        let out = join(findings, &[seen]);
        assert_eq!(out.len(), 1);
        let f = &out[0];
        assert!(f.dns.is_some());
        let two = &f.fix.as_ref().unwrap().alternatives[0];
        let dns = two.steps.iter().find(|s| s.points_dns).unwrap();
        assert_eq!(dns.status, StepStatus::NotMet, "{dns:?}");
        assert!(
            f.help.contains("DNS leads to `dold.cloudfront.net` now"),
            "{}",
            f.help
        );
    }
}
