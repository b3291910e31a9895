//! Native syntax (`.tf`, `.tofu`): the declarations `decl` describes, read
//! with hcl-edit, which keeps the spans and comments that hcl-rs's own
//! evaluation does not.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::decl::{
    Attr, CUSTOM_CERTIFICATE, CallDecl, DISTRIBUTION, DynamicDomain, ModuleDecl, ProviderDecl,
    READ_TYPES, RECORD, ResourceDecl, TENANT, VariableDecl, hcl_error,
};
use crate::error::InputError;
use crate::model::{SourceId, Span};
use crate::source::Source;

pub(super) struct Native<'a> {
    pub(super) source: &'a Source,
    pub(super) id: SourceId,
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

    pub(super) fn read(&self, module: &mut ModuleDecl) -> Result<(), InputError> {
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
                ("resource", [type_name, name]) if READ_TYPES.contains(type_name) => {
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
            sensitive: matches!(
                body.get_attribute("sensitive").map(|a| &a.value),
                Some(Expression::Bool(b)) if *b.value()
            ),
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
                    "customizations" if type_name == TENANT => {
                        if let Some(a) = b
                            .body
                            .get_blocks("certificate")
                            .next()
                            .and_then(|c| c.body.get_attribute("arn"))
                        {
                            r.args
                                .insert(CUSTOM_CERTIFICATE.into(), self.attr(&a.value));
                        }
                    }
                    "managed_certificate_request" if type_name == TENANT => {
                        r.managed_certificate = true;
                    }
                    "alias" if type_name == RECORD => {
                        if let Some(a) = b.body.get_attribute("name") {
                            r.args.insert("alias.name".into(), self.attr(&a.value));
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
