//! Inputs: read files, produce resources and the claims they make.
//!
//! One reader per format (`plan` for `terraform show -json`); this module
//! reads the bytes, hands them to the reader, and derives claims the same
//! way whatever the format. An input that fails is reported and the others
//! are still read.

pub mod address;
pub mod decode;
pub mod hcl;
pub mod plan;
pub mod reading;
pub mod state;

use std::io::Read;

pub use hcl::listing::is_config_file;
use std::path::Path;

use crate::error::InputError;
use crate::model::{Action, Claim, DnsRecord, ProviderConfig, Resource};
use crate::source::{Source, Sources};

/// Everything the inputs say.
#[derive(Debug, Default)]
pub struct Inputs {
    pub sources: Sources,
    pub plans: Vec<PlanInfo>,
    pub resources: Vec<Resource>,
    pub claims: Vec<Claim>,
    /// Route 53 records the change creates or updates.
    pub records: Vec<DnsRecord>,
    /// The `aws` provider configurations of all plans, once each.
    pub providers: Vec<ProviderConfig>,
    pub errors: Vec<InputError>,
    /// Configuration directories read as root modules (HCL mode).
    pub config_roots: Vec<String>,
    /// What was not checked, and why (HCL mode: modules not installed).
    pub warnings: Vec<String>,
    /// Why plan findings could not be pointed at `.tf` lines (`--verbose`).
    pub notes: Vec<String>,
    /// `# cname-preflight:ignore` comments in the configuration.
    pub ignores: Vec<crate::policy::InlineIgnore>,
}

#[derive(Debug)]
pub struct PlanInfo {
    pub file: String,
    /// Which document of the file (1-based), when it holds several
    /// (`terragrunt run-all show -json`).
    pub document: Option<usize>,
    pub source: crate::model::SourceId,
    pub format_version: String,
    pub terraform_version: Option<String>,
}

impl PlanInfo {
    /// The file, or `file (plan N)` for one document of several.
    pub fn name(&self) -> String {
        match self.document {
            Some(n) => format!("{} (plan {n})", self.file),
            None => self.file.clone(),
        }
    }
}

impl Inputs {
    /// Adds provider configurations, each once whichever input names it.
    fn add_providers(&mut self, providers: Vec<ProviderConfig>) {
        for p in providers {
            if !self.providers.contains(&p) {
                self.providers.push(p);
            }
        }
    }
}

/// Reads every input (`-` is standard input; directories and `.tf` files
/// are configuration, read in HCL mode) and derives the claims.
pub fn read(paths: &[String], options: &hcl::Options, stdin: &mut dyn Read) -> Inputs {
    let mut inputs = Inputs::default();
    let (config, plans): (Vec<String>, Vec<String>) = paths
        .iter()
        .cloned()
        .partition(|p| p != "-" && hcl::is_config_path(p));
    if !config.is_empty() {
        let read = hcl::read(&config, options, &mut inputs.sources);
        inputs.resources.extend(read.resources);
        inputs.records.extend(read.records);
        inputs.errors.extend(read.errors);
        inputs.warnings.extend(read.warnings);
        inputs.ignores.extend(read.ignores);
        inputs.config_roots = read.roots;
        inputs.add_providers(read.providers);
    }
    for path in &plans {
        let source = match load(path, stdin) {
            Ok(source) => source,
            Err(e) => {
                inputs.errors.push(e);
                continue;
            }
        };
        let id = inputs.sources.add(source);
        let documents = plan::read(inputs.sources.get(id), id);
        let several = documents.len() > 1;
        for (n, document) in documents.into_iter().enumerate() {
            match document {
                Ok(mut plan) => {
                    let document = several.then_some(n + 1);
                    let info = PlanInfo {
                        file: path.clone(),
                        document,
                        source: id,
                        format_version: plan.format_version,
                        terraform_version: plan.terraform_version,
                    };
                    // Resources of one document of several are told apart
                    // by their input, as those of several files are.
                    if several {
                        for r in &mut plan.resources {
                            r.file = info.name();
                        }
                    }
                    inputs.plans.push(info);
                    inputs.resources.extend(plan.resources);
                    inputs.records.extend(plan.records);
                    inputs.add_providers(plan.providers);
                }
                Err(e) => inputs.errors.push(e),
            }
        }
    }
    inputs.claims = claims(&inputs.resources);
    inputs
}

fn load(path: &str, stdin: &mut dyn Read) -> Result<Source, InputError> {
    let (name, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .map_err(|cause| InputError::Io {
                path: "<stdin>".into(),
                cause,
            })?;
        ("<stdin>".to_string(), bytes)
    } else {
        // A plan named on the command line: the user's own choice.
        let bytes = reading::read_named(Path::new(path), reading::MAX_NAMED_FILE)?;
        (path.to_string(), bytes)
    };
    decode::decode(&name, bytes)
}

/// The aliases each resource's change would add: for a create or a
/// replacement all of `after` (a new object is made), for an update those
/// in `after` and not in `before`. Unknown aliases are always claims.
pub fn claims(resources: &[Resource]) -> Vec<Claim> {
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let adds_all = match r.action {
            Action::Create | Action::Replace(_) => true,
            Action::Update => false,
            Action::NoOp | Action::Read | Action::Delete | Action::Forget => continue,
        };
        for entry in &r.after {
            let added = adds_all
                || match entry.value.name() {
                    Some(name) => !r.before.contains(name),
                    None => true,
                };
            if added {
                out.push(Claim {
                    resource: i,
                    alias: entry.value.clone(),
                    span: entry.span,
                    sensitive: entry.sensitive,
                });
            }
        }
    }
    out
}
