//! A moto server on a loopback port, started per test and stopped on drop,
//! and SDK clients that seed it with the real API: distributions (standard,
//! multi-tenant, staging), distribution tenants, connection groups,
//! certificates and Route 53 records, in any account. The server is moto's,
//! wrapped by `moto_server.py` (and `cloudfront_emu/`) so that
//! ListConflictingAliases, ListDomainConflicts, tenants and connection
//! groups are answered from moto's own state. Missing moto fails the test:
//! `scripts/test` installs it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

const WRAPPER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/moto_server.py");

/// Makes each seeded resource's caller reference unique.
static SEEDED: AtomicUsize = AtomicUsize::new(0);

/// A distribution to seed: the aliases it holds, its certificate, whether
/// it is multi-tenant (`ConnectionMode` tenant-only) or staging, and
/// whether it is disabled (a holder that can be moved from now).
#[derive(Clone, Copy, Default)]
pub struct DistributionSeed<'a> {
    pub aliases: &'a [&'a str],
    pub certificate_arn: Option<&'a str>,
    pub tenant_only: bool,
    pub staging: bool,
    pub disabled: bool,
}

/// A distribution tenant to seed under a multi-tenant distribution; no
/// connection group means the account's default one.
#[derive(Clone, Copy)]
pub struct TenantSeed<'a> {
    pub distribution_id: &'a str,
    pub name: &'a str,
    pub domains: &'a [&'a str],
    pub connection_group_id: Option<&'a str>,
    pub enabled: bool,
}

/// A seeded tenant, as CloudFront reports it, with the routing endpoint of
/// its connection group (where its DNS points).
#[derive(Clone, Debug)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub connection_group_id: String,
    pub routing_endpoint: String,
}

/// A connection group, as CloudFront reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionGroup {
    pub id: String,
    pub name: String,
    pub routing_endpoint: String,
    pub is_default: bool,
}

impl From<&aws_sdk_cloudfront::types::ConnectionGroup> for ConnectionGroup {
    fn from(g: &aws_sdk_cloudfront::types::ConnectionGroup) -> Self {
        ConnectionGroup {
            id: g.id().unwrap_or_default().to_string(),
            name: g.name().unwrap_or_default().to_string(),
            routing_endpoint: g.routing_endpoint().unwrap_or_default().to_string(),
            is_default: g.is_default() == Some(true),
        }
    }
}

pub struct Moto {
    child: Child,
    pub url: String,
    port: u16,
}

impl Moto {
    /// moto with ListConflictingAliases, ListDomainConflicts, tenants,
    /// connection groups, AssociateAlias and UpdateDomainAssociation
    /// answered from its state; a distribution may take aliases its
    /// certificate does not cover (seeds without certificates).
    pub fn start() -> Moto {
        Moto::start_program(&[WRAPPER])
    }

    /// As `start`, but every rule CloudFront applies to a name is enforced:
    /// an alias the certificate does not cover is refused (400) too. (An
    /// alias whose DNS leads to another distribution is refused, 409, by
    /// both, once a resolver is given with `use_dns_server`.)
    pub fn start_strict() -> Moto {
        Moto::start_program(&[WRAPPER, "--strict-certificates"])
    }

    /// As `start`, but ListDomainConflicts answers 404 as an endpoint
    /// without the operation does; ListConflictingAliases still answers.
    pub fn start_without_domain_conflicts() -> Moto {
        Moto::start_program(&[WRAPPER, "--without-domain-conflicts"])
    }

    /// Makes the emulator read DNS from `server` (`127.0.0.1:PORT`, a
    /// `Dnsmasq`'s `server`): the `_name` TXT record of a move across
    /// accounts, and the CNAME chain of a new alias. Seed first, then start
    /// the resolver with the seeded domains, then call this.
    pub fn use_dns_server(&self, server: &str) {
        self.request(
            "POST",
            &format!("/moto-wrapper/dns-server?address={server}"),
        )
        .unwrap_or_else(|| panic!("moto's server did not take the DNS server {server}"));
    }

    /// Forgets every account's resources (moto's reset, which the wrapper
    /// extends to tenants, connection groups, pending deployments and the
    /// DNS server).
    pub fn reset(&self) {
        self.request("POST", "/moto-api/reset")
            .unwrap_or_else(|| panic!("moto's server did not reset"));
    }

    /// Sets a distribution's aliases with UpdateDistribution, If-Match the
    /// ETag GetDistributionConfig answers; the error code CloudFront
    /// answered otherwise.
    pub async fn try_set_aliases(
        &self,
        conf: &SdkConfig,
        id: &str,
        aliases: &[&str],
    ) -> Result<(), String> {
        use aws_sdk_cloudfront::types::Aliases;
        let client = aws_sdk_cloudfront::Client::new(conf);
        let got = client
            .get_distribution_config()
            .id(id)
            .send()
            .await
            .map_err(error_code)?;
        let mut config = got.distribution_config().expect("a configuration").clone();
        config.aliases = Some(
            Aliases::builder()
                .quantity(aliases.len() as i32)
                .set_items(Some(aliases.iter().map(|a| a.to_string()).collect()))
                .build()
                .unwrap(),
        );
        client
            .update_distribution()
            .id(id)
            .if_match(got.e_tag().unwrap_or_default())
            .distribution_config(config)
            .send()
            .await
            .map(|_| ())
            .map_err(error_code)
    }

    /// moto alone: ListConflictingAliases answers 404, as an emulator or a
    /// proxy without the operation would.
    pub fn start_without_conflict_lookups() -> Moto {
        Moto::start_program(&["-m", "moto.server"])
    }

    fn start_program(program: &[&str]) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        // Each server records to its own file (moto's default is one file
        // in the working directory, shared by every server).
        let recording = std::env::temp_dir().join(format!("cname-preflight-moto-{port}.log"));
        let _ = std::fs::remove_file(&recording);
        let child = Command::new("python3")
            .args(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_RECORDER_FILEPATH", &recording)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start moto's server ({e}): install it with `pip install 'moto[server]'` (scripts/test does)")
            });
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while moto.request("GET", "/moto-api/").is_none() {
            assert!(
                Instant::now() < deadline,
                "moto's server did not answer on port {port} within 30 s (is moto[server] installed?)"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// A plain HTTP request to moto's own API; None if it does not answer.
    pub fn request(&self, method: &str, path: &str) -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let (_, body) = response.split_once("\r\n\r\n")?;
        Some(body.to_string())
    }

    /// SDK configuration with moto's test credentials (account 123456789012).
    pub async fn config(&self) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&self.url)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
            .load()
            .await
    }

    /// SDK configuration for another account, through AssumeRole.
    pub async fn config_for_account(&self, account: &str) -> SdkConfig {
        let base = self.config().await;
        let out = aws_sdk_sts::Client::new(&base)
            .assume_role()
            .role_arn(format!("arn:aws:iam::{account}:role/seed"))
            .role_session_name("seed")
            .send()
            .await
            .expect("AssumeRole into another account");
        let c = out.credentials().expect("credentials");
        base.into_builder()
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                    c.access_key_id(),
                    c.secret_access_key(),
                    Some(c.session_token().to_string()),
                    None,
                    "assumed",
                )),
            )
            .build()
    }

    /// Requests an ACM certificate for these names; returns its ARN.
    pub async fn request_certificate(
        &self,
        conf: &SdkConfig,
        domain: &str,
        sans: &[&str],
    ) -> String {
        let out = aws_sdk_acm::Client::new(conf)
            .request_certificate()
            .domain_name(domain)
            .set_subject_alternative_names(Some(sans.iter().map(|s| s.to_string()).collect()))
            .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
            .send()
            .await
            .expect("RequestCertificate");
        out.certificate_arn().expect("an ARN").to_string()
    }

    /// Creates a distribution with these aliases and, if given, an ACM
    /// certificate; returns its ID and domain.
    pub async fn create_distribution(
        &self,
        conf: &SdkConfig,
        aliases: &[&str],
        certificate_arn: Option<&str>,
    ) -> (String, String) {
        let seed = DistributionSeed {
            aliases,
            certificate_arn,
            ..DistributionSeed::default()
        };
        self.try_create_distribution(conf, seed)
            .await
            .unwrap_or_else(|code| panic!("CreateDistribution: {code}"))
    }

    /// Creates a multi-tenant distribution (`ConnectionMode` tenant-only,
    /// no aliases: tenants hold the names); returns its ID and domain.
    pub async fn create_multi_tenant_distribution(
        &self,
        conf: &SdkConfig,
        certificate_arn: Option<&str>,
    ) -> (String, String) {
        let seed = DistributionSeed {
            certificate_arn,
            tenant_only: true,
            ..DistributionSeed::default()
        };
        self.try_create_distribution(conf, seed)
            .await
            .unwrap_or_else(|code| panic!("CreateDistribution (multi-tenant): {code}"))
    }

    /// Creates a staging distribution (continuous deployment; it takes no
    /// alias); returns its ID and domain.
    pub async fn create_staging_distribution(
        &self,
        conf: &SdkConfig,
        certificate_arn: Option<&str>,
    ) -> (String, String) {
        let seed = DistributionSeed {
            certificate_arn,
            staging: true,
            ..DistributionSeed::default()
        };
        self.try_create_distribution(conf, seed)
            .await
            .unwrap_or_else(|code| panic!("CreateDistribution (staging): {code}"))
    }

    /// Creates a distribution as `seed` says; returns its ID and domain, or
    /// the error code CloudFront answered (e.g. `CNAMEAlreadyExists`).
    pub async fn try_create_distribution(
        &self,
        conf: &SdkConfig,
        seed: DistributionSeed<'_>,
    ) -> Result<(String, String), String> {
        use aws_sdk_cloudfront::types::*;
        let origin = Origin::builder()
            .id("site")
            .domain_name("site-assets.s3.us-east-1.amazonaws.com")
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .build()
            .unwrap();
        let aliases = (!seed.aliases.is_empty()).then(|| {
            Aliases::builder()
                .quantity(seed.aliases.len() as i32)
                .set_items(Some(seed.aliases.iter().map(|a| a.to_string()).collect()))
                .build()
                .unwrap()
        });
        let config = DistributionConfig::builder()
            .caller_reference(format!(
                "seed-{}-{}",
                SEEDED.fetch_add(1, Ordering::Relaxed),
                seed.aliases.join(",")
            ))
            .set_aliases(aliases)
            .origins(
                Origins::builder()
                    .quantity(1)
                    .items(origin)
                    .build()
                    .unwrap(),
            )
            .default_cache_behavior(
                DefaultCacheBehavior::builder()
                    .target_origin_id("site")
                    .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                    .build()
                    .unwrap(),
            )
            .comment("seeded")
            .enabled(!seed.disabled)
            .staging(seed.staging)
            .connection_mode(if seed.tenant_only {
                ConnectionMode::TenantOnly
            } else {
                ConnectionMode::Direct
            })
            .set_viewer_certificate(seed.certificate_arn.map(|arn| {
                ViewerCertificate::builder()
                    .acm_certificate_arn(arn)
                    .ssl_support_method(SslSupportMethod::SniOnly)
                    .build()
            }))
            .build()
            .unwrap();
        let out = aws_sdk_cloudfront::Client::new(conf)
            .create_distribution()
            .distribution_config(config)
            .send()
            .await
            .map_err(error_code)?;
        let d = out.distribution().expect("distribution");
        Ok((d.id().to_string(), d.domain_name().to_string()))
    }

    /// Creates a distribution tenant as `seed` says.
    pub async fn create_tenant(&self, conf: &SdkConfig, seed: TenantSeed<'_>) -> Tenant {
        self.try_create_tenant(conf, seed)
            .await
            .unwrap_or_else(|code| panic!("CreateDistributionTenant: {code}"))
    }

    /// Creates a distribution tenant; returns it, or the error code
    /// CloudFront answered (e.g. `CNAMEAlreadyExists`).
    pub async fn try_create_tenant(
        &self,
        conf: &SdkConfig,
        seed: TenantSeed<'_>,
    ) -> Result<Tenant, String> {
        use aws_sdk_cloudfront::types::DomainItem;
        let domains = seed
            .domains
            .iter()
            .map(|d| DomainItem::builder().domain(*d).build().unwrap())
            .collect();
        let out = aws_sdk_cloudfront::Client::new(conf)
            .create_distribution_tenant()
            .distribution_id(seed.distribution_id)
            .name(seed.name)
            .set_domains(Some(domains))
            .set_connection_group_id(seed.connection_group_id.map(str::to_string))
            .enabled(seed.enabled)
            .send()
            .await
            .map_err(error_code)?;
        let t = out.distribution_tenant().expect("a tenant");
        let group_id = t.connection_group_id().unwrap_or_default().to_string();
        let group = self.connection_group(conf, &group_id).await;
        Ok(Tenant {
            id: t.id().unwrap_or_default().to_string(),
            name: t.name().unwrap_or_default().to_string(),
            connection_group_id: group_id,
            routing_endpoint: group.routing_endpoint,
        })
    }

    /// Creates a connection group (not the default one: CloudFront makes
    /// that for an account's first tenant without a group).
    pub async fn create_connection_group(&self, conf: &SdkConfig, name: &str) -> ConnectionGroup {
        let out = aws_sdk_cloudfront::Client::new(conf)
            .create_connection_group()
            .name(name)
            .enabled(true)
            .send()
            .await
            .expect("CreateConnectionGroup");
        out.connection_group().expect("a connection group").into()
    }

    /// Reads a connection group by ID, name or ARN.
    pub async fn connection_group(&self, conf: &SdkConfig, identifier: &str) -> ConnectionGroup {
        let out = aws_sdk_cloudfront::Client::new(conf)
            .get_connection_group()
            .identifier(identifier)
            .send()
            .await
            .expect("GetConnectionGroup");
        out.connection_group().expect("a connection group").into()
    }

    /// Creates a public hosted zone and an alias A record in it that
    /// targets `target` (a distribution's domain name); returns the zone ID.
    pub async fn alias_record(
        &self,
        conf: &SdkConfig,
        zone: &str,
        name: &str,
        target: &str,
    ) -> String {
        use aws_sdk_route53::types::*;
        let client = aws_sdk_route53::Client::new(conf);
        let created = client
            .create_hosted_zone()
            .name(zone)
            .caller_reference(format!("seed-{zone}"))
            .send()
            .await
            .expect("CreateHostedZone");
        let id = created
            .hosted_zone()
            .expect("a zone")
            .id()
            .trim_start_matches("/hostedzone/")
            .to_string();
        let record = ResourceRecordSet::builder()
            .name(name)
            .r#type(RrType::A)
            .alias_target(
                AliasTarget::builder()
                    .hosted_zone_id("Z2FDTNDATAQYW2")
                    .dns_name(target)
                    .evaluate_target_health(false)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        client
            .change_resource_record_sets()
            .hosted_zone_id(&id)
            .change_batch(
                ChangeBatch::builder()
                    .changes(
                        Change::builder()
                            .action(ChangeAction::Create)
                            .resource_record_set(record)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("ChangeResourceRecordSets");
        id
    }

    /// The operations moto received while recording, as `METHOD path
    /// Action` lines (the Action of query-protocol calls such as STS); the
    /// emulator's added CloudFront operations are recorded too
    /// (`cloudfront_operation` names them).
    pub fn recorded_operations(&self) -> Vec<String> {
        let log = self
            .request("GET", "/moto-api/recorder/download-recording")
            .unwrap_or_default();
        log.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .map(|entry| {
                let method = entry["method"].as_str().unwrap_or_default().to_string();
                let url = entry["url"].as_str().unwrap_or_default();
                let path = url
                    .splitn(4, '/')
                    .nth(3)
                    .unwrap_or_default()
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let body = entry["body"].as_str().unwrap_or_default();
                let body = if entry["body_encoded"].as_bool() == Some(true) {
                    base64_decode(body)
                } else {
                    body.to_string()
                };
                // Query protocol (STS): `Action=` in the body; JSON protocol
                // (ACM): the `X-Amz-Target` header.
                let action = body
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("Action="))
                    .map(str::to_string)
                    .or_else(|| {
                        entry["headers"]["X-Amz-Target"]
                            .as_str()
                            .map(str::to_string)
                    })
                    .unwrap_or_default();
                format!("{method} /{path} {action}").trim_end().to_string()
            })
            .collect()
    }

    /// How many times each added CloudFront operation was recorded
    /// (`ListDomainConflicts`, `GetDistributionTenant`, ...).
    pub fn recorded_cloudfront_operations(
        &self,
    ) -> std::collections::BTreeMap<&'static str, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for op in self.recorded_operations() {
            if let Some(name) = cloudfront_operation(&op) {
                *counts.entry(name).or_insert(0) += 1;
            }
        }
        counts
    }
}

/// The error code of an SDK error (`CNAMEAlreadyExists`, `EntityNotFound`),
/// or its text when the service did not answer one.
fn error_code<E>(error: aws_sdk_cloudfront::error::SdkError<E>) -> String
where
    E: aws_sdk_cloudfront::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_sdk_cloudfront::error::ProvideErrorMetadata;
    let code = error.code().map(str::to_string);
    code.unwrap_or_else(|| aws_sdk_cloudfront::error::DisplayErrorContext(&error).to_string())
}

/// Whether a recorded operation only reads: STS identity and AssumeRole,
/// ACM DescribeCertificate, CloudFront GETs, and CloudFront's reads sent as
/// POST (ListDomainConflicts, ListDistributionTenants,
/// ListDistributionTenantsByCustomization, ListConnectionGroups).
pub fn is_read_only(recorded: &str) -> bool {
    let post_reads = [
        "ListDomainConflicts",
        "ListDistributionTenants",
        "ListDistributionTenantsByCustomization",
        "ListConnectionGroups",
    ];
    recorded.starts_with("GET /2020-05-31/")
        || cloudfront_operation(recorded).is_some_and(|op| post_reads.contains(&op))
        || [
            "POST / GetCallerIdentity",
            "POST / AssumeRole",
            "POST / CertificateManager.DescribeCertificate",
        ]
        .contains(&recorded)
}

/// The CloudFront operation a recorded `METHOD /path` line is, for the
/// operations moto lacks and the emulator adds (botocore's service model
/// gives their methods and URIs).
pub fn cloudfront_operation(recorded: &str) -> Option<&'static str> {
    let (method, path) = recorded.split_once(' ')?;
    let path = path.split(' ').next()?.trim_start_matches("/2020-05-31/");
    let tail = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty())
    };
    Some(match (method, path) {
        ("GET", "conflicting-alias") => "ListConflictingAliases",
        ("POST", "domain-conflicts") => "ListDomainConflicts",
        ("POST", "distribution-tenant") => "CreateDistributionTenant",
        ("GET", "distribution-tenant") => "GetDistributionTenantByDomain",
        ("POST", "distribution-tenants") => "ListDistributionTenants",
        ("POST", "distribution-tenants-by-customization") => {
            "ListDistributionTenantsByCustomization"
        }
        ("POST", "connection-group") => "CreateConnectionGroup",
        ("GET", "connection-group") => "GetConnectionGroupByRoutingEndpoint",
        ("POST", "connection-groups") => "ListConnectionGroups",
        ("POST", "domain-association") => "UpdateDomainAssociation",
        ("PUT", _) if tail("distribution/") && path.ends_with("/associate-alias") => {
            "AssociateAlias"
        }
        ("GET", _) if tail("distribution-tenant/") => "GetDistributionTenant",
        ("PUT", _) if tail("distribution-tenant/") => "UpdateDistributionTenant",
        ("GET", _) if tail("connection-group/") => "GetConnectionGroup",
        _ => return None,
    })
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks of the emulator through the SDK the tool uses.
#[path = "moto_checks.rs"]
mod emulator_checks;

/// AssociateAlias and UpdateDomainAssociation through the SDK the tool uses.
#[path = "moto_moves.rs"]
mod emulator_moves;
