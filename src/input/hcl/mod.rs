//! HCL mode: the claims a Terraform configuration makes, without a plan.
//!
//! Each root module directory is read the way Terraform reads it (every
//! `.tf`, `.tf.json`, `.tofu`, `.tofu.json` file), its input variables get
//! their values (defaults, `terraform.tfvars`, `*.auto.tfvars`, `TF_VAR_*`,
//! `--var-file`, `--var`), and every module instance is evaluated: local
//! module calls and those `terraform init` installed. Each distribution or
//! tenant instance becomes a [`Resource`] whose aliases point at the `.tf`
//! source; what cannot be evaluated becomes an unknown alias with the reason.

pub mod context;
pub mod decl;
mod discovery;
pub mod eval;
mod files;
pub mod funcs;
pub mod ignore;
mod index;
mod instance;
mod json_syntax;
pub mod listing;
mod loader;
mod native;
mod records;
mod resources;
mod syntax;
pub mod value;
mod vars;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use decl::{Attr, ModuleDecl};
use discovery::{is_local, normalise, walk};
use eval::Scope;
pub use index::{ConfigIndex, index};
use instance::Instance;
use loader::{Loader, Root, add_file};
use value::Value;
use vars::root_vars;

use crate::error::InputError;
use crate::model::{Action, Origin, ProviderConfig, Resource};
use crate::source::Sources;

/// Where variable values come from, besides the files in the root module.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--var NAME=VALUE`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order (after `vars` in precedence
    /// only where they come later on the command line; Terraform applies
    /// both in order, and so do we: files first, then `--var`).
    pub var_files: Vec<String>,
    /// `TF_VAR_name` values from the environment.
    pub env: Vec<(String, String)>,
    /// Treat every directory below the given ones that has configuration
    /// files as a root module.
    pub recursive: bool,
    /// `--state FILE`: the state of the root module(s); else each root's
    /// own `terraform.tfstate`, when there is one.
    pub state: Option<String>,
    /// `TF_WORKSPACE`, when set: the workspace `terraform.workspace` names
    /// (else the root's `.terraform/environment`, else `default`).
    pub workspace: Option<String>,
    /// The engine that applies the configuration (`--engine`): which of
    /// `.tf` and `.tofu` files are read. None reads them as OpenTofu does
    /// and names every `.tf` file a `.tofu` file hides.
    pub engine: Option<listing::Engine>,
    /// A walk cut at its depth or entry bound is an error, not a warning
    /// (the pre-commit hook: a silent cut is an unchecked change).
    pub cut_walk_is_error: bool,
}

/// What reading the configuration produced.
#[derive(Debug, Default)]
pub struct Read {
    pub roots: Vec<String>,
    pub resources: Vec<Resource>,
    /// Route 53 records the configuration sets.
    pub records: Vec<crate::model::DnsRecord>,
    pub providers: Vec<ProviderConfig>,
    pub errors: Vec<InputError>,
    /// Things not checked, and why (a module not installed...).
    pub warnings: Vec<String>,
    pub ignores: Vec<crate::policy::InlineIgnore>,
}

/// Whether a path given on the command line is configuration (a directory
/// or a `.tf`-like file) rather than a plan.
pub fn is_config_path(path: &str) -> bool {
    let p = Path::new(path);
    p.is_dir()
        || p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            listing::is_config_file(n) || n.ends_with(".tfvars") || n.ends_with(".tfvars.json")
        })
}

/// Reads the root modules the paths name and evaluates them.
pub fn read(paths: &[String], options: &Options, sources: &mut Sources) -> Read {
    let mut out = Read::default();
    let mut roots: Vec<PathBuf> = Vec::new();
    for path in paths {
        let p = Path::new(path);
        let dir = if p.is_dir() {
            normalise(p)
        } else if p.is_file() {
            normalise(p.parent().unwrap_or(Path::new(".")))
        } else {
            out.errors.push(InputError::Io {
                path: path.clone(),
                cause: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
            continue;
        };
        // A directory named on the command line must hold configuration:
        // a mistyped path is an error, never a clean run.
        let found = if options.recursive {
            let before = roots.len();
            if let Some(why) = walk(&dir, &mut roots, &mut out.errors) {
                if options.cut_walk_is_error {
                    out.errors.push(InputError::WalkCut {
                        path: path.clone(),
                        why,
                    });
                } else {
                    out.warnings.push(format!(
                        "the walk below `{}` stopped short: {why}; the directories past it were \
                         not checked (give a smaller directory)",
                        crate::display::shown(path)
                    ));
                }
            }
            roots.len() > before || roots.iter().any(|r| r.starts_with(&dir))
        } else {
            let has_files = match crate::input::reading::Area::of_root(&dir) {
                Ok(area) => listing::module_files(&dir, &area, options.engine)
                    .is_ok_and(|l| !l.files.is_empty()),
                Err(e) => {
                    out.errors.push(e);
                    continue;
                }
            };
            if has_files && !roots.contains(&dir) {
                roots.push(dir.clone());
            }
            has_files
        };
        if !found {
            out.errors.push(InputError::NoConfiguration {
                path: path.clone(),
                recursive_hint: if options.recursive {
                    ""
                } else {
                    ", or add --recursive to check the directories below it"
                },
            });
        }
    }
    let mut loader = Loader::new(sources, options.engine);
    let mut loaded = Vec::new();
    for dir in &roots {
        if !loader.enter(dir) {
            continue;
        }
        let Some(module) = loader.module(dir) else {
            continue;
        };
        loaded.push((dir.clone(), module));
    }
    if options.recursive {
        let graph: Vec<(PathBuf, Vec<PathBuf>)> = loaded
            .iter()
            .map(|(dir, m)| {
                let callees = m
                    .calls
                    .iter()
                    .filter_map(|c| {
                        let s = c.source.as_deref()?;
                        is_local(s).then(|| normalise(&dir.join(s)))
                    })
                    .collect();
                (normalise(dir), callees)
            })
            .collect();
        let keep = discovery::roots_to_check(&graph);
        let mut i = 0;
        loaded.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    // Terraform refuses `-var` for a variable the root does not declare.
    for (name, _) in &options.vars {
        if !loaded.is_empty() && !loaded.iter().any(|(_, m)| m.variables.contains_key(name)) {
            out.errors.push(InputError::UndeclaredVariable {
                path: "--var".into(),
                name: name.clone(),
            });
        }
    }
    // A state belongs to one root module.
    let explicit_state = match (&options.state, loaded.len()) {
        (Some(state), 1) => Some(PathBuf::from(state)),
        (Some(state), n) if n > 1 => {
            out.errors.push(InputError::StateForManyRoots {
                path: state.clone(),
                roots: n,
            });
            return out;
        }
        _ => None,
    };
    for (dir, module) in loaded {
        if !loader.enter(&dir) {
            continue;
        }
        let root = Root::new(&dir, options.workspace.as_deref(), &mut loader);
        let vars = root_vars(&dir, &root.area, &module, options, loader.sources, &mut out);
        let first = out.resources.len();
        evaluate_root(&root, &module, vars, loader.sources, &mut out);
        // `--state` is the user's; `terraform.tfstate` is the tree's.
        let state_file = match &explicit_state {
            Some(file) => Some((file.clone(), None)),
            None => Some(dir.join("terraform.tfstate"))
                .filter(|p| std::fs::symlink_metadata(p).is_ok())
                .map(|p| (p, Some(&root.area))),
        };
        if let Some((file, area)) = state_file {
            match read_state(&file, area, loader.sources) {
                Ok(deployed) => apply_state(&deployed, &mut out.resources[first..]),
                Err(e) => out.errors.push(e),
            }
        }
        out.warnings.extend(root.warnings.into_inner());
        out.errors.extend(root.refusals.into_inner());
        for (at, message) in root.invalid.into_inner() {
            out.errors.push(invalid(loader.sources, at, message));
        }
        out.roots.push(dir.display().to_string());
    }
    for found in loader.ignores.values() {
        out.ignores.extend(found.iter().cloned());
    }
    out.warnings.append(&mut loader.warnings);
    out.errors.append(&mut loader.errors);
    out.errors.append(&mut loader.ignore_errors);
    out
}

fn evaluate_root(
    root: &Root,
    module: &ModuleDecl,
    (vars, from_environment): (HashMap<String, Value>, std::collections::HashSet<String>),
    sources: &Sources,
    out: &mut Read,
) {
    let mut instance = Instance::root(module, root, vars);
    // Values from the environment are secrets, declared so or not.
    instance.sensitive_vars.extend(from_environment);
    for p in &module.providers {
        if p.name != "aws" {
            continue;
        }
        let key = match &p.alias {
            Some(a) => format!("aws.{a}"),
            None => "aws".into(),
        };
        let text = |a: &Option<Attr>| {
            let a = a.as_ref()?;
            match Scope::new(&instance).eval(&a.expr) {
                Ok(Value::String(s)) => Some(s),
                _ => None,
            }
        };
        let config = ProviderConfig {
            key,
            profile: text(&p.profile),
            role_arn: text(&p.role_arn),
            region: text(&p.region),
        };
        out.providers.push(config);
    }
    instance.walk(sources, out);
}

/// An input error at `at`, for what Terraform refuses.
fn invalid(sources: &Sources, at: crate::model::Span, message: String) -> InputError {
    let source = sources.get(at.source);
    InputError::Hcl {
        path: source.name.clone(),
        message,
        src: crate::source::Excerpt::at(source, at.offset, at.len),
        span: (at.offset, at.len).into(),
        label: "Terraform refuses this".into(),
    }
}

/// A state file: in `area` by the reading rule, or named by the user
/// (`area` None).
fn read_state(
    file: &Path,
    area: Option<&crate::input::reading::Area>,
    sources: &mut Sources,
) -> Result<HashMap<String, crate::input::state::Deployed>, InputError> {
    let id = match area {
        Some(area) => add_file(file, area, sources)?,
        None => loader::add_named_file(file, sources)?,
    };
    crate::input::state::read(sources.get(id))
}

/// What the state says about each resource: a deployed one is updated, not
/// created, keeps its ID, and claims only the aliases it does not hold yet.
fn apply_state(
    deployed: &HashMap<String, crate::input::state::Deployed>,
    resources: &mut [Resource],
) {
    for r in resources {
        if let Some(d) = deployed.get(r.address.as_str()) {
            r.distribution_id = Some(d.id.clone());
            r.before = d.aliases.clone();
            r.action = Action::Update;
        }
        r.origin = Origin::ConfigurationWithState;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CertificateUse, DomainName};

    /// A root module in a fresh directory: its files, then what reading it
    /// with `options` gives.
    fn read_root(name: &str, files: &[(&str, &str)], options: &Options) -> Read {
        let dir =
            std::env::temp_dir().join(format!("cname-preflight-hcl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut sources = Sources::default();
        let read = read(&[dir.display().to_string()], options, &mut sources);
        std::fs::remove_dir_all(&dir).unwrap();
        read
    }

    fn aliases(r: &Resource) -> Vec<String> {
        r.after
            .iter()
            .map(|a| match a.value.name() {
                Some(n) => n.to_string(),
                None => "?".into(),
            })
            .collect()
    }

    const ROOT: &str = r#"
variable "domain" {
  type    = string
  default = "example.com"
}
variable "sites" {
  type = list(string)
}
locals {
  www = "www.${var.domain}"
}
provider "aws" {
  alias   = "edge"
  profile = "edge-${terraform.workspace}"
}
resource "aws_cloudfront_distribution" "main" {
  provider = aws.edge
  aliases  = [local.www, upper("x") == "X" ? var.domain : "no"]
}
module "site" {
  source   = "./modules/site"
  for_each = toset(var.sites)
  name     = "${each.key}.${var.domain}"
}
"#;

    const MODULE: &str = r#"
variable "name" {}
resource "aws_cloudfront_distribution" "this" {
  count   = 2
  aliases = [count.index == 0 ? var.name : "alt${count.index}.${var.name}"]
}
"#;

    #[test]
    fn a_root_is_evaluated_with_its_variables_modules_and_providers() {
        let options = Options {
            vars: vec![("domain".into(), "example.net".into())],
            workspace: Some("prod".into()),
            ..Options::default()
        };
        let read = read_root(
            "root",
            &[
                ("main.tf", ROOT),
                ("terraform.tfvars", "sites = [\"shop\", \"blog\"]\n"),
                ("modules/site/main.tf", MODULE),
            ],
            &options,
        );
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
        let found: Vec<(String, Vec<String>)> = read
            .resources
            .iter()
            .map(|r| (r.address.to_string(), aliases(r)))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "aws_cloudfront_distribution.main".to_string(),
                    vec!["www.example.net".to_string(), "example.net".to_string()]
                ),
                (
                    "module.site[\"blog\"].aws_cloudfront_distribution.this[0]".to_string(),
                    vec!["blog.example.net".to_string()]
                ),
                (
                    "module.site[\"blog\"].aws_cloudfront_distribution.this[1]".to_string(),
                    vec!["alt1.blog.example.net".to_string()]
                ),
                (
                    "module.site[\"shop\"].aws_cloudfront_distribution.this[0]".to_string(),
                    vec!["shop.example.net".to_string()]
                ),
                (
                    "module.site[\"shop\"].aws_cloudfront_distribution.this[1]".to_string(),
                    vec!["alt1.shop.example.net".to_string()]
                ),
            ]
        );
        let main = &read.resources[0];
        assert_eq!(main.provider_key.as_deref(), Some("aws.edge"));
        assert_eq!(main.action, Action::Create);
        assert_eq!(main.origin, Origin::Configuration);
        assert_eq!(
            read.providers,
            [ProviderConfig {
                key: "aws.edge".into(),
                profile: Some("edge-prod".into()),
                role_arn: None,
                region: None,
            }]
        );
    }

    #[test]
    fn a_state_beside_the_root_makes_deployed_resources_updates() {
        let state = r#"{"version":4,"resources":[{"mode":"managed","type":"aws_cloudfront_distribution","name":"main","instances":[{"attributes":{"id":"E1MAIN","aliases":["www.example.com"]}}]}]}"#;
        let read = read_root(
            "state",
            &[
                (
                    "main.tf",
                    "resource \"aws_cloudfront_distribution\" \"main\" {\n  aliases = [\"www.example.com\", \"new.example.com\"]\n}\nresource \"aws_cloudfront_distribution\" \"next\" {\n  aliases = [\"next.example.com\"]\n}\n",
                ),
                ("terraform.tfstate", state),
            ],
            &Options::default(),
        );
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let main = &read.resources[0];
        assert_eq!(main.action, Action::Update);
        assert_eq!(main.distribution_id.as_deref(), Some("E1MAIN"));
        assert_eq!(main.origin, Origin::ConfigurationWithState);
        let next = &read.resources[1];
        assert_eq!(next.action, Action::Create);
        assert_eq!(next.origin, Origin::ConfigurationWithState);
    }

    const TENANTS: &str = r#"
resource "aws_acm_certificate" "own" {
  domain_name = "brand.example.net"
}
resource "aws_acm_certificate" "shared" {
  domain_name               = "shop.example.com"
  subject_alternative_names = ["*.shop.example.com"]
}
resource "aws_cloudfront_multitenant_distribution" "shared" {
  viewer_certificate {
    acm_certificate_arn = aws_acm_certificate.shared.arn
    ssl_support_method  = "sni-only"
  }
}
resource "aws_cloudfront_distribution_tenant" "inherits" {
  distribution_id = aws_cloudfront_multitenant_distribution.shared.id
  domain {
    domain = "a.shop.example.com"
  }
}
resource "aws_cloudfront_distribution_tenant" "own" {
  distribution_id = aws_cloudfront_multitenant_distribution.shared.id
  domain {
    domain = "brand.example.net"
  }
  customizations {
    certificate {
      arn = aws_acm_certificate.own.arn
    }
  }
}
resource "aws_cloudfront_distribution_tenant" "managed" {
  distribution_id = aws_cloudfront_multitenant_distribution.shared.id
  domain {
    domain = "shop.example.io"
  }
  managed_certificate_request {
    validation_token_host = "cloudfront"
  }
}
resource "aws_cloudfront_distribution_tenant" "elsewhere" {
  distribution_id = "EPARENT"
  domain {
    domain = "b.example.org"
  }
}
"#;

    const TENANTS_JSON: &str = r#"{"resource": {"aws_cloudfront_distribution_tenant": {
  "json_own": {"distribution_id": "EPARENT", "domain": [{"domain": "c.example.org"}],
               "customizations": [{"certificate": [{"arn": "arn:aws:acm:us-east-1:111111111111:certificate/c"}]}]},
  "json_managed": {"distribution_id": "EPARENT", "domain": {"domain": "d.example.org"},
                   "managed_certificate_request": {"validation_token_host": "cloudfront"}}
}}}"#;

    #[test]
    fn a_tenant_serves_a_managed_certificate_else_its_own_else_its_parents() {
        let read = read_root(
            "tenant-certificates",
            &[("main.tf", TENANTS), ("tenants.tf.json", TENANTS_JSON)],
            &Options::default(),
        );
        let mut found: Vec<(String, CertificateUse)> = read
            .resources
            .iter()
            .map(|r| (r.address.as_str().to_string(), r.certificate.clone()))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let tenant = |name: &str| format!("aws_cloudfront_distribution_tenant.{name}");
        let acm = |resource: &str, names: &[&str]| CertificateUse::Acm {
            arn: None,
            resource: Some(resource.into()),
            names: Some(names.iter().map(|n| DomainName::new(n)).collect()),
        };
        assert_eq!(
            found,
            [
                (
                    tenant("elsewhere"),
                    CertificateUse::Parent {
                        distribution_id: Some("EPARENT".into())
                    }
                ),
                (
                    tenant("inherits"),
                    acm(
                        "aws_acm_certificate.shared",
                        &["shop.example.com", "*.shop.example.com"]
                    )
                ),
                (tenant("json_managed"), CertificateUse::Managed),
                (
                    tenant("json_own"),
                    CertificateUse::Acm {
                        arn: Some("arn:aws:acm:us-east-1:111111111111:certificate/c".into()),
                        resource: None,
                        names: None,
                    }
                ),
                (tenant("managed"), CertificateUse::Managed),
                (
                    tenant("own"),
                    acm("aws_acm_certificate.own", &["brand.example.net"])
                ),
            ]
        );
    }
}
