//! The declarations of one module directory that aliases depend on, read
//! from native (`.tf`, `.tofu`) and JSON (`.tf.json`, `.tofu.json`) syntax
//! into one shape. Values stay expressions; `eval` computes them per
//! instance. Every expression keeps the span it came from.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::model::{SourceId, Span};
use crate::source::{Excerpt, Source};

pub const DISTRIBUTION: &str = "aws_cloudfront_distribution";
pub const TENANT: &str = "aws_cloudfront_distribution_tenant";
pub const CERTIFICATE: &str = "aws_acm_certificate";
pub const CERTIFICATE_VALIDATION: &str = "aws_acm_certificate_validation";

impl ResourceDecl {
    fn new(type_name: &str, name: &str, span: Span, block: Span) -> Self {
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
    /// Inline suppressions written at its distributions and tenants.
    pub ignores: Vec<super::ignore::InlineIgnore>,
}

#[derive(Debug, Default)]
pub struct VariableDecl {
    pub default: Option<Attr>,
    /// Values from the command line or environment are raw strings unless
    /// the declared type is a collection or object.
    pub string_input: bool,
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
    /// `distribution_id`, `domain_name`...
    pub args: HashMap<String, Attr>,
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

/// The files Terraform (or OpenTofu) reads in a directory, in its order.
/// A `.tofu` file replaces the `.tf` file of the same stem.
pub fn module_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_config_file(name) && entry.file_type()?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    let tofu: Vec<String> = files
        .iter()
        .filter_map(|p| p.to_str())
        .filter(|p| p.ends_with(".tofu") || p.ends_with(".tofu.json"))
        .map(|p| p.replace(".tofu", ".tf"))
        .collect();
    files.retain(|p| !tofu.iter().any(|t| Path::new(t) == p));
    Ok(files)
}

pub fn is_config_file(name: &str) -> bool {
    !name.starts_with('.')
        && [".tf", ".tf.json", ".tofu", ".tofu.json"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Adds the declarations of one file to `module`.
pub fn read_file(source: &Source, id: SourceId, module: &mut ModuleDecl) -> Result<(), InputError> {
    if source.name.ends_with(".json") {
        Json { source, id }.read(module)
    } else {
        Native { source, id }.read(module)
    }
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

struct Native<'a> {
    source: &'a Source,
    id: SourceId,
}

impl Native<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        Span {
            source: self.id,
            offset: range.start,
            len: range.end - range.start,
        }
    }

    fn attr(&self, expr: &Expression) -> Attr {
        let elements = match expr {
            Expression::Array(items) => Some(items.iter().map(|e| self.span(e.span())).collect()),
            _ => None,
        };
        Attr {
            expr: expr.clone(),
            span: self.span(expr.span()),
            elements,
        }
    }

    fn read(&self, module: &mut ModuleDecl) -> Result<(), InputError> {
        let body = hcl_edit::parser::parse_body(&self.source.text).map_err(|e| {
            hcl_error(
                self.source,
                e.location().offset(),
                format!("`{}` is not valid HCL: {}", self.source.name, e.message()),
                "here",
            )
        })?;
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    module
                        .variables
                        .insert(name.to_string(), self.variable(&block.body));
                }
                ("locals", []) => {
                    for a in block.body.attributes() {
                        module
                            .locals
                            .insert(a.key.as_str().to_string(), self.attr(&a.value));
                    }
                }
                ("output", [name]) => {
                    if let Some(a) = block.body.get_attribute("value") {
                        module.outputs.insert(name.to_string(), self.attr(&a.value));
                    }
                }
                ("module", [name]) => module.calls.push(self.call(name, block)),
                ("provider", [name]) => module.providers.push(self.provider(name, &block.body)),
                ("resource", [type_name, name])
                    if [DISTRIBUTION, TENANT, CERTIFICATE, CERTIFICATE_VALIDATION]
                        .contains(type_name) =>
                {
                    module.resources.push(self.resource(type_name, name, block));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn variable(&self, body: &Body) -> VariableDecl {
        VariableDecl {
            default: body.get_attribute("default").map(|a| self.attr(&a.value)),
            string_input: match body.get_attribute("type").map(|a| &a.value) {
                None => true,
                Some(Expression::Variable(t)) => {
                    matches!(t.as_str(), "string" | "number" | "bool")
                }
                Some(_) => false,
            },
        }
    }

    fn call(&self, name: &str, block: &Block) -> CallDecl {
        let mut call = CallDecl {
            name: name.to_string(),
            source: None,
            args: HashMap::new(),
            count: None,
            for_each: None,
            providers: Vec::new(),
            span: self.span(block.span()),
        };
        for a in block.body.attributes() {
            match a.key.as_str() {
                "source" => call.source = string_literal(&a.value),
                "count" => call.count = Some(self.attr(&a.value)),
                "for_each" => call.for_each = Some(self.attr(&a.value)),
                "providers" => {
                    if let Expression::Object(o) = &a.value {
                        for (k, v) in o.iter() {
                            let key = match k {
                                hcl_edit::expr::ObjectKey::Ident(i) => i.as_str().to_string(),
                                hcl_edit::expr::ObjectKey::Expression(e) => reference(e),
                            };
                            call.providers.push((key, reference(v.expr())));
                        }
                    }
                }
                "version" | "depends_on" => {}
                key => {
                    call.args.insert(key.to_string(), self.attr(&a.value));
                }
            }
        }
        call
    }

    fn provider(&self, name: &str, body: &Body) -> ProviderDecl {
        ProviderDecl {
            name: name.to_string(),
            alias: body
                .get_attribute("alias")
                .and_then(|a| string_literal(&a.value)),
            profile: body.get_attribute("profile").map(|a| self.attr(&a.value)),
            region: body.get_attribute("region").map(|a| self.attr(&a.value)),
            role_arn: body
                .get_blocks("assume_role")
                .next()
                .and_then(|b| b.body.get_attribute("role_arn"))
                .map(|a| self.attr(&a.value)),
        }
    }

    fn resource(&self, type_name: &str, name: &str, block: &Block) -> ResourceDecl {
        let header_end = block
            .labels
            .last()
            .and_then(|l| l.span())
            .map(|s| s.end)
            .unwrap_or(0);
        let start = block.ident.span().map(|s| s.start).unwrap_or(0);
        let mut r = ResourceDecl::new(
            type_name,
            name,
            self.span(Some(start..header_end.max(start))),
            self.span(block.span()),
        );
        for item in block.body.iter() {
            match item {
                Structure::Attribute(a) => match a.key.as_str() {
                    "count" => r.count = Some(self.attr(&a.value)),
                    "for_each" => r.for_each = Some(self.attr(&a.value)),
                    "provider" => r.provider = Some(reference(&a.value)),
                    "aliases" if type_name == DISTRIBUTION => r.aliases = Some(self.attr(&a.value)),
                    key => {
                        r.args.insert(key.to_string(), self.attr(&a.value));
                    }
                },
                Structure::Block(b) => match b.ident.as_str() {
                    "viewer_certificate" => {
                        for a in b.body.attributes() {
                            r.args
                                .insert(a.key.as_str().to_string(), self.attr(&a.value));
                        }
                    }
                    "domain" if type_name == TENANT => {
                        if let Some(a) = b.body.get_attribute("domain") {
                            r.domains.push(self.attr(&a.value));
                        }
                    }
                    "dynamic" if type_name == TENANT => {
                        if b.labels.first().map(|l| l.as_str()) != Some("domain") {
                            continue;
                        }
                        let Some(for_each) = b.body.get_attribute("for_each") else {
                            continue;
                        };
                        r.dynamic_domains.push(DynamicDomain {
                            for_each: self.attr(&for_each.value),
                            iterator: b
                                .body
                                .get_attribute("iterator")
                                .map(|a| reference(&a.value))
                                .unwrap_or_else(|| "domain".into()),
                            domain: b
                                .body
                                .get_blocks("content")
                                .next()
                                .and_then(|c| c.body.get_attribute("domain"))
                                .map(|a| self.attr(&a.value)),
                            span: self.span(b.span()),
                        });
                    }
                    _ => {}
                },
            }
        }
        r
    }
}

fn string_literal(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().clone()),
        _ => None,
    }
}

/// A reference as written, `aws.legacy`, without evaluating it.
fn reference(expr: &Expression) -> String {
    match expr {
        Expression::Variable(v) => v.as_str().to_string(),
        Expression::String(s) => s.value().clone(),
        Expression::Traversal(t) => {
            let ops: Vec<_> = t.operators.iter().map(|o| o.value()).collect();
            match &t.expr {
                Expression::Variable(v) => super::eval::reference_text(v.as_str(), &ops),
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}

struct Json<'a> {
    source: &'a Source,
    id: SourceId,
}

type JsonObject<'a> = Vec<(String, &'a RawValue)>;

impl<'a> Json<'a> {
    fn error(&self, at: &str, message: String) -> InputError {
        hcl_error(self.source, self.source.offset_of(at), message, "here")
    }

    /// An object, or the objects of an array of objects (both are allowed
    /// wherever Terraform's JSON syntax takes a block).
    fn objects(&self, raw: &'a RawValue) -> Result<Vec<JsonObject<'a>>, InputError> {
        self.blocks(raw)?
            .into_iter()
            .map(|i| self.object(i))
            .collect()
    }

    /// The block bodies of `raw`: itself, or the elements of an array.
    fn blocks(&self, raw: &'a RawValue) -> Result<Vec<&'a RawValue>, InputError> {
        let text = raw.get();
        if text.starts_with('[') {
            serde_json::from_str(text)
                .map_err(|e| self.error(text, format!("expected a list of objects: {e}")))
        } else {
            Ok(vec![raw])
        }
    }

    fn object(&self, raw: &'a RawValue) -> Result<JsonObject<'a>, InputError> {
        Ok(self.object_and_comment(raw)?.0)
    }

    /// The keys of an object without its `"//"` comment, and the comment
    /// when it is a string.
    fn object_and_comment(
        &self,
        raw: &'a RawValue,
    ) -> Result<(JsonObject<'a>, Option<(String, Span)>), InputError> {
        let text = raw.get();
        let mut map: BTreeMap<String, &'a RawValue> = serde_json::from_str(text).map_err(|e| {
            self.error(
                text,
                format!("`{}`: expected a JSON object: {e}", self.source.name),
            )
        })?;
        let comment = map.remove("//").and_then(|c| {
            let text: String = serde_json::from_str(c.get()).ok()?;
            Some((text, self.source.span_of(self.id, c.get())))
        });
        Ok((map.into_iter().collect(), comment))
    }

    fn attr(&self, raw: &'a RawValue) -> Result<Attr, InputError> {
        let text = raw.get();
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| self.error(text, format!("invalid JSON value: {e}")))?;
        let expr = json_expr(&value).map_err(|e| self.error(text, e))?;
        let elements = if text.starts_with('[') {
            let items: Vec<&RawValue> = serde_json::from_str(text)
                .map_err(|e| self.error(text, format!("invalid JSON list: {e}")))?;
            Some(
                items
                    .iter()
                    .map(|i| self.source.span_of(self.id, i.get()))
                    .collect(),
            )
        } else {
            None
        };
        Ok(Attr {
            expr,
            span: self.source.span_of(self.id, text),
            elements,
        })
    }

    fn string(&self, raw: &'a RawValue) -> Option<String> {
        serde_json::from_str::<String>(raw.get()).ok()
    }

    fn read(&self, module: &mut ModuleDecl) -> Result<(), InputError> {
        let text = self.source.text.as_str();
        let doc: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(|e| {
            let at = crate::input::plan::byte_offset(text, e.line(), e.column());
            hcl_error(
                self.source,
                at,
                format!("`{}` is not valid JSON: {e}", self.source.name),
                "here",
            )
        })?;
        for (key, raw) in doc {
            match key.as_str() {
                "variable" => {
                    for obj in self.objects(raw)? {
                        for (name, body) in obj {
                            let mut v = VariableDecl {
                                string_input: true,
                                ..VariableDecl::default()
                            };
                            for (k, val) in self.object(body)? {
                                match k.as_str() {
                                    "default" => v.default = Some(self.literal(val)?),
                                    "type" => {
                                        v.string_input = matches!(
                                            self.string(val).as_deref(),
                                            Some("string" | "number" | "bool")
                                        )
                                    }
                                    _ => {}
                                }
                            }
                            module.variables.insert(name, v);
                        }
                    }
                }
                "locals" => {
                    for obj in self.objects(raw)? {
                        for (name, val) in obj {
                            module.locals.insert(name, self.attr(val)?);
                        }
                    }
                }
                "output" => {
                    for obj in self.objects(raw)? {
                        for (name, body) in obj {
                            if let Some((_, v)) =
                                self.object(body)?.into_iter().find(|(k, _)| k == "value")
                            {
                                module.outputs.insert(name, self.attr(v)?);
                            }
                        }
                    }
                }
                "module" => {
                    for obj in self.objects(raw)? {
                        for (name, body) in obj {
                            module.calls.push(self.call(name, body)?);
                        }
                    }
                }
                "provider" => {
                    for obj in self.objects(raw)? {
                        for (name, bodies) in obj {
                            for body in self.objects(bodies)? {
                                module.providers.push(self.provider(&name, body)?);
                            }
                        }
                    }
                }
                "resource" => {
                    for obj in self.objects(raw)? {
                        for (type_name, named) in obj {
                            if ![DISTRIBUTION, TENANT, CERTIFICATE, CERTIFICATE_VALIDATION]
                                .contains(&type_name.as_str())
                            {
                                continue;
                            }
                            for by_name in self.objects(named)? {
                                for (name, bodies) in by_name {
                                    for body in self.blocks(bodies)? {
                                        let r = self.resource(&type_name, &name, body)?;
                                        module.resources.push(r);
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A variable default: literal JSON, no templates.
    fn literal(&self, raw: &'a RawValue) -> Result<Attr, InputError> {
        let text = raw.get();
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| self.error(text, format!("invalid JSON value: {e}")))?;
        Ok(Attr {
            expr: literal_expr(&value),
            span: self.source.span_of(self.id, text),
            elements: None,
        })
    }

    fn call(&self, name: String, body: &'a RawValue) -> Result<CallDecl, InputError> {
        let mut call = CallDecl {
            name,
            source: None,
            args: HashMap::new(),
            count: None,
            for_each: None,
            providers: Vec::new(),
            span: self.source.span_of(self.id, body.get()),
        };
        for (k, v) in self.object(body)? {
            match k.as_str() {
                "source" => call.source = self.string(v),
                "count" => call.count = Some(self.attr(v)?),
                "for_each" => call.for_each = Some(self.attr(v)?),
                "providers" => {
                    for (child, parent) in self.object(v)? {
                        call.providers
                            .push((child, self.string(parent).unwrap_or_default()));
                    }
                }
                "version" | "depends_on" => {}
                _ => {
                    call.args.insert(k, self.attr(v)?);
                }
            }
        }
        Ok(call)
    }

    fn provider(&self, name: &str, body: JsonObject<'a>) -> Result<ProviderDecl, InputError> {
        let mut p = ProviderDecl {
            name: name.to_string(),
            alias: None,
            profile: None,
            region: None,
            role_arn: None,
        };
        for (k, v) in body {
            match k.as_str() {
                "alias" => p.alias = self.string(v),
                "profile" => p.profile = Some(self.attr(v)?),
                "region" => p.region = Some(self.attr(v)?),
                "assume_role" => {
                    if let Some(first) = self.objects(v)?.into_iter().next()
                        && let Some((_, arn)) = first.into_iter().find(|(k, _)| k == "role_arn")
                    {
                        p.role_arn = Some(self.attr(arn)?);
                    }
                }
                _ => {}
            }
        }
        Ok(p)
    }

    fn resource(
        &self,
        type_name: &str,
        name: &str,
        raw: &'a RawValue,
    ) -> Result<ResourceDecl, InputError> {
        let block = self.source.span_of(self.id, raw.get());
        let (body, comment) = self.object_and_comment(raw)?;
        let mut r = ResourceDecl::new(type_name, name, Span { len: 1, ..block }, block);
        r.json_comment = comment;
        for (k, v) in body {
            match k.as_str() {
                "count" => r.count = Some(self.attr(v)?),
                "for_each" => r.for_each = Some(self.attr(v)?),
                "provider" => r.provider = self.string(v),
                "aliases" if type_name == DISTRIBUTION => r.aliases = Some(self.attr(v)?),
                "viewer_certificate" => {
                    for obj in self.objects(v)? {
                        for (k, v) in obj {
                            r.args.insert(k, self.attr(v)?);
                        }
                    }
                }
                "domain" if type_name == TENANT => {
                    for obj in self.objects(v)? {
                        if let Some((_, d)) = obj.into_iter().find(|(k, _)| k == "domain") {
                            r.domains.push(self.attr(d)?);
                        }
                    }
                }
                "lifecycle" | "depends_on" | "dynamic" | "connection" | "provisioner" => {}
                _ => {
                    r.args.insert(k, self.attr(v)?);
                }
            }
        }
        Ok(r)
    }
}

/// A JSON value as an expression: strings are templates (`"${var.x}"`),
/// as Terraform's JSON syntax says.
fn json_expr(value: &serde_json::Value) -> Result<Expression, String> {
    Ok(match value {
        serde_json::Value::String(s) if s.contains("${") || s.contains("%{") => {
            let template = hcl_edit::parser::parse_template(s)
                .map_err(|e| format!("invalid template `{s}`: {}", e.message()))?;
            Expression::StringTemplate(template.into())
        }
        serde_json::Value::Array(items) => Expression::Array(
            items
                .iter()
                .map(json_expr)
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .collect(),
        ),
        serde_json::Value::Object(map) => {
            let mut object = hcl_edit::expr::Object::new();
            for (k, v) in map.iter().filter(|(k, _)| k.as_str() != "//") {
                object.insert(
                    hcl_edit::expr::ObjectKey::Expression(Expression::from(k.clone())),
                    hcl_edit::expr::ObjectValue::new(json_expr(v)?),
                );
            }
            Expression::Object(object)
        }
        other => literal_expr(other),
    })
}

fn literal_expr(value: &serde_json::Value) -> Expression {
    match value {
        serde_json::Value::Null => Expression::null(),
        serde_json::Value::Bool(b) => Expression::from(*b),
        serde_json::Value::Number(n) => match n.as_f64().and_then(hcl_edit::Number::from_f64) {
            Some(n) => Expression::from(n),
            None => Expression::null(),
        },
        serde_json::Value::String(s) => Expression::from(s.clone()),
        serde_json::Value::Array(items) => {
            Expression::Array(items.iter().map(literal_expr).collect())
        }
        serde_json::Value::Object(map) => {
            let mut object = hcl_edit::expr::Object::new();
            for (k, v) in map {
                object.insert(
                    hcl_edit::expr::ObjectKey::Expression(Expression::from(k.clone())),
                    hcl_edit::expr::ObjectValue::new(literal_expr(v)),
                );
            }
            Expression::Object(object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_json(text: &str) -> ModuleDecl {
        let source = Source::new("main.tf.json", text.to_string());
        let mut module = ModuleDecl::default();
        read_file(&source, 0, &mut module).unwrap();
        module
    }

    #[test]
    fn json_comments_are_read_in_both_block_forms() {
        let module = read_json(
            r#"{"//": "file comment", "resource": {"aws_cloudfront_distribution": {
                "a": {"//": "cname-preflight:ignore alias-taken one", "aliases": ["a.example.com"]},
                "b": [{"//": "cname-preflight:ignore alias-taken two", "aliases": ["b.example.com"]}]
            }}, "variable": {"x": {"//": "not a variable", "default": "y"}}}"#,
        );
        let comments: Vec<&str> = module
            .resources
            .iter()
            .map(|r| r.json_comment.as_ref().unwrap().0.as_str())
            .collect();
        assert_eq!(
            comments,
            vec![
                "cname-preflight:ignore alias-taken one",
                "cname-preflight:ignore alias-taken two"
            ]
        );
        assert!(module.resources.iter().all(|r| !r.args.contains_key("//")));
        assert_eq!(module.variables.keys().collect::<Vec<_>>(), vec!["x"]);
    }
}
