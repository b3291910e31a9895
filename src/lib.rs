//! cname-preflight: find the CloudFront aliases a Terraform change will
//! fail to add with `CNAMEAlreadyExists`, before `terraform apply`.
//!
//! The pipeline is inputs -> claims -> facts -> checks -> reports. This
//! file only wires the stages; the library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod checks;
pub mod diag;
pub mod display;
pub mod error;
pub mod explain;
pub mod facts;
pub mod focus;
pub mod input;
pub mod model;
pub mod paths;
pub mod policy;
pub mod report;
pub mod source;

use std::io::Read;

use diag::{Finding, Severity};
use facts::{AwsOptions, DnsOptions, Facts, NotAsked};
use input::Inputs;

/// What one `check` run found.
#[derive(Debug)]
pub struct Outcome {
    pub inputs: Inputs,
    pub facts: Facts,
    pub findings: Vec<Finding>,
    pub threshold: Severity,
    /// Config `ignore` rules that no longer apply (their date has passed).
    pub expired_ignores: Vec<policy::Ignore>,
}

/// Exit codes, as tflint uses them.
pub mod exit {
    /// Nothing at or above the failure threshold.
    pub const CLEAN: u8 = 0;
    /// The tool could not do its job: bad input, bad flags.
    pub const ERROR: u8 = 1;
    /// Findings at or above the failure threshold.
    pub const FINDINGS: u8 = 2;
}

impl Outcome {
    /// The findings that count: those no ignore rule suppressed.
    pub fn reported(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    pub fn exit_code(&self) -> u8 {
        if !self.inputs.errors.is_empty() || self.facts.failed() {
            exit::ERROR
        } else if self
            .findings
            .iter()
            .any(|f| f.suppressed.is_none() && f.severity >= self.threshold)
        {
            exit::FINDINGS
        } else {
            exit::CLEAN
        }
    }
}

/// Settings of one `check` run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub inputs: Vec<String>,
    /// Ask neither AWS nor DNS.
    pub offline: bool,
    /// Ask DNS but not AWS (`--no-aws`).
    pub no_aws: bool,
    /// Ask AWS but not DNS (`--no-dns`).
    pub no_dns: bool,
    pub threshold: Severity,
    pub aws: AwsOptions,
    pub dns: DnsOptions,
    /// Severities and ignores to apply (from the config file).
    pub policy: Option<policy::Policy>,
    /// Variable values and discovery for configuration inputs.
    pub hcl: input::hcl::Options,
    /// The configuration plans were made from: plan findings point at its
    /// `.tf` lines.
    pub config_dir: Option<std::path::PathBuf>,
    /// Report only the findings that involve these changed files (the
    /// pre-commit hook, which reads the whole repository).
    pub focus: Option<focus::Focus>,
}

impl CheckOptions {
    /// A run that asks no network service, with every other setting at its
    /// default (the inputs still to be given).
    pub fn offline() -> CheckOptions {
        CheckOptions {
            inputs: Vec::new(),
            offline: true,
            no_aws: false,
            no_dns: false,
            threshold: Severity::Error,
            aws: AwsOptions {
                profile: None,
                assume_role: None,
                provider_profiles: Vec::new(),
                endpoint_url: None,
                timeout: std::time::Duration::from_secs(20),
                on_api_error: facts::OnApiError::Fail,
                probe_distribution: None,
                concurrency: 4,
                group_lookups: true,
                progress: None,
            },
            dns: DnsOptions {
                servers: Vec::new(),
                timeout: std::time::Duration::from_secs(20),
                on_api_error: facts::OnApiError::Fail,
                concurrency: facts::dns::DEFAULT_CONCURRENCY,
            },
            policy: None,
            hcl: input::hcl::Options::default(),
            config_dir: None,
            focus: None,
        }
    }
}

/// Reads the inputs, gathers facts, runs the checks.
pub fn check(options: &CheckOptions, stdin: &mut dyn Read) -> Outcome {
    let mut inputs = input::read(&options.inputs, &options.hcl, stdin);
    let facts = fetch(&inputs, options);
    let mut findings = checks::check(&inputs, &facts);
    if let Some(dir) = &options.config_dir
        && !inputs.plans.is_empty()
    {
        point_at_config(
            dir,
            options.hcl.workspace.as_deref(),
            &mut inputs,
            &mut findings,
        );
    }
    if let Some(focus) = &options.focus {
        focus.retain(&inputs, &mut findings);
    }
    for f in &mut findings {
        f.sanitise();
    }
    let expired_ignores = policy::apply(options.policy.as_ref(), &inputs.ignores, &mut findings);
    Outcome {
        inputs,
        facts,
        findings,
        threshold: options.threshold,
        expired_ignores,
    }
}

/// Points plan findings at the `.tf` lines of the configuration in `dir`,
/// keeping the plan location as a related note; where the mapping fails the
/// finding stays in the plan and `inputs.notes` says why.
fn point_at_config(
    dir: &std::path::Path,
    workspace: Option<&str>,
    inputs: &mut Inputs,
    findings: &mut [Finding],
) {
    let mut index = input::hcl::index(dir, workspace, &mut inputs.sources);
    inputs.notes.append(&mut index.notes);
    inputs.errors.append(&mut index.errors);
    let plan_sources: Vec<usize> = inputs.plans.iter().map(|p| p.source).collect();
    let in_plan = |span: &model::Span| plan_sources.contains(&span.source);
    for f in findings.iter_mut() {
        for r in f.related.iter_mut() {
            if let Some(address) = &r.address
                && in_plan(&r.span)
                && let Ok(span) = index.locate(address.as_str(), f.alias.as_deref())
            {
                r.span = span;
            }
        }
        let Some(address) = &f.address else { continue };
        if !in_plan(&f.span) {
            continue;
        }
        match index.locate(address.as_str(), f.alias.as_deref()) {
            Ok(span) => {
                let plan_span = std::mem::replace(&mut f.span, span);
                f.related.push(diag::Related {
                    span: plan_span,
                    label: "in the plan".into(),
                    address: None,
                    input: None,
                });
            }
            Err(why) => inputs.notes.push(format!(
                "`{address}` points into the plan, not at a `.tf` line: {why}"
            )),
        }
    }
    inputs.notes.sort();
    inputs.notes.dedup();
    inputs.ignores.append(&mut index.ignores);
}

/// Asks AWS and DNS unless there is no need or no point: `--offline` (or
/// `--no-aws`, `--no-dns` for one of them), an input that failed (the run
/// fails anyway), or no alias to look up.
fn fetch(inputs: &Inputs, options: &CheckOptions) -> Facts {
    if options.offline {
        return Facts::not_asked(NotAsked::Offline);
    }
    if !inputs.errors.is_empty() {
        return Facts::not_asked(NotAsked::InputErrors);
    }
    if !inputs.claims.iter().any(|c| c.alias.checkable().is_some()) {
        return Facts::not_asked(NotAsked::NothingToAsk);
    }
    let asks: Vec<facts::Ask> = inputs
        .claims
        .iter()
        .filter_map(|c| {
            let name = c.alias.checkable()?;
            let r = &inputs.resources[c.resource];
            // A staging distribution holds no aliases: nothing to look up.
            if r.staging {
                return None;
            }
            let certificate_arn = match &r.certificate {
                model::CertificateUse::Acm {
                    arn: Some(arn),
                    names: None,
                    ..
                } => Some(arn.clone()),
                _ => None,
            };
            Some(facts::Ask {
                alias: name.clone(),
                provider_key: r.provider_key.clone(),
                target_id: r.distribution_id.clone(),
                certificate_arn,
                claimant: match r.kind {
                    model::ResourceKind::Distribution => facts::Claimant::Distribution,
                    model::ResourceKind::Tenant => facts::Claimant::Tenant {
                        parent: r.parent_distribution_id.clone(),
                    },
                },
                sensitive: c.sensitive,
            })
        })
        .collect();
    let aws = if options.no_aws {
        Err(NotAsked::NoAws)
    } else {
        Ok(&options.aws)
    };
    let dns = if options.no_dns {
        Err(NotAsked::NoDns)
    } else {
        Ok(&options.dns)
    };
    facts::fetch(&inputs.providers, &asks, aws, dns)
}
