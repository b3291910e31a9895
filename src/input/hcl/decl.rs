//! The declarations of one module directory that aliases depend on, read
//! from native (`.tf`, `.tofu`) and JSON (`.tf.json`, `.tofu.json`) syntax
//! into one shape. Values stay expressions; `eval` computes them per
//! instance. Every expression keeps the span it came from.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use hcl_edit::expr::Expression;

use crate::error::InputError;
use crate::model::{SourceId, Span};
use crate::source::{Excerpt, Source};

pub use crate::model::types::{
    CERTIFICATE, CERTIFICATE_VALIDATION, DISTRIBUTION, MULTI_TENANT, RECORD, TENANT,
};

/// The argument a tenant's own certificate is read into:
/// `customizations { certificate { arn = ... } }`.
pub const CUSTOM_CERTIFICATE: &str = "customizations.certificate.arn";

/// The resource types read from configuration.
pub const READ_TYPES: [&str; 6] = [
    DISTRIBUTION,
    TENANT,
    MULTI_TENANT,
    CERTIFICATE,
    CERTIFICATE_VALIDATION,
    RECORD,
];

impl ResourceDecl {
    pub(super) fn new(type_name: &str, name: &str, span: Span, block: Span) -> Self {
        ResourceDecl {
            type_name: type_name.to_string(),
            name: name.to_string(),
            source: block.source,
            span,
            block,
            count: None,
            for_each: None,
            provider: None,
            aliases: None,
            domains: Vec::new(),
            dynamic_domains: Vec::new(),
            args: HashMap::new(),
            managed_certificate: false,
            json_comment: None,
        }
    }
}

/// An expression and where it is written.
#[derive(Debug, Clone)]
pub struct Attr {
    pub expr: Expression,
    pub span: Span,
    /// For a list written literally: the span of each element.
    pub elements: Option<Vec<Span>>,
}

#[derive(Debug, Default)]
pub struct ModuleDecl {
    pub dir: PathBuf,
    pub variables: BTreeMap<String, VariableDecl>,
    pub locals: HashMap<String, Attr>,
    pub outputs: HashMap<String, Attr>,
    pub calls: Vec<CallDecl>,
    pub resources: Vec<ResourceDecl>,
    pub providers: Vec<ProviderDecl>,
}

#[derive(Debug, Default)]
pub struct VariableDecl {
    pub default: Option<Attr>,
    /// Values from the command line or environment are raw strings unless
    /// the declared type is a collection or object.
    pub string_input: bool,
    /// `sensitive = true`: its value, and what derives from it, is masked.
    pub sensitive: bool,
}

#[derive(Debug)]
pub struct CallDecl {
    pub name: String,
    pub source: Option<String>,
    pub args: HashMap<String, Attr>,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    /// `providers = { child = parent }`, as written.
    pub providers: Vec<(String, String)>,
    pub span: Span,
}

#[derive(Debug)]
pub struct ProviderDecl {
    pub name: String,
    pub alias: Option<String>,
    pub profile: Option<Attr>,
    pub region: Option<Attr>,
    pub role_arn: Option<Attr>,
}

#[derive(Debug)]
pub struct ResourceDecl {
    pub type_name: String,
    pub name: String,
    pub source: SourceId,
    /// The block header `resource "type" "name"`.
    pub span: Span,
    /// The whole block.
    pub block: Span,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    pub provider: Option<String>,
    /// `aliases` of a distribution.
    pub aliases: Option<Attr>,
    /// `domain { domain = ... }` blocks of a tenant.
    pub domains: Vec<Attr>,
    /// `dynamic "domain"` blocks of a tenant.
    pub dynamic_domains: Vec<DynamicDomain>,
    /// Other arguments read by name: `viewer_certificate.acm_certificate_arn`,
    /// a tenant's `customizations.certificate.arn`,
    /// `distribution_id`, `domain_name`, a record's `name`, `records` and
    /// `alias.name`...
    pub args: HashMap<String, Attr>,
    /// A tenant's `managed_certificate_request` block is written.
    pub managed_certificate: bool,
    /// A `"//"` comment of a JSON resource.
    pub json_comment: Option<(String, Span)>,
}

#[derive(Debug)]
pub struct DynamicDomain {
    pub for_each: Attr,
    pub iterator: String,
    pub domain: Option<Attr>,
    pub span: Span,
}

pub fn hcl_error(source: &Source, at: usize, message: String, label: &str) -> InputError {
    let at = at.min(source.text.len());
    InputError::Hcl {
        path: source.name.clone(),
        message,
        src: Excerpt::at(source, at, 1),
        span: (at, usize::from(at < source.text.len())).into(),
        label: label.to_string(),
    }
}
