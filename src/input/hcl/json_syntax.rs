//! JSON syntax (`.tf.json`, `.tofu.json`): the declarations `decl`
//! describes, with `"//"` comments and `"${...}"` templates.

use std::collections::{BTreeMap, HashMap};

use hcl_edit::expr::Expression;
use serde_json::value::RawValue;

use super::decl::{
    Attr, CUSTOM_CERTIFICATE, CallDecl, DISTRIBUTION, ModuleDecl, ProviderDecl, READ_TYPES, RECORD,
    ResourceDecl, TENANT, VariableDecl, hcl_error,
};
use crate::error::InputError;
use crate::model::{SourceId, Span};
use crate::source::Source;

pub(super) struct Json<'a> {
    pub(super) source: &'a Source,
    pub(super) id: SourceId,
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

    pub(super) fn read(&self, module: &mut ModuleDecl) -> Result<(), InputError> {
        let text = self.source.text.as_str();
        let doc: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(|e| {
            let at = crate::source::byte_offset(text, e.line(), e.column());
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
                                    "sensitive" => v.sensitive = val.get().trim() == "true",
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
                            if !READ_TYPES.contains(&type_name.as_str()) {
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
                "customizations" if type_name == TENANT => {
                    for obj in self.objects(v)? {
                        for (_, c) in obj.into_iter().filter(|(k, _)| k == "certificate") {
                            for cert in self.objects(c)? {
                                if let Some((_, arn)) = cert.into_iter().find(|(k, _)| k == "arn") {
                                    r.args.insert(CUSTOM_CERTIFICATE.into(), self.attr(arn)?);
                                }
                            }
                        }
                    }
                }
                "managed_certificate_request" if type_name == TENANT => {
                    r.managed_certificate = !self.blocks(v)?.is_empty();
                }
                "alias" if type_name == RECORD => {
                    for obj in self.objects(v)? {
                        if let Some((_, n)) = obj.into_iter().find(|(k, _)| k == "name") {
                            r.args.insert("alias.name".into(), self.attr(n)?);
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
        Json {
            source: &source,
            id: 0,
        }
        .read(&mut module)
        .unwrap();
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
