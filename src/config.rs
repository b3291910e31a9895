//! `.cname-preflight.hcl`: per-repository settings.
//!
//! Found through `--config`, then `CNAME_PREFLIGHT_CONFIG`, then the current
//! directory and its parents up to the repository root, then the home
//! directory. Unknown keys and bad values are errors with a span in the file.
//! Flags on the command line win over the file.

use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Attribute, Body, Structure};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use cname_preflight::diag::{Code, Severity};
use cname_preflight::facts::OnApiError;
use cname_preflight::input::hcl::listing::Engine;
use cname_preflight::policy::{Ignore, Policy};
use cname_preflight::report::Format;
use cname_preflight::source::{Excerpt, Source};

pub const FILE_NAME: &str = ".cname-preflight.hcl";

/// The settings of one config file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: PathBuf,
    pub format: Option<Format>,
    pub minimum_failure_severity: Option<Severity>,
    pub on_api_error: Option<OnApiError>,
    pub concurrency: Option<u16>,
    /// Names DNS is asked about at once (`--dns-concurrency`).
    pub dns_concurrency: Option<u16>,
    pub probe_distribution: Option<String>,
    pub offline: Option<bool>,
    /// `aws = false`: do not ask AWS (`--no-aws`).
    pub aws: Option<bool>,
    /// `dns = false`: do not ask DNS (`--no-dns`).
    pub dns: Option<bool>,
    /// Resolvers to ask instead of the system's (`--dns-server`).
    pub dns_servers: Vec<std::net::SocketAddr>,
    pub provider_profiles: Vec<(String, String)>,
    /// Severity per code; None turns the code off.
    pub severity: Vec<(Code, Option<Severity>)>,
    pub ignores: Vec<Ignore>,
    /// `engine = "terraform" | "opentofu"` (`--engine`).
    pub engine: Option<Engine>,
}

#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("cannot read the config file `{path}`: {detail}")]
    #[diagnostic(code("config::unreadable"))]
    Unreadable { path: String, detail: String },

    #[error("{message}")]
    #[diagnostic(code("config::invalid"))]
    Invalid {
        message: String,
        #[help]
        help: Option<String>,
        #[source_code]
        src: Excerpt,
        #[label("here")]
        span: SourceSpan,
    },
}

/// Finds the config file: the explicit path or variable (which must exist),
/// else the first `.cname-preflight.hcl` from `cwd` up to the repository
/// root, else in `home`. Anything by that name counts as found (a
/// directory, a dangling symlink, a symlink loop), so that one that cannot
/// be read stops the run instead of being taken for no config.
pub fn discover(
    explicit: Option<&Path>,
    variable: Option<&Path>,
    cwd: &Path,
    home: Option<&Path>,
) -> Result<Option<PathBuf>, ConfigError> {
    if let Some(path) = explicit.or(variable) {
        return if std::fs::symlink_metadata(path).is_ok() {
            Ok(Some(path.to_path_buf()))
        } else {
            Err(ConfigError::Unreadable {
                path: path.display().to_string(),
                detail: "no such file".into(),
            })
        };
    }
    let present = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    for dir in cwd.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if present(&candidate) {
            return Ok(Some(candidate));
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Ok(home
        .map(|h| h.join(FILE_NAME))
        .filter(|candidate| present(candidate)))
}

/// The largest config file read.
const MAX_CONFIG: u64 = 1024 * 1024;

/// Reads and checks a config file, under the reading rule
/// (cname_preflight::input::reading): inside a repository, a regular file
/// of the repository outside `.git`; bounded in size.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let unreadable = |detail: String| ConfigError::Unreadable {
        path: path.display().to_string(),
        detail,
    };
    let bytes = cname_preflight::input::reading::read_named(path, MAX_CONFIG).map_err(|e| {
        unreadable(match e {
            cname_preflight::error::InputError::Refused { rule, .. } => rule,
            cname_preflight::error::InputError::Io { cause, .. } => cause.to_string(),
            other => other.to_string(),
        })
    })?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable("it is not UTF-8 text".into()))?;
    parse(&path.display().to_string(), &text).map(|mut c| {
        c.path = path.to_path_buf();
        c
    })
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
}

impl Parser<'_> {
    fn error(
        &self,
        span: Option<std::ops::Range<usize>>,
        message: String,
        help: &str,
    ) -> ConfigError {
        let span = span.unwrap_or(0..0);
        ConfigError::Invalid {
            message,
            help: (!help.is_empty()).then(|| help.to_string()),
            src: Excerpt::at(
                &Source::new(self.name, self.text.to_string()),
                span.start,
                span.end - span.start,
            ),
            span: (span.start, span.end - span.start).into(),
        }
    }

    fn boolean(&self, attr: &Attribute) -> Result<bool, ConfigError> {
        match &attr.value {
            Expression::Bool(b) => Ok(*b.value()),
            other => Err(self.error(
                other.span(),
                format!("`{}` must be true or false", attr.key.as_str()),
                "",
            )),
        }
    }

    fn string(&self, attr: &Attribute) -> Result<String, ConfigError> {
        match &attr.value {
            Expression::String(s) => Ok(s.value().to_string()),
            other => Err(self.error(
                other.span(),
                format!("`{}` must be a string", attr.key.as_str()),
                "write it in double quotes",
            )),
        }
    }

    fn choice<T: Choice>(&self, attr: &Attribute) -> Result<T, ConfigError> {
        let value = self.string(attr)?;
        T::from_name(&value).ok_or_else(|| {
            let names: Vec<String> = T::names().iter().map(|n| format!("\"{n}\"")).collect();
            self.error(
                attr.value.span(),
                format!("`{}` cannot be \"{value}\"", attr.key.as_str()),
                &format!("one of {}", names.join(", ")),
            )
        })
    }
}

/// A setting with a fixed set of names.
trait Choice: Sized {
    fn names() -> Vec<&'static str>;
    fn from_name(name: &str) -> Option<Self>;
}

impl Choice for Format {
    fn names() -> Vec<&'static str> {
        Format::ALL.iter().map(|f| f.name()).collect()
    }
    fn from_name(name: &str) -> Option<Self> {
        Format::from_name(name)
    }
}

impl Choice for Severity {
    fn names() -> Vec<&'static str> {
        Severity::ALL.iter().map(|s| s.name()).collect()
    }
    fn from_name(name: &str) -> Option<Self> {
        Severity::from_name(&name.to_ascii_lowercase())
    }
}

impl Choice for OnApiError {
    fn names() -> Vec<&'static str> {
        OnApiError::ALL.iter().map(|o| o.name()).collect()
    }
    fn from_name(name: &str) -> Option<Self> {
        OnApiError::from_name(&name.to_ascii_lowercase())
    }
}

impl Choice for Engine {
    fn names() -> Vec<&'static str> {
        Engine::NAMES.to_vec()
    }
    fn from_name(name: &str) -> Option<Self> {
        Engine::from_name(name)
    }
}

/// Parses config text; `name` is used in diagnostics.
pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
    let p = Parser { name, text };
    let body: Body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let at = e.location().offset();
        p.error(
            Some(at..(at + 1).min(text.len())),
            format!("`{name}` is not valid HCL: {}", e.message()),
            "see \"Config file\" in docs/usage.md",
        )
    })?;
    let mut config = Config::default();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attr) => attribute(&p, attr, &mut config)?,
            Structure::Block(block) => match block.ident.as_str() {
                "severity" => {
                    for item in block.body.iter() {
                        let Structure::Attribute(attr) = item else {
                            return Err(p.error(
                                item.span(),
                                "`severity` holds `CODE = \"error\"` lines only".into(),
                                "e.g. `too-many-aliases = \"error\"` or `wildcard-overlap = \"off\"`",
                            ));
                        };
                        let key = attr.key.as_str();
                        let code = Code::from_name(key).ok_or_else(|| {
                            p.error(
                                attr.key.span(),
                                format!("unknown code `{key}`"),
                                "`cname-preflight explain --list` lists the codes",
                            )
                        })?;
                        let value = p.string(attr)?;
                        let severity = match value.as_str() {
                            "error" => Some(Severity::Error),
                            "warning" => Some(Severity::Warning),
                            "note" => Some(Severity::Note),
                            "off" => None,
                            _ => {
                                return Err(p.error(
                                    attr.value.span(),
                                    format!("`{key}` cannot be \"{value}\""),
                                    "one of \"error\", \"warning\", \"note\", \"off\"",
                                ));
                            }
                        };
                        config.severity.push((code, severity));
                    }
                }
                "ignore" => {
                    let mut ignore = Ignore {
                        alias: String::new(),
                        reason: String::new(),
                        expires: None,
                    };
                    for item in block.body.iter() {
                        let Structure::Attribute(attr) = item else {
                            return Err(p.error(
                                item.span(),
                                "`ignore` holds `alias`, `reason` and `expires` only".into(),
                                "remove the nested block",
                            ));
                        };
                        match attr.key.as_str() {
                            "alias" => {
                                let alias = p.string(attr)?.to_ascii_lowercase();
                                if let Err(why) = cname_preflight::policy::pattern(&alias) {
                                    return Err(p.error(
                                        attr.value.span(),
                                        format!("`alias` is not a valid pattern: {why}"),
                                        "`*` matches any run of characters, `?` one, `[a-z]` one of a class, `{a,b}` either",
                                    ));
                                }
                                ignore.alias = alias;
                            }
                            "reason" => ignore.reason = p.string(attr)?,
                            "expires" => {
                                let date = p.string(attr)?;
                                if !is_date(&date) {
                                    return Err(p.error(
                                        attr.value.span(),
                                        format!("`expires` must be a date, not \"{date}\""),
                                        "write it as \"YYYY-MM-DD\"",
                                    ));
                                }
                                ignore.expires = Some(date);
                            }
                            other => {
                                return Err(p.error(
                                    attr.key.span(),
                                    format!("unknown key `{other}` in `ignore`"),
                                    "`ignore` takes `alias`, `reason` and `expires`",
                                ));
                            }
                        }
                    }
                    if ignore.alias.is_empty() || ignore.reason.trim().is_empty() {
                        return Err(p.error(
                            block.ident.span(),
                            "an `ignore` block needs `alias` and a `reason`".into(),
                            "e.g. ignore { alias = \"*.staging.example.com\", reason = \"rebuilt nightly\" }",
                        ));
                    }
                    config.ignores.push(ignore);
                }
                other => {
                    return Err(p.error(
                        block.ident.span(),
                        format!("unknown block `{other}`"),
                        "blocks: `severity`, `ignore`",
                    ));
                }
            },
        }
    }
    Ok(config)
}

fn attribute(p: &Parser, attr: &Attribute, config: &mut Config) -> Result<(), ConfigError> {
    match attr.key.as_str() {
        "format" => config.format = Some(p.choice(attr)?),
        "minimum_failure_severity" => config.minimum_failure_severity = Some(p.choice(attr)?),
        "on_api_error" => config.on_api_error = Some(p.choice(attr)?),
        "probe_distribution" => config.probe_distribution = Some(p.string(attr)?),
        "offline" => config.offline = Some(p.boolean(attr)?),
        "engine" => config.engine = Some(p.choice(attr)?),
        "aws" => config.aws = Some(p.boolean(attr)?),
        "dns" => config.dns = Some(p.boolean(attr)?),
        "dns_servers" => {
            let Expression::Array(items) = &attr.value else {
                return Err(p.error(
                    attr.value.span(),
                    "`dns_servers` must be a list of strings".into(),
                    "e.g. dns_servers = [\"10.0.0.2\", \"127.0.0.1:5353\"]",
                ));
            };
            for item in items.iter() {
                let parsed = match item {
                    Expression::String(s) => cname_preflight::facts::dns::parse_server(s.value()),
                    _ => Err("a DNS server must be a string".to_string()),
                };
                match parsed {
                    Ok(addr) => config.dns_servers.push(addr),
                    Err(message) => {
                        return Err(p.error(item.span(), message, "e.g. \"10.0.0.2\""));
                    }
                }
            }
        }
        "concurrency" => {
            let n = match &attr.value {
                Expression::Number(n) => n.value().as_u64(),
                _ => None,
            };
            match n {
                Some(n @ 1..=64) => config.concurrency = Some(n as u16),
                _ => {
                    return Err(p.error(
                        attr.value.span(),
                        "`concurrency` must be a whole number from 1 to 64".into(),
                        "e.g. `concurrency = 4`",
                    ));
                }
            }
        }
        "dns_concurrency" => {
            let n = match &attr.value {
                Expression::Number(n) => n.value().as_u64(),
                _ => None,
            };
            match n {
                Some(n @ 1..=256) => config.dns_concurrency = Some(n as u16),
                _ => {
                    return Err(p.error(
                        attr.value.span(),
                        "`dns_concurrency` must be a whole number from 1 to 256".into(),
                        "e.g. `dns_concurrency = 64`",
                    ));
                }
            }
        }
        "provider_profiles" => {
            let Expression::Object(object) = &attr.value else {
                return Err(p.error(
                    attr.value.span(),
                    "`provider_profiles` must be an object".into(),
                    "e.g. provider_profiles = { \"aws.legacy\" = \"legacy-readonly\" }",
                ));
            };
            for (key, value) in object.iter() {
                let key = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                    ObjectKey::Expression(e) => {
                        return Err(p.error(
                            e.span(),
                            "a provider key must be a string".into(),
                            "",
                        ));
                    }
                };
                let Expression::String(profile) = value.expr() else {
                    return Err(p.error(
                        value.expr().span(),
                        "a profile must be a string".into(),
                        "",
                    ));
                };
                config
                    .provider_profiles
                    .push((key, profile.value().to_string()));
            }
        }
        other => {
            return Err(p.error(
                attr.key.span(),
                format!("unknown key `{other}`"),
                "keys: format, minimum_failure_severity, on_api_error, concurrency, \
                 dns_concurrency, probe_distribution, offline, aws, dns, dns_servers, \
                 provider_profiles, engine; blocks: severity, ignore",
            ));
        }
    }
    Ok(())
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok()
}

impl Config {
    /// The policy the check applies: this file's severities and ignores, as
    /// of `today` (a `YYYY-MM-DD` date).
    pub fn policy(&self, today: String) -> Policy {
        Policy {
            severity: self.severity.clone(),
            ignores: self.ignores.clone(),
            today,
            origin: self.path.display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let c = parse(
            "c.hcl",
            r#"
format = "json"
minimum_failure_severity = "warning"
on_api_error = "warn"
concurrency = 8
dns_concurrency = 128
probe_distribution = "E2QX7EXAMPLE9Z"
provider_profiles = { "aws.legacy" = "legacy-ro", aws = "main" }
severity {
  too-many-aliases = "error"
  wildcard-overlap = "off"
}
ignore {
  alias   = "*.staging.example.com"
  reason  = "rebuilt nightly"
  expires = "2030-01-31"
}
"#,
        )
        .unwrap();
        assert_eq!(c.format, Some(Format::Json));
        assert_eq!(c.minimum_failure_severity, Some(Severity::Warning));
        assert_eq!(c.on_api_error, Some(OnApiError::Warn));
        assert_eq!(c.concurrency, Some(8));
        assert_eq!(c.dns_concurrency, Some(128));
        assert_eq!(c.provider_profiles.len(), 2);
        assert_eq!(
            c.severity,
            vec![
                (Code::TooManyAliases, Some(Severity::Error)),
                (Code::WildcardOverlap, None)
            ]
        );
        assert_eq!(c.ignores[0].expires.as_deref(), Some("2030-01-31"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let bad = [
            ("formatt = \"json\"\n", "unknown key `formatt`", 0),
            ("format = \"yaml\"\n", "`format` cannot be \"yaml\"", 9),
            (
                "severity {\n  alias-takn = \"off\"\n}\n",
                "unknown code `alias-takn`",
                13,
            ),
            (
                "ignore {\n  alias = \"a.example.com\"\n}\n",
                "needs `alias` and a `reason`",
                0,
            ),
            (
                "ignore {\n  alias = \"a\"\n  reason = \"r\"\n  expires = \"soon\"\n}\n",
                "must be a date",
                50,
            ),
            (
                "ignore {\n  alias = \"www.[example.com\"\n  reason = \"r\"\n}\n",
                "not a valid pattern",
                19,
            ),
            // Shaped like a date, but no such day.
            (
                "ignore {\n  alias = \"a\"\n  reason = \"r\"\n  expires = \"2099-13-45\"\n}\n",
                "must be a date",
                50,
            ),
            (
                "ignore {\n  alias = \"a\"\n  reason = \"r\"\n  expires = \"9999-99-99\"\n}\n",
                "must be a date",
                50,
            ),
            ("concurrency = 0\n", "from 1 to 64", 14),
            ("dns_concurrency = 257\n", "from 1 to 256", 18),
        ];
        for (text, message, offset) in bad {
            match parse("c.hcl", text) {
                Err(ConfigError::Invalid {
                    message: m, span, ..
                }) => {
                    assert!(m.contains(message), "{m}");
                    assert_eq!(span.offset(), offset, "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn discovery_walks_up_to_the_repository_root_then_home() {
        let base =
            std::env::temp_dir().join(format!("cname-preflight-config-{}", std::process::id()));
        let repo = base.join("repo");
        let deep = repo.join("infra/sites");
        let home = base.join("home");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        // Above the repository root: never used.
        std::fs::write(base.join(FILE_NAME), "").unwrap();
        assert_eq!(discover(None, None, &deep, Some(&home)).unwrap(), None);
        std::fs::write(home.join(FILE_NAME), "").unwrap();
        assert_eq!(
            discover(None, None, &deep, Some(&home)).unwrap(),
            Some(home.join(FILE_NAME))
        );
        std::fs::write(repo.join(FILE_NAME), "").unwrap();
        assert_eq!(
            discover(None, None, &deep, Some(&home)).unwrap(),
            Some(repo.join(FILE_NAME))
        );
        std::fs::write(deep.join(FILE_NAME), "").unwrap();
        assert_eq!(
            discover(None, None, &deep, Some(&home)).unwrap(),
            Some(deep.join(FILE_NAME))
        );
        // The variable, then the flag, win; a missing one is an error.
        let named = base.join("named.hcl");
        std::fs::write(&named, "").unwrap();
        assert_eq!(
            discover(None, Some(&named), &deep, None).unwrap(),
            Some(named.clone())
        );
        assert_eq!(
            discover(Some(&named), Some(&base.join("x")), &deep, None).unwrap(),
            Some(named)
        );
        assert!(discover(None, Some(&base.join("missing.hcl")), &deep, None).is_err());
        std::fs::remove_dir_all(&base).unwrap();
    }

    /// Regression: a config file that is a directory or a symlink loop was
    /// taken for no config file; it stops the run. One that leads into
    /// `.git` is not read.
    #[test]
    fn a_config_file_that_cannot_be_read_is_an_error() {
        let base = std::env::temp_dir().join(format!(
            "cname-preflight-config-unreadable-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join(".git")).unwrap();
        std::fs::write(base.join(".git/config"), "format = \"json\"").unwrap();
        let file = base.join(FILE_NAME);
        std::fs::create_dir_all(&file).unwrap();
        let found = discover(None, None, &base, None).unwrap().unwrap();
        assert!(matches!(load(&found), Err(ConfigError::Unreadable { .. })));
        std::fs::remove_dir_all(&file).unwrap();
        std::os::unix::fs::symlink(FILE_NAME, &file).unwrap();
        let found = discover(None, None, &base, None).unwrap().unwrap();
        assert!(matches!(load(&found), Err(ConfigError::Unreadable { .. })));
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(".git/config", &file).unwrap();
        match load(&file) {
            Err(ConfigError::Unreadable { detail, .. }) => {
                assert!(detail.contains(".git"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&base).unwrap();
    }
}
