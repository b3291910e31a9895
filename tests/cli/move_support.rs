//! What the `move` tests share: the binary run against the emulator, a
//! configuration directory with a state, and the emulator's count of
//! requests per operation.

use std::collections::BTreeMap;
use std::process::Output;

use crate::tf_dir::TfDir;
use crate::{isolated, moto};

/// Runs `move ARGS` against moto with its test credentials and nothing of
/// this machine's own; DNS is not asked unless the test names a resolver.
/// Waits for Deployed are bounded at 60 seconds unless the test says.
pub fn mv(moto: &moto::Moto, args: &[&str]) -> Output {
    let dns = if args.contains(&"--dns-server") {
        None
    } else {
        Some("--no-dns")
    };
    let wait = if args.contains(&"--wait") {
        None
    } else {
        Some(["--wait", "60"])
    };
    isolated()
        .arg("move")
        .args(["--endpoint-url", &moto.url])
        .args(wait.into_iter().flatten())
        .args(dns)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .expect("the binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON document of `move -f json`.
pub fn doc(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

/// A configuration directory: `main.tf` with one distribution
/// `aws_cloudfront_distribution.site` (these aliases, this certificate)
/// and a `terraform.tfstate` that gives it `id`; removed when dropped.
pub struct Config(pub TfDir);

impl Config {
    pub fn new(name: &str, providers: &str, aliases: &[&str], cert: &str, id: &str) -> Config {
        let list: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
        let dir = TfDir::new(
            "move",
            name,
            &format!(
                r#"{providers}
resource "aws_cloudfront_distribution" "site" {{
  aliases = [{}]
  viewer_certificate {{
    acm_certificate_arn = "{cert}"
    ssl_support_method  = "sni-only"
  }}
}}
"#,
                list.join(", ")
            ),
        );
        std::fs::write(
            dir.0.join("terraform.tfstate"),
            format!(
                r#"{{"version":4,"resources":[{{"mode":"managed","type":"aws_cloudfront_distribution","name":"site","instances":[{{"attributes":{{"id":"{id}","aliases":[]}}}}]}}]}}"#
            ),
        )
        .unwrap();
        Config(dir)
    }

    pub fn path(&self) -> &str {
        self.0.path()
    }
}

/// The provider block of the default account.
pub const ONE_ACCOUNT: &str = r#"provider "aws" {
  region = "us-east-1"
}
"#;

/// The requests the emulator received, per `METHOD path`
/// (`GET /moto-wrapper/requests`).
pub fn requests(moto: &moto::Moto) -> BTreeMap<String, usize> {
    moto.request("GET", "/moto-wrapper/requests")
        .expect("the request counts")
        .lines()
        .filter_map(|l| {
            let (k, v) = l.rsplit_once('\t')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

/// The CloudFront requests that change something: every PUT and DELETE,
/// and every POST but the reads CloudFront sends as POST
/// (ListDomainConflicts, ListDistributionTenants(ByCustomization),
/// ListConnectionGroups). STS and ACM (`POST /`) are not CloudFront's.
pub fn mutating(counts: &BTreeMap<String, usize>) -> BTreeMap<String, usize> {
    const READS: [&str; 4] = [
        "/2020-05-31/domain-conflicts",
        "/2020-05-31/distribution-tenants",
        "/2020-05-31/distribution-tenants-by-customization",
        "/2020-05-31/connection-groups",
    ];
    counts
        .iter()
        .filter(|(k, _)| {
            let (method, path) = k.split_once(' ').unwrap_or_default();
            path.starts_with("/2020-05-31/")
                && match method {
                    "PUT" | "DELETE" => true,
                    "POST" => !READS.contains(&path.trim_end_matches('/')),
                    _ => false,
                }
        })
        .map(|(k, v)| (k.clone(), *v))
        .collect()
}

/// What changed between two counts.
pub fn since(
    before: &BTreeMap<String, usize>,
    after: &BTreeMap<String, usize>,
) -> BTreeMap<String, usize> {
    after
        .iter()
        .filter_map(|(k, v)| {
            let d = v - before.get(k).copied().unwrap_or(0);
            (d > 0).then(|| (k.clone(), d))
        })
        .collect()
}

/// Keeps every changed distribution and tenant `InProgress` for `ms`.
pub fn deploy_delay(moto: &moto::Moto, ms: u64) {
    moto.request("POST", &format!("/moto-wrapper/deploy-ms?ms={ms}"))
        .expect("the emulator takes the delay");
}
