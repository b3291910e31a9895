//! Where the resources of the inputs are written, for the Terraform edits
//! a move leaves to the user: the `.tf` line of a plan's resource when the
//! configuration is known (`--config-dir`, as `check` points findings),
//! else the line the resource was read from.

use crate::CheckOptions;
use crate::input::Inputs;
use crate::model::DomainName;

/// A distribution or tenant the inputs manage, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Managed {
    pub id: Option<String>,
    pub address: String,
    /// The file and line (1-based) of its aliases, or of the resource.
    pub file: String,
    pub line: usize,
    /// The names it holds after the change.
    pub after: Vec<DomainName>,
}

/// Every distribution and tenant of the inputs, with its place.
pub fn managed(inputs: &mut Inputs, options: &CheckOptions) -> Vec<Managed> {
    let index = match &options.config_dir {
        Some(dir) if !inputs.plans.is_empty() => Some(crate::input::hcl::index(
            dir,
            options.hcl.workspace.as_deref(),
            &mut inputs.sources,
        )),
        _ => None,
    };
    let plan_sources: Vec<usize> = inputs.plans.iter().map(|p| p.source).collect();
    inputs
        .resources
        .iter()
        .map(|r| {
            let own = r.after_span.unwrap_or(r.span);
            let span = match &index {
                Some(index) if plan_sources.contains(&own.source) => {
                    index.locate(r.address.as_str(), None).unwrap_or(own)
                }
                _ => own,
            };
            Managed {
                id: r.distribution_id.clone(),
                address: r.address.to_string(),
                file: inputs.sources.name(span.source).to_string(),
                line: inputs.sources.locate(span).line,
                after: r
                    .after
                    .iter()
                    .filter_map(|e| e.value.name().cloned())
                    .collect(),
            }
        })
        .collect()
}
