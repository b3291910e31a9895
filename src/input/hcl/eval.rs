//! An evaluator of Terraform expressions, for the values aliases come from.
//!
//! `Ok(value)` may contain `Value::Unknown` parts: values Terraform knows
//! only after apply. `Err(message)` is an expression Terraform itself would
//! fail on, or one this evaluator does not support; callers turn both into
//! `alias-unknown` claims that say why, never into a guess.
//!
//! Why not hcl-rs's evaluator: findings point at the alias in the `.tf`
//! file, so every value keeps the span it came from (through locals,
//! variables and module arguments), and unknown, sensitive and bounded
//! values (instances, depth, size, work) are part of the value model;
//! hcl-rs evaluates to plain values without spans, unknowns or limits. The
//! parsing is hcl-edit's, which keeps the spans.

use std::collections::BTreeMap;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};

use super::funcs;
use super::value::{Iteration, Value};

pub use super::context::{Context, Result};

/// How deeply one expression may nest.
pub const MAX_DEPTH: usize = 128;

/// The names visible where an expression is evaluated.
pub struct Scope<'s> {
    pub ctx: &'s dyn Context,
    /// `each.key` and `each.value` inside a `for_each` resource or call.
    pub each: Option<(Value, Value)>,
    /// `count.index` inside a `count` resource or call.
    pub count: Option<Value>,
    /// Names bound by `for` expressions and `dynamic` blocks, innermost last.
    pub bindings: Vec<(String, Value)>,
    /// Set once the evaluation reads a sensitive value (a sensitive
    /// variable, a value derived from one, `sensitive(...)`): everything
    /// it produced is then masked.
    pub sensitive: bool,
    /// How deep the evaluation is in the expression.
    depth: usize,
}

impl<'s> Scope<'s> {
    pub fn new(ctx: &'s dyn Context) -> Self {
        Scope {
            ctx,
            each: None,
            count: None,
            bindings: Vec::new(),
            sensitive: false,
            depth: 0,
        }
    }

    /// Evaluates `expr` within the limits: nesting depth, the work budget
    /// and the size of what it makes.
    pub fn eval(&mut self, expr: &Expression) -> Result<Value> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "the expression is nested more than {MAX_DEPTH} deep"
            ));
        }
        self.ctx.tick()?;
        self.depth += 1;
        let value = self.eval_inner(expr);
        self.depth -= 1;
        let value = value?;
        // Only what can grow is measured: literals are small.
        let grows = matches!(
            expr,
            Expression::Array(_)
                | Expression::Object(_)
                | Expression::FuncCall(_)
                | Expression::StringTemplate(_)
                | Expression::HeredocTemplate(_)
                | Expression::ForExpr(_)
                | Expression::BinaryOp(_)
        );
        if grows && !value.size_within(super::value::MAX_SIZE) {
            return Err(format!(
                "the value grows past {} MiB, more than any list of aliases",
                super::value::MAX_SIZE / (1024 * 1024)
            ));
        }
        Ok(value)
    }

    fn eval_inner(&mut self, expr: &Expression) -> Result<Value> {
        match expr {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::Number(n.as_f64().unwrap_or(f64::NAN))),
            Expression::String(s) => Ok(Value::String(s.value().clone())),
            Expression::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    out.push(self.eval(item)?);
                }
                Ok(Value::List(out))
            }
            Expression::Object(object) => {
                let mut out = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(ident)) => {
                            ident.as_str().to_string()
                        }
                        ObjectKey::Expression(e) => match self.eval(e)? {
                            Value::Unknown(r) => return Ok(Value::Unknown(r)),
                            k => k.to_text()?,
                        },
                    };
                    let v = self.eval(value.expr())?;
                    out.insert(key, v);
                }
                Ok(Value::Object(out))
            }
            Expression::StringTemplate(t) => self.template(t),
            Expression::HeredocTemplate(h) => match self.template(&h.template)? {
                // `<<-` strips the common leading white space of the lines.
                Value::String(text) if h.indent().is_some() => Ok(Value::String(dedent(&text))),
                other => Ok(other),
            },
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(ident) => self.reference(ident.as_str(), &[]),
            Expression::Conditional(c) => match self.eval(&c.cond_expr)? {
                Value::Bool(true) => self.eval(&c.true_expr),
                Value::Bool(false) => self.eval(&c.false_expr),
                Value::Unknown(r) => Ok(Value::Unknown(r)),
                other => Err(format!(
                    "a condition must be true or false, got a {}",
                    other.type_name()
                )),
            },
            Expression::FuncCall(call) => self.call(call),
            Expression::Traversal(t) => {
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
                match &t.expr {
                    Expression::Variable(ident) => self.reference(ident.as_str(), &ops),
                    other => {
                        let base = self.eval(other)?;
                        self.traverse(base, &ops)
                    }
                }
            }
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr)?;
                match (op.operator.value(), v) {
                    (_, Value::Unknown(r)) => Ok(Value::Unknown(r)),
                    (UnaryOperator::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
                    (UnaryOperator::Neg, Value::Number(n)) => Ok(Value::Number(-n)),
                    (_, v) => Err(format!("invalid operand {v}")),
                }
            }
            Expression::BinaryOp(op) => {
                self.binary(*op.operator.value(), &op.lhs_expr, &op.rhs_expr)
            }
            Expression::ForExpr(f) => self.for_expr(f),
        }
    }

    fn binary(&mut self, op: BinaryOperator, lhs: &Expression, rhs: &Expression) -> Result<Value> {
        let l = self.eval(lhs)?;
        // `&&` and `||` do not short-circuit in Terraform, but a known
        // result needs only one known side.
        let r = self.eval(rhs)?;
        use BinaryOperator as B;
        match op {
            B::And | B::Or => {
                let want = op == B::Or;
                match (&l, &r) {
                    (Value::Bool(a), _) if *a == want => Ok(Value::Bool(want)),
                    (_, Value::Bool(b)) if *b == want => Ok(Value::Bool(want)),
                    (Value::Bool(_), Value::Bool(_)) => Ok(Value::Bool(!want)),
                    (Value::Unknown(x), _) | (_, Value::Unknown(x)) => {
                        Ok(Value::Unknown(x.clone()))
                    }
                    _ => Err("`&&` and `||` need true or false on both sides".into()),
                }
            }
            B::Eq | B::NotEq => {
                if let Some(reason) = l.unknown_reason().or_else(|| r.unknown_reason()) {
                    return Ok(Value::Unknown(reason));
                }
                let eq = equal(&l, &r);
                Ok(Value::Bool(if op == B::Eq { eq } else { !eq }))
            }
            _ => {
                if let Value::Unknown(x) = &l {
                    return Ok(Value::Unknown(x.clone()));
                }
                if let Value::Unknown(x) = &r {
                    return Ok(Value::Unknown(x.clone()));
                }
                let a = funcs::number(&l)?;
                let b = funcs::number(&r)?;
                Ok(match op {
                    B::Less => Value::Bool(a < b),
                    B::LessEq => Value::Bool(a <= b),
                    B::Greater => Value::Bool(a > b),
                    B::GreaterEq => Value::Bool(a >= b),
                    B::Plus => Value::Number(a + b),
                    B::Minus => Value::Number(a - b),
                    B::Mul => Value::Number(a * b),
                    B::Div if b == 0.0 => return Err("division by zero".into()),
                    B::Div => Value::Number(a / b),
                    B::Mod if b == 0.0 => return Err("modulo by zero".into()),
                    B::Mod => Value::Number(a % b),
                    _ => unreachable!("handled above"),
                })
            }
        }
    }

    /// A name followed by traversal operators: `var.x`, `local.y[0]`,
    /// `each.value.aliases`, `aws_acm_certificate.c.arn`...
    fn reference(&mut self, root: &str, ops: &[&TraversalOperator]) -> Result<Value> {
        if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| n == root) {
            let v = v.clone();
            return self.traverse(v, ops);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str().to_string()),
            _ => None,
        };
        let text = reference_text(root, ops);
        if let ("var" | "local" | "module", Some(name)) = (root, attr(0)) {
            // Ask after the value below is computed (locals and module
            // outputs learn their own sensitivity when evaluated).
            let value = match root {
                "var" => self.ctx.variable(&name),
                "local" => self.ctx.local(&name),
                _ => self.ctx.module(&name),
            };
            if self.ctx.is_sensitive(root, &name) {
                self.sensitive = true;
            }
            return self.traverse(value?, &ops[1..]);
        }
        let (base, used) = match root {
            "var" | "local" | "module" => {
                return Err(format!("`{text}` is not a complete reference"));
            }
            "path" => (self.ctx.path(&need(attr(0), &text)?)?, 1),
            "terraform" => match attr(0).as_deref() {
                Some("workspace") => (self.ctx.workspace(), 1),
                _ => return Ok(Value::unknown(format!("`{text}` is not evaluated here"))),
            },
            "each" => {
                let Some((key, value)) = &self.each else {
                    return Err(
                        "`each` is only available in a resource or module with `for_each`".into(),
                    );
                };
                match attr(0).as_deref() {
                    Some("key") => (key.clone(), 1),
                    Some("value") => (value.clone(), 1),
                    _ => return Err(format!("`{text}`: `each` has only `key` and `value`")),
                }
            }
            "count" => {
                let Some(index) = &self.count else {
                    return Err(
                        "`count` is only available in a resource or module with `count`".into(),
                    );
                };
                match attr(0).as_deref() {
                    Some("index") => (index.clone(), 1),
                    _ => return Err(format!("`{text}`: `count` has only `index`")),
                }
            }
            "data" => {
                return Ok(Value::unknown(format!(
                    "`{text}` comes from a data source, which Terraform reads from the provider"
                )));
            }
            "self" => {
                return Ok(Value::unknown(format!(
                    "`{text}` is known only after apply"
                )));
            }
            _ if ops.is_empty() => {
                return Err(format!("`{root}` is not a name Terraform knows here"));
            }
            _ => {
                return Ok(Value::unknown(format!(
                    "`{text}` is an attribute of a resource, known only after apply"
                )));
            }
        };
        self.traverse(base, &ops[used..])
    }

    fn traverse(&mut self, mut value: Value, ops: &[&TraversalOperator]) -> Result<Value> {
        for (i, op) in ops.iter().enumerate() {
            if let Value::Unknown(_) = value {
                return Ok(value);
            }
            value = match op {
                TraversalOperator::GetAttr(name) => get_attr(value, name.as_str())?,
                TraversalOperator::LegacyIndex(n) => {
                    index(value, &Value::Number(*n.value() as f64))?
                }
                TraversalOperator::Index(e) => {
                    let key = self.eval(e)?;
                    if let Value::Unknown(r) = key {
                        return Ok(Value::Unknown(r));
                    }
                    index(value, &key)?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match value {
                        Value::Null => Vec::new(),
                        Value::List(items) => items,
                        other => vec![other],
                    };
                    let rest = &ops[i + 1..];
                    let mut out = Vec::with_capacity(items.len());
                    for item in items {
                        out.push(self.traverse(item, rest)?);
                    }
                    return Ok(Value::List(out));
                }
            };
        }
        Ok(value)
    }

    fn for_expr(&mut self, f: &ForExpr) -> Result<Value> {
        let collection = self.eval(&f.intro.collection_expr)?;
        let pairs = match collection.iterate("a `for` expression")? {
            Iteration::Pairs(p) => p,
            Iteration::Unknown(r) => return Ok(Value::Unknown(r)),
        };
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in pairs {
            let depth = self.bindings.len();
            if let Some(key_var) = &f.intro.key_var {
                self.bindings.push((key_var.as_str().to_string(), k));
            }
            self.bindings
                .push((f.intro.value_var.as_str().to_string(), v));
            let result = self.for_item(f);
            self.bindings.truncate(depth);
            match result? {
                ForItem::Skip => {}
                ForItem::Unknown(r) => return Ok(Value::Unknown(r)),
                ForItem::Value(v) => list.push(v),
                ForItem::Pair(key, v) => {
                    if f.grouping {
                        groups.entry(key).or_default().push(v);
                    } else if object.insert(key.clone(), v).is_some() {
                        return Err(format!(
                            "duplicate key `{key}` in a `for` expression (use `...` to group)"
                        ));
                    }
                }
            }
        }
        Ok(match (&f.key_expr, f.grouping) {
            (None, _) => Value::List(list),
            (Some(_), false) => Value::Object(object),
            (Some(_), true) => Value::Object(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::List(v)))
                    .collect(),
            ),
        })
    }

    fn for_item(&mut self, f: &ForExpr) -> Result<ForItem> {
        if let Some(cond) = &f.cond {
            match self.eval(&cond.expr)? {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(ForItem::Skip),
                Value::Unknown(r) => return Ok(ForItem::Unknown(r)),
                other => {
                    return Err(format!(
                        "a `for` condition must be true or false, got a {}",
                        other.type_name()
                    ));
                }
            }
        }
        let value = self.eval(&f.value_expr)?;
        match &f.key_expr {
            None => Ok(ForItem::Value(value)),
            Some(key) => match self.eval(key)? {
                Value::Unknown(r) => Ok(ForItem::Unknown(r)),
                k => Ok(ForItem::Pair(k.to_text()?, value)),
            },
        }
    }

    fn template(&mut self, template: &Template) -> Result<Value> {
        let elements: Vec<&Element> = template.iter().collect();
        // A template that is one interpolation yields the value itself, not
        // its text: `"${var.aliases}"` is the list (the pre-0.12 form).
        if let [Element::Interpolation(i)] = elements.as_slice() {
            return self.eval(&i.expr);
        }
        let mut out = String::new();
        for element in elements {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => match self.eval(&i.expr)? {
                    Value::Unknown(r) => return Ok(Value::Unknown(r)),
                    v => out.push_str(&v.to_text()?),
                },
                Element::Directive(d) => match self.directive(d)? {
                    Value::String(s) => out.push_str(&s),
                    other => return Ok(other),
                },
            }
        }
        Ok(Value::String(out))
    }

    fn directive(&mut self, d: &Directive) -> Result<Value> {
        match d {
            Directive::If(i) => match self.eval(&i.if_expr.cond_expr)? {
                Value::Bool(true) => self.template_text(&i.if_expr.template),
                Value::Bool(false) => match &i.else_expr {
                    Some(e) => self.template_text(&e.template),
                    None => Ok(Value::String(String::new())),
                },
                Value::Unknown(r) => Ok(Value::Unknown(r)),
                other => Err(format!(
                    "an `%{{if}}` condition must be true or false, got a {}",
                    other.type_name()
                )),
            },
            Directive::For(f) => {
                let intro = &f.for_expr;
                let pairs = match self.eval(&intro.collection_expr)?.iterate("`%{for}`")? {
                    Iteration::Pairs(p) => p,
                    Iteration::Unknown(r) => return Ok(Value::Unknown(r)),
                };
                let mut out = String::new();
                for (k, v) in pairs {
                    let depth = self.bindings.len();
                    if let Some(key_var) = &intro.key_var {
                        self.bindings.push((key_var.as_str().to_string(), k));
                    }
                    self.bindings
                        .push((intro.value_var.as_str().to_string(), v));
                    let part = self.template_text(&intro.template);
                    self.bindings.truncate(depth);
                    match part? {
                        Value::String(s) => out.push_str(&s),
                        other => return Ok(other),
                    }
                }
                Ok(Value::String(out))
            }
        }
    }

    /// A nested template, always as text.
    fn template_text(&mut self, template: &Template) -> Result<Value> {
        let mut out = String::new();
        for element in template.iter() {
            let part = match element {
                Element::Literal(s) => Value::String(s.value().clone()),
                Element::Interpolation(i) => self.eval(&i.expr)?,
                Element::Directive(d) => self.directive(d)?,
            };
            match part {
                Value::Unknown(r) => return Ok(Value::Unknown(r)),
                v => out.push_str(&v.to_text()?),
            }
        }
        Ok(Value::String(out))
    }

    fn call(&mut self, call: &FuncCall) -> Result<Value> {
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            return Ok(Value::unknown(format!(
                "the provider function `{name}` runs in the provider"
            )));
        }
        // `try` and `can` take expressions, not values.
        match name {
            "try" => {
                let mut last = String::from("`try` needs at least one argument");
                for arg in call.args.iter() {
                    match self.eval(arg) {
                        Ok(v) => {
                            return Ok(match v.unknown_reason() {
                                Some(r) => Value::Unknown(r),
                                None => v,
                            });
                        }
                        Err(e) => last = e,
                    }
                }
                return Err(format!("no argument of `try` could be evaluated: {last}"));
            }
            "can" => {
                let [arg] = call.args.iter().collect::<Vec<_>>()[..] else {
                    return Err("`can` takes one argument".into());
                };
                return Ok(match self.eval(arg) {
                    Ok(v) => match v.unknown_reason() {
                        Some(r) => Value::Unknown(r),
                        None => Value::Bool(true),
                    },
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(call.args.len());
        for arg in call.args.iter() {
            args.push(self.eval(arg)?);
        }
        if call.args.expand_final() {
            match args.pop() {
                Some(Value::List(items)) => args.extend(items),
                Some(Value::Unknown(r)) => return Ok(Value::Unknown(r)),
                _ => {
                    return Err(format!(
                        "`{name}(...)`: only a list can be expanded with `...`"
                    ));
                }
            }
        }
        if name == "sensitive" {
            self.sensitive = true;
        }
        funcs::call(name, args, self.ctx).map_err(|e| format!("`{name}`: {e}"))
    }
}

enum ForItem {
    Skip,
    Unknown(std::rc::Rc<str>),
    Value(Value),
    Pair(String, Value),
}

fn need(name: Option<String>, text: &str) -> Result<String> {
    name.ok_or_else(|| format!("`{text}` is not a complete reference"))
}

/// `root.a.b[...]` as text, up to the first operator that is not a name.
pub fn reference_text(root: &str, ops: &[&TraversalOperator]) -> String {
    let mut out = root.to_string();
    for op in ops {
        match op {
            TraversalOperator::GetAttr(name) => {
                out.push('.');
                out.push_str(name.as_str());
            }
            TraversalOperator::LegacyIndex(n) => out.push_str(&format!("[{}]", n.value())),
            TraversalOperator::Index(Expression::Number(n)) => {
                out.push_str(&format!("[{}]", n.value()))
            }
            TraversalOperator::Index(Expression::String(s)) => {
                out.push_str(&format!("[{:?}]", s.value()))
            }
            TraversalOperator::Index(_) => out.push_str("[...]"),
            TraversalOperator::AttrSplat(_) => out.push_str(".*"),
            TraversalOperator::FullSplat(_) => out.push_str("[*]"),
        }
    }
    out
}

fn get_attr(value: Value, name: &str) -> Result<Value> {
    match value {
        Value::Object(mut map) => map
            .remove(name)
            .ok_or_else(|| format!("the object has no attribute `{name}`")),
        Value::Null => Err(format!("cannot read `{name}` of a null value")),
        other => Err(format!("cannot read `{name}` of a {}", other.type_name())),
    }
}

fn index(value: Value, key: &Value) -> Result<Value> {
    match (value, key) {
        (Value::List(mut items), k) => {
            let i = funcs::number(k)?;
            if i < 0.0 || i.fract() != 0.0 || i as usize >= items.len() {
                return Err(format!(
                    "index {i} is out of range for a list of {}",
                    items.len()
                ));
            }
            Ok(items.swap_remove(i as usize))
        }
        (Value::Object(mut map), k) => {
            let k = k.to_text()?;
            map.remove(&k)
                .ok_or_else(|| format!("the map has no element `{k}`"))
        }
        (Value::Null, _) => Err("cannot index a null value".into()),
        (other, _) => Err(format!("cannot index a {}", other.type_name())),
    }
}

/// Terraform's `==`: same type and same value.
pub fn equal(a: &Value, b: &Value) -> bool {
    a == b
}

fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.split_inclusive('\n')
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Vars;

    impl Context for Vars {
        fn variable(&self, name: &str) -> Result<Value> {
            match name {
                "domains" => Ok(Value::List(vec![
                    Value::String("a.example.com".into()),
                    Value::unknown("`aws_x.y.name` is known only after apply"),
                ])),
                "cert" => Ok(Value::String("arn:x".into())),
                "site" => Ok(Value::Object(
                    [("name".to_string(), Value::String("s".into()))].into(),
                )),
                _ => Err(format!("no `{name}`")),
            }
        }
        fn local(&self, _: &str) -> Result<Value> {
            Err("no locals".into())
        }
        fn module(&self, _: &str) -> Result<Value> {
            Err("no modules".into())
        }
        fn path(&self, _: &str) -> Result<Value> {
            Ok(Value::String(".".into()))
        }
        fn workspace(&self) -> Value {
            Value::String("default".into())
        }
        fn read_file(&self, _: &str) -> Result<String> {
            Ok("aliases: [y.example.com]\n".into())
        }
    }

    fn eval(text: &str) -> Result<Value> {
        let expr = hcl_edit::parser::parse_expr(text).expect("valid HCL");
        Scope::new(&Vars).eval(&expr)
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::String(s.to_string())).collect())
    }

    #[test]
    fn evaluates_what_alias_expressions_use() {
        assert_eq!(
            eval(r#"var.cert != "" ? concat(["x.example.com"], ["z.example.com"]) : []"#),
            Ok(strings(&["x.example.com", "z.example.com"]))
        );
        assert_eq!(
            eval(
                r#"[for d in ["A.example.com", "b.example.com"] : lower(d) if d != "b.example.com"]"#
            ),
            Ok(strings(&["a.example.com"]))
        );
        assert_eq!(eval(r#"try(var.site.aliases, [])"#), Ok(strings(&[])));
        assert_eq!(
            eval(r#"lookup({aliases = ["m.example.com"]}, "aliases", [])"#),
            Ok(strings(&["m.example.com"]))
        );
        assert_eq!(
            eval(r#"yamldecode(file("x.yaml")).aliases"#),
            Ok(strings(&["y.example.com"]))
        );
        assert_eq!(
            eval(r#"format("%s.%s", "www", trimsuffix("example.com.", "."))"#),
            Ok(Value::String("www.example.com".into()))
        );
        assert_eq!(
            eval(r#"flatten([["a"], [["b"]], compact(["", "c"])])"#),
            Ok(strings(&["a", "b", "c"]))
        );
        assert_eq!(
            eval(r#"[{n = "p"}, {n = "q"}][*].n"#),
            Ok(strings(&["p", "q"]))
        );
        assert_eq!(
            eval(r#""${var.site.name}-${1 + 1}.example.com""#),
            Ok(Value::String("s-2.example.com".into()))
        );
        assert_eq!(
            eval(r#"join(",", distinct(split(",", "a,b,a")))"#),
            Ok(Value::String("a,b".into()))
        );
        assert_eq!(
            eval(r#"{for k, v in {b = 1, a = 2} : v => k}"#).map(|v| v.to_string()),
            Ok(r#"{1 = "b", 2 = "a"}"#.to_string())
        );
    }

    #[test]
    fn unknown_parts_stay_unknown_and_errors_say_why() {
        let v = eval("concat(var.domains, [\"b.example.com\"])").unwrap();
        let Value::List(items) = v else {
            panic!("{v:?}")
        };
        assert_eq!(items[0], Value::String("a.example.com".into()));
        assert!(matches!(items[1], Value::Unknown(_)));
        assert_eq!(eval("length(var.domains)"), Ok(Value::Number(2.0)));
        assert!(matches!(
            eval("upper(var.domains[1])"),
            Ok(Value::Unknown(_))
        ));
        assert!(
            matches!(eval("aws_route53_zone.z.name"), Ok(Value::Unknown(r)) if r.contains("aws_route53_zone.z.name"))
        );
        assert!(
            matches!(eval("data.aws_x.y.names"), Ok(Value::Unknown(r)) if r.contains("data source"))
        );
        let err = eval(r#"regex("^a", "abc")"#).unwrap_err();
        assert!(err.contains("`regex`"), "{err}");
        let err = eval("var.site.aliases").unwrap_err();
        assert!(err.contains("aliases"), "{err}");
        assert!(eval(r#"lookup({}, "aliases")"#).is_err());
    }
}
