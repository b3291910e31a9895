//! One DNS query and how its answer is judged. Query names are built from
//! raw labels, so `_*.example.com` (the TXT record of a wildcard alias) is
//! asked as it is. An answer counts only as far as it is about the name
//! asked: records owned by other names are not evidence, several CNAMEs
//! for one name are a resolver that cannot be believed, and every response
//! code other than NOERROR and NXDOMAIN is a failure.

use hickory_resolver::net::xfer::{DnsHandle, FirstAnswer};
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::{DnsRequestOptions, DnsResponse, Query, ResponseCode};
use hickory_resolver::proto::rr::{Name, RData, RecordType};

use super::Asker;
use crate::error::FetchError;
use crate::model::DomainName;

/// What one query said about the name asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Answer {
    /// Records of the type asked, owned by the name (or, for a type other
    /// than CNAME, by the name its CNAME in the same answer leads to).
    Records(Vec<RData>),
    NxDomain,
    /// The name exists with no record of that type.
    NoData,
}

/// The wire name of `name`, from its labels as they are: the text rules
/// of a host name (no `_`, no `*` inside a label) do not apply to the TXT
/// record names AWS documents (`_*.example.com`). Fails only where DNS
/// itself cannot carry the name (an empty label, a label over 63 bytes, a
/// name over 255 bytes).
pub(super) fn wire_name(name: &str) -> Result<Name, String> {
    let labels: Vec<&[u8]> = name
        .trim_end_matches('.')
        .split('.')
        .map(str::as_bytes)
        .collect();
    Name::from_labels(labels).map_err(|e| {
        format!(
            "`{}` cannot be asked in DNS ({e})",
            crate::display::shown(name)
        )
    })
}

/// The name as the rest of the tool spells it.
pub(super) fn domain(name: &Name) -> DomainName {
    DomainName::new(&name.to_ascii())
}

/// Asks `name` for records of `kind` and judges the answer.
pub(super) async fn ask(
    asker: &Asker,
    name: &Name,
    kind: RecordType,
) -> Result<Answer, FetchError> {
    let fail = |detail: String| FetchError::Dns {
        resolver: asker.name.clone(),
        name: crate::display::shown(&domain(name).to_string()),
        detail: format!("the {kind} query {detail}"),
    };
    let mut options = DnsRequestOptions::default();
    options.recursion_desired = true;
    let response = asker
        .pool
        .lookup(Query::query(name.clone(), kind), options)
        .first_answer()
        .await;
    match response {
        Ok(response) => judge(name, kind, &response).map_err(fail),
        Err(NetError::Dns(DnsError::NoRecordsFound(no))) => match no.response_code {
            ResponseCode::NXDomain => Ok(Answer::NxDomain),
            ResponseCode::NoError => Ok(Answer::NoData),
            code => Err(fail(format!("answered {}", code_name(code)))),
        },
        Err(NetError::Dns(DnsError::ResponseCode(code))) => {
            Err(fail(format!("answered {}", code_name(code))))
        }
        Err(NetError::Timeout) => Err(fail("timed out".into())),
        Err(NetError::Io(io)) => Err(fail(format!("could not be reached ({io})"))),
        Err(NetError::NoConnections) => Err(fail("could not be reached".into())),
        Err(other) => Err(fail(crate::display::shown(&other.to_string()))),
    }
}

/// The longest CNAME chain followed inside one answer (a TXT record
/// reached through a CNAME).
const MAX_IN_ANSWER: usize = 8;

/// What an answer says about `name`, or why it cannot be believed.
pub(super) fn judge(
    name: &Name,
    kind: RecordType,
    response: &DnsResponse,
) -> Result<Answer, String> {
    let code = response.response_code;
    if !matches!(code, ResponseCode::NoError | ResponseCode::NXDomain) {
        return Err(format!("answered {}", code_name(code)));
    }
    let answers = &response.answers;
    let cnames_of = |owner: &Name| -> Vec<&Name> {
        let mut targets: Vec<&Name> = answers
            .iter()
            .filter(|r| r.name == *owner)
            .filter_map(|r| match &r.data {
                RData::CNAME(c) => Some(&c.0),
                _ => None,
            })
            .collect();
        targets.dedup();
        targets
    };
    let owned = answers.iter().any(|r| r.name == *name);
    if !answers.is_empty() && !owned {
        return Err(format!(
            "answered only for other names ({}), not for the name asked",
            others(answers.iter().map(|r| &r.name))
        ));
    }
    // The owner whose records answer: the name, or for a type other than
    // CNAME, the end of the CNAME chain the answer carries (a TXT record
    // reached through a CNAME).
    let mut owner = name.clone();
    for step in 0.. {
        let targets = cnames_of(&owner);
        if targets.len() > 1 {
            return Err(format!(
                "answered {} CNAME records for `{}`, where a name has at most one",
                targets.len(),
                crate::display::shown(domain(&owner).as_str())
            ));
        }
        let Some(target) = targets.first() else { break };
        if kind == RecordType::CNAME {
            return Ok(Answer::Records(vec![RData::CNAME(
                hickory_resolver::proto::rr::rdata::CNAME((*target).clone()),
            )]));
        }
        if matches!(kind, RecordType::A | RecordType::AAAA) && step == 0 {
            // Addresses are asked only of a name whose CNAME query said it
            // has none: a CNAME here contradicts that answer.
            return Err(format!(
                "answered a CNAME for `{}` that its CNAME query did not",
                crate::display::shown(domain(&owner).as_str())
            ));
        }
        if step >= MAX_IN_ANSWER {
            return Err("answered a CNAME chain longer than it follows".into());
        }
        owner = (*target).clone();
    }
    let records: Vec<RData> = answers
        .iter()
        .filter(|r| r.name == owner && r.record_type() == kind)
        .map(|r| r.data.clone())
        .collect();
    if !records.is_empty() {
        return Ok(Answer::Records(records));
    }
    Ok(if code == ResponseCode::NXDomain {
        Answer::NxDomain
    } else {
        Answer::NoData
    })
}

/// A response code as DNS tools spell it (`SERVFAIL`), or its number.
fn code_name(code: ResponseCode) -> String {
    match code {
        ResponseCode::NoError => "NOERROR".into(),
        ResponseCode::FormErr => "FORMERR".into(),
        ResponseCode::ServFail => "SERVFAIL".into(),
        ResponseCode::NXDomain => "NXDOMAIN".into(),
        ResponseCode::NotImp => "NOTIMP".into(),
        ResponseCode::Refused => "REFUSED".into(),
        other => format!("response code {}", u16::from(other)),
    }
}

/// A few owner names of an answer, for a message.
fn others<'a>(names: impl Iterator<Item = &'a Name>) -> String {
    let mut list: Vec<String> = names
        .map(|n| format!("`{}`", crate::display::shown(domain(n).as_str())))
        .collect();
    list.dedup();
    let more = list.len().saturating_sub(3);
    list.truncate(3);
    if more > 0 {
        list.push(format!("{more} more"));
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::op::{Message, MessageType, OpCode};
    use hickory_resolver::proto::rr::Record;
    use hickory_resolver::proto::rr::rdata::{A, CNAME, TXT};

    fn n(s: &str) -> Name {
        wire_name(s).unwrap()
    }

    fn response(code: ResponseCode, answers: Vec<Record>) -> DnsResponse {
        let mut m = Message::response(1, OpCode::Query);
        m.metadata.message_type = MessageType::Response;
        m.metadata.response_code = code;
        m.add_answers(answers);
        DnsResponse::from_message(m).unwrap()
    }

    fn cname(owner: &str, target: &str) -> Record {
        Record::from_rdata(n(owner), 60, RData::CNAME(CNAME(n(target))))
    }

    #[test]
    fn wildcard_txt_names_are_asked_as_they_are() {
        let name = n("_*.example.com");
        assert_eq!(name.iter().next(), Some(&b"_*"[..]));
        assert_eq!(name.num_labels(), 3);
        let long = format!("{}.example.com", "a".repeat(64));
        let e = wire_name(&long).unwrap_err();
        assert!(e.contains("cannot be asked"), "{e}");
        assert!(wire_name("a..example.com").is_err());
    }

    #[test]
    fn a_cname_counts_only_when_the_name_asked_owns_it() {
        let asked = n("www.example.com");
        let ok = response(
            ResponseCode::NoError,
            vec![cname("WWW.Example.com", "d1.cloudfront.net")],
        );
        assert_eq!(
            judge(&asked, RecordType::CNAME, &ok).unwrap(),
            Answer::Records(vec![RData::CNAME(CNAME(n("d1.cloudfront.net")))])
        );
        let other = response(
            ResponseCode::NoError,
            vec![cname("evil.example.com", "d1.cloudfront.net")],
        );
        let e = judge(&asked, RecordType::CNAME, &other).unwrap_err();
        assert!(e.contains("only for other names"), "{e}");
        let two = response(
            ResponseCode::NoError,
            vec![
                cname("www.example.com", "d1.cloudfront.net"),
                cname("www.example.com", "d2.cloudfront.net"),
            ],
        );
        let e = judge(&asked, RecordType::CNAME, &two).unwrap_err();
        assert!(e.contains("2 CNAME records"), "{e}");
    }

    #[test]
    fn response_codes_other_than_noerror_and_nxdomain_fail() {
        let asked = n("www.example.com");
        for code in [
            ResponseCode::ServFail,
            ResponseCode::Refused,
            ResponseCode::NotImp,
            ResponseCode::FormErr,
            ResponseCode::Unknown(13),
        ] {
            let r = response(
                code,
                vec![Record::from_rdata(
                    asked.clone(),
                    60,
                    RData::A(A::new(192, 0, 2, 1)),
                )],
            );
            assert!(judge(&asked, RecordType::A, &r).is_err(), "{code:?}");
        }
        let nx = response(ResponseCode::NXDomain, vec![]);
        assert_eq!(judge(&asked, RecordType::A, &nx).unwrap(), Answer::NxDomain);
    }

    #[test]
    fn a_txt_record_behind_a_cname_is_read_and_an_address_behind_one_is_not() {
        let asked = n("_www.example.com");
        let txt = response(
            ResponseCode::NoError,
            vec![
                cname("_www.example.com", "_www.example.net"),
                Record::from_rdata(
                    n("_www.example.net"),
                    60,
                    RData::TXT(TXT::new(vec!["d1.cloudfront.net".into()])),
                ),
            ],
        );
        assert!(matches!(
            judge(&asked, RecordType::TXT, &txt).unwrap(),
            Answer::Records(r) if r.len() == 1
        ));
        let a = response(
            ResponseCode::NoError,
            vec![
                cname("www.example.com", "d1.cloudfront.net"),
                Record::from_rdata(n("d1.cloudfront.net"), 60, RData::A(A::new(13, 32, 0, 1))),
            ],
        );
        assert!(judge(&n("www.example.com"), RecordType::A, &a).is_err());
    }
}
