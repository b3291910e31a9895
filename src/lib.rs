//! cname-preflight: find the CloudFront aliases a Terraform change will
//! fail to add with `CNAMEAlreadyExists`, before `terraform apply`.
//!
//! The pipeline is inputs -> claims -> facts -> checks -> reports. This
//! file only wires the stages; the library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod checks;
pub mod cli;
pub mod diag;
pub mod error;
pub mod explain;
pub mod facts;
pub mod input;
pub mod model;
pub mod report;
pub mod source;

use std::io::Read;

use diag::{Finding, Severity};
use facts::Facts;
use input::Inputs;

/// What one `check` run found.
#[derive(Debug)]
pub struct Outcome {
    pub inputs: Inputs,
    pub facts: Facts,
    pub findings: Vec<Finding>,
    pub threshold: Severity,
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
    pub fn exit_code(&self) -> u8 {
        if !self.inputs.errors.is_empty() {
            exit::ERROR
        } else if self.findings.iter().any(|f| f.severity >= self.threshold) {
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
    pub offline: bool,
    pub threshold: Severity,
}

/// Reads the inputs, gathers facts, runs the checks.
pub fn check(options: &CheckOptions, stdin: &mut dyn Read) -> Outcome {
    let inputs = input::read(&options.inputs, stdin);
    let facts = Facts::fetch(options.offline);
    let findings = checks::check(&inputs, &facts);
    Outcome {
        inputs,
        facts,
        findings,
        threshold: options.threshold,
    }
}
