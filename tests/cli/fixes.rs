//! The fix for each route, end to end against the emulator (and dnsmasq
//! where DNS is evidence): the one the Developer Guide's "Move an alternate
//! domain name" pages give today, every printed command valid AWS CLI v2
//! syntax (checked against a table taken from the CLI reference), and the
//! human report on one screen.

use crate::dnsmasq::{Dnsmasq, Record};
use crate::tf_dir::{TWO_ACCOUNTS as PROVIDERS, TfDir};
use crate::{check_against, findings, moto};

/// The commands a fix may print and their flags, from the AWS CLI v2
/// reference (<https://docs.aws.amazon.com/cli/latest/reference/cloudfront/>):
/// (command, required flags, optional flags). `--query` and `--output` are
/// global options.
const COMMANDS: &[(&str, &[&str], &[&str])] = &[
    (
        "associate-alias",
        &["--target-distribution-id", "--alias"],
        &[],
    ),
    (
        "update-domain-association",
        &["--domain", "--target-resource"],
        &["--if-match"],
    ),
    ("get-distribution", &["--id"], &[]),
    ("get-distribution-tenant", &["--identifier"], &[]),
    (
        "list-domain-conflicts",
        &["--domain", "--domain-control-validation-resource"],
        &[],
    ),
    ("wait distribution-deployed", &["--id"], &[]),
];

const GLOBAL: &[&str] = &["--query", "--output"];

/// Splits a command line as a POSIX shell would for the quoting fixes use
/// (bare words and single quotes, `'\''` for a quote).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quote: {line}");
    if any {
        words.push(word);
    }
    words
}

/// Checks one printed command against the table: a known command, every
/// flag known and given once with a value, every required flag present,
/// and `--target-resource` in the shorthand the reference documents.
fn assert_valid(line: &str) {
    let words = shell_words(line);
    assert_eq!(&words[..2], ["aws", "cloudfront"], "{line}");
    let (name, required, optional) = COMMANDS
        .iter()
        .find(|(name, ..)| {
            let parts: Vec<&str> = name.split(' ').collect();
            words[2..].starts_with(&parts.iter().map(|p| p.to_string()).collect::<Vec<_>>())
        })
        .unwrap_or_else(|| panic!("not a command of the table: {line}"));
    let rest = &words[2 + name.split(' ').count()..];
    assert!(
        rest.len().is_multiple_of(2),
        "a flag without a value: {line}"
    );
    let mut seen = Vec::new();
    for pair in rest.chunks(2) {
        let (flag, value) = (pair[0].as_str(), pair[1].as_str());
        assert!(
            required.contains(&flag) || optional.contains(&flag) || GLOBAL.contains(&flag),
            "`{flag}` is not a flag of `{name}`: {line}"
        );
        assert!(!value.starts_with("--") && !value.is_empty(), "{line}");
        assert!(!seen.contains(&flag), "`{flag}` twice: {line}");
        seen.push(flag);
        if flag == "--target-resource" {
            let (key, id) = value.split_once('=').unwrap_or_default();
            assert!(
                matches!(key, "DistributionId" | "DistributionTenantId") && !id.is_empty(),
                "{line}"
            );
        }
    }
    for flag in *required {
        assert!(seen.contains(flag), "`{name}` needs `{flag}`: {line}");
    }
}

/// Every command a finding's fix prints, in every branch.
fn commands(f: &serde_json::Value) -> Vec<String> {
    let fix = &f["fix"];
    let mut steps: Vec<&serde_json::Value> = fix["steps"].as_array().unwrap().iter().collect();
    for alt in fix["alternatives"].as_array().unwrap() {
        steps.extend(alt["steps"].as_array().unwrap());
    }
    steps
        .iter()
        .filter_map(|s| s["command"].as_str().map(str::to_string))
        .collect()
}

fn remedies(f: &serde_json::Value) -> Vec<String> {
    f["fix"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["remedy"].as_str().unwrap().to_string())
        .collect()
}

fn statuses(f: &serde_json::Value) -> Vec<(String, String)> {
    f["fix"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_string(),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn config(name: &str, main_tf: &str) -> TfDir {
    TfDir::new("fixes", name, main_tf)
}

fn site(aliases: &[&str], cert: &str) -> String {
    let aliases: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        r#"{PROVIDERS}
resource "aws_cloudfront_distribution" "site" {{
  aliases = [{}]
  viewer_certificate {{
    acm_certificate_arn = "{cert}"
    ssl_support_method  = "sni-only"
  }}
}}
"#,
        aliases.join(", ")
    )
}

fn taken<'a>(found: &'a [serde_json::Value], alias: &str) -> &'a serde_json::Value {
    found
        .iter()
        .find(|f| f["code"] == "alias-taken" && f["alias"] == alias)
        .unwrap_or_else(|| panic!("{alias}: {found:#?}"))
}

/// Every route a standard distribution can meet, in one emulator: a
/// holder in this account, one in a reached account (a name and an apex),
/// one in an account no provider reaches. Each fix is the guide's, and
/// every command it prints parses.
#[tokio::test(flavor = "multi_thread")]
async fn moto_each_route_gets_the_fix_the_guide_gives() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(
            &ours,
            "example.com",
            &["*.example.com", "bar.com", "*.bar.com", "*.other.net"],
        )
        .await;
    moto.create_distribution(&ours, &["probe.example.com", "probe.bar.com"], Some(&cert))
        .await;
    moto.create_distribution(&ours, &["probe.other.net"], Some(&cert))
        .await;
    moto.create_distribution(&ours, &["here.example.com"], None)
        .await;
    let legacy = moto.config_for_account("222222222222").await;
    let (there, _) = moto
        .create_distribution(&legacy, &["a.bar.com", "bar.com", "b.bar.com"], None)
        .await;
    let elsewhere = moto.config_for_account("333333333333").await;
    moto.create_distribution(&elsewhere, &["far.other.net"], None)
        .await;
    let config = config(
        "routes",
        &site(
            &["here.example.com", "a.bar.com", "bar.com", "far.other.net"],
            &cert,
        ),
    );
    // With a state, the target is known not to be the holder.
    let out = check_against(&moto, &["-f", "json", config.path()]);
    assert_eq!(out.status.code(), Some(2));
    let found = findings(&out);

    // Same account: AssociateAlias, no TXT step, UpdateDomainAssociation as
    // the alternative.
    let here = taken(&found, "here.example.com");
    assert_eq!(here["fix"]["remedy"], "associate-alias");
    assert_eq!(remedies(here), ["update-domain-association"]);
    assert!(
        !here["help"].as_str().unwrap().contains("TXT record `"),
        "{here}"
    );

    // Another account, a name: the wildcard move first, never refused.
    let name = taken(&found, "a.bar.com");
    assert_eq!(name["fix"]["remedy"], "wildcard-move");
    assert_eq!(
        remedies(name),
        ["disable-then-associate", "keep-serving-move", "aws-support"]
    );
    let help = name["help"].as_str().unwrap();
    assert!(help.contains("add `*.bar.com` to"), "{help}");
    assert!(!help.contains("refuse"), "{help}");
    assert!(help.contains("not documented by AWS"), "{help}");
    // Disabling names every name the source stops serving.
    assert!(
        help.contains("`a.bar.com`, `bar.com`, `b.bar.com`"),
        "{help}"
    );
    assert!(help.contains(&format!("disable `{there}`")), "{help}");

    // Another account, an apex: disable then move (or AWS Support), with
    // the TXT record `_.bar.com`.
    let apex = taken(&found, "bar.com");
    assert_eq!(apex["fix"]["remedy"], "disable-then-associate");
    assert_eq!(remedies(apex), ["aws-support"]);
    let help = apex["help"].as_str().unwrap();
    assert!(help.contains("`_.bar.com. 300 IN TXT"), "{help}");
    assert!(!help.contains("`_bar.com"), "{help}");

    // No provider reaches the holder: UpdateDomainAssociation first.
    let far = taken(&found, "far.other.net");
    assert_eq!(far["fix"]["remedy"], "update-domain-association");
    assert!(remedies(far).contains(&"aws-support".to_string()));

    for f in [here, name, apex, far] {
        let commands = commands(f);
        assert!(!commands.is_empty(), "{f}");
        for c in &commands {
            assert_valid(c);
        }
        // Nothing after the move is a precondition: the DNS step is to do.
        for (status, text) in statuses(f) {
            if text.starts_with("point ") {
                assert_eq!(status, "todo", "{text}");
            }
        }
    }

    // One screen: the primary fix in full, each alternative on one line;
    // --verbose gives every branch.
    let human = check_against(&moto, &[config.path()]);
    let text = String::from_utf8_lossy(&human.stdout);
    let brief = help_lines(&text, "a.bar.com");
    assert!(
        brief.len() <= 25,
        "{} lines:\n{}",
        brief.len(),
        brief.join("\n")
    );
    assert!(
        brief
            .iter()
            .any(|l| l.contains("(disable-then-associate; ")),
        "{}",
        brief.join("\n")
    );
    let verbose = check_against(&moto, &["--verbose", config.path()]);
    let text = String::from_utf8_lossy(&verbose.stdout);
    let full = help_lines(&text, "a.bar.com");
    assert!(full.len() > brief.len() + 8, "{}", full.join("\n"));
}

/// The help lines of the finding whose message names `alias` first.
fn help_lines(text: &str, alias: &str) -> Vec<String> {
    let start = text
        .find(&format!("× `{alias}`"))
        .unwrap_or_else(|| panic!("{alias}: {text}"));
    let rest = &text[start..];
    let help = rest.find("  help:").unwrap();
    rest[help..]
        .lines()
        .take_while(|l| l.starts_with("  help:") || l.starts_with("        "))
        .map(str::to_string)
        .collect()
}

/// Tenants: UpdateDomainAssociation with the ETag read by
/// `get-distribution-tenant --identifier`; every command parses.
#[tokio::test(flavor = "multi_thread")]
async fn moto_a_tenant_target_moves_with_update_domain_association() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (parent, _) = moto
        .create_multi_tenant_distribution(&ours, Some(&cert))
        .await;
    moto.create_distribution(&ours, &["probe.example.com"], Some(&cert))
        .await;
    moto.create_tenant(
        &ours,
        moto::TenantSeed {
            distribution_id: &parent,
            name: "old-shop",
            domains: &["shop.example.com"],
            connection_group_id: None,
            enabled: true,
        },
    )
    .await;
    let target = moto
        .create_tenant(
            &ours,
            moto::TenantSeed {
                distribution_id: &parent,
                name: "shop",
                domains: &["new.example.com"],
                connection_group_id: None,
                enabled: true,
            },
        )
        .await;
    let config = config(
        "tenant",
        &format!(
            r#"{PROVIDERS}
resource "aws_cloudfront_distribution_tenant" "shop" {{
  distribution_id = "{parent}"
  name            = "shop"
  domain {{
    domain = "shop.example.com"
  }}
}}
"#
        ),
    );
    // Without a state the holder in this account could be the tenant
    // itself: a note, with the same fix.
    let out = check_against(&moto, &["-f", "json", config.path()]);
    let found = findings(&out);
    let f = taken(&found, "shop.example.com");
    assert_eq!(f["fix"]["remedy"], "update-domain-association");
    assert_eq!(remedies(f), ["aws-support"]);
    let commands = commands(f);
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("aws cloudfront get-distribution-tenant --identifier ")),
        "{commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.contains("--if-match ETAG")),
        "{commands:?}"
    );
    for c in &commands {
        assert_valid(c);
    }
    // A new tenant whose only domain this is cannot be made without it.
    let help = f["help"].as_str().unwrap();
    assert!(help.contains("its only domain"), "{help}");
    assert!(
        !help.contains("create it first without the alias"),
        "{help}"
    );
    let _ = target;
}

/// HCL without a state: the holder in this account could be the resource
/// itself. DNS points at the holder; the DNS evidence joins the finding and
/// the "could be itself" caveat stays (a check that edited the finding in
/// place lost it), with no second finding about the same DNS record.
#[tokio::test(flavor = "multi_thread")]
async fn moto_may_be_itself_keeps_its_caveat_with_dns_asked() {
    let moto = moto::Moto::start();
    let ours = moto.config().await;
    let cert = moto
        .request_certificate(&ours, "example.com", &["*.example.com"])
        .await;
    let (holder, holder_domain) = moto
        .create_distribution(&ours, &["www.example.com"], Some(&cert))
        .await;
    let dns = Dnsmasq::start(&[
        Record::Cname("www.example.com", &holder_domain),
        Record::A(&holder_domain, "13.32.0.1"),
    ]);
    let config = config("itself", &site(&["www.example.com"], &cert));
    let out = check_against(
        &moto,
        &["--dns-server", &dns.server, "-f", "json", config.path()],
    );
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "alias-taken");
    assert_eq!(f["severity"], "note");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("could be `aws_cloudfront_distribution.site` itself"),
        "{f}"
    );
    let help = f["help"].as_str().unwrap();
    assert!(
        help.starts_with("without a plan or a state, cname-preflight cannot tell"),
        "{help}"
    );
    assert_eq!(f["dns"]["points_to"], holder_domain.as_str());
    assert_eq!(f["dns"]["distribution_id"], holder.as_str());
    assert!(
        help.contains(&format!("DNS leads to `{holder_domain}` now")),
        "{help}"
    );
}

#[test]
fn the_command_table_refuses_what_the_cli_refuses() {
    assert_valid("aws cloudfront get-distribution-tenant --identifier dt_1");
    assert_valid(
        "aws cloudfront update-domain-association --domain 'a b' --target-resource DistributionId=E1 --if-match ETAG",
    );
    for bad in [
        "aws cloudfront get-distribution-tenant --id dt_1",
        "aws cloudfront update-domain-association --domain a --target-resource E1",
        "aws cloudfront associate-alias --alias a",
        "aws cloudfront associate-alias --target-distribution-id E1 --alias",
    ] {
        let refused = std::panic::catch_unwind(|| assert_valid(bad)).is_err();
        assert!(refused, "{bad}");
    }
}
