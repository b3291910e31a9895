//! Module instances: one per module call and `count`/`for_each` key, with
//! its variables, lazily evaluated locals and module outputs, and the
//! provider configurations passed to it.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use super::decl::{Attr, CallDecl, ModuleDecl};
use super::discovery::pathdiff;
use super::eval::{self, Context, Scope};
use super::loader::Root;
use super::value::Value;

/// Where no names are defined: variable defaults and `.tfvars` values.
pub(super) struct NoContext;

impl Context for NoContext {
    fn variable(&self, name: &str) -> eval::Result<Value> {
        Err(format!("`var.{name}` cannot be used here"))
    }
    fn local(&self, name: &str) -> eval::Result<Value> {
        Err(format!("`local.{name}` cannot be used here"))
    }
    fn module(&self, name: &str) -> eval::Result<Value> {
        Err(format!("`module.{name}` cannot be used here"))
    }
    fn path(&self, name: &str) -> eval::Result<Value> {
        Err(format!("`path.{name}` cannot be used here"))
    }
    fn workspace(&self) -> Value {
        Value::unknown("`terraform.workspace` cannot be used here")
    }
    fn read_file(&self, path: &str) -> eval::Result<String> {
        Err(format!("`file(\"{path}\")` cannot be used here"))
    }
}

/// One instance of a module: its variables and how to evaluate in it.
pub(super) struct Instance<'a> {
    pub(super) decl: &'a ModuleDecl,
    pub(super) root: &'a Root,
    pub(super) vars: HashMap<String, Value>,
    /// The variables whose values are sensitive: declared `sensitive`, or
    /// given a value derived from a sensitive one.
    pub(super) sensitive_vars: std::collections::HashSet<String>,
    /// `module.a["x"].module.b`, empty in the root.
    pub(super) address: String,
    /// `a.b`, the key of `.terraform/modules/modules.json`.
    pub(super) key: String,
    /// `path.module`.
    pub(super) rel_dir: String,
    /// Provider names this module uses (`aws`, `aws.x`) -> root keys.
    pub(super) providers: HashMap<String, String>,
    pub(super) memo: Memo,
    pub(super) depth: usize,
    /// The module directories from the root down to this one, to refuse a
    /// module that calls itself (Terraform refuses module cycles too).
    pub(super) chain: Vec<std::path::PathBuf>,
}

/// What an instance has evaluated so far, each once.
#[derive(Default)]
pub(super) struct Memo {
    locals: RefCell<HashMap<String, eval::Result<Value>>>,
    /// The locals being evaluated, to find cycles.
    evaluating: RefCell<Vec<String>>,
    /// `module.NAME` values (the outputs of its instances).
    outputs: RefCell<HashMap<String, eval::Result<Value>>>,
    /// The locals and module calls whose values are sensitive.
    sensitive: RefCell<std::collections::HashSet<String>>,
}

impl<'a> Instance<'a> {
    /// The root module's instance: the default `aws` provider is `aws`.
    pub(super) fn root(decl: &'a ModuleDecl, root: &'a Root, vars: HashMap<String, Value>) -> Self {
        Instance {
            decl,
            root,
            vars,
            sensitive_vars: decl
                .variables
                .iter()
                .filter(|(_, v)| v.sensitive)
                .map(|(n, _)| n.clone())
                .collect(),
            address: String::new(),
            key: String::new(),
            rel_dir: ".".into(),
            providers: [("aws".to_string(), "aws".to_string())].into(),
            memo: Memo::default(),
            depth: 0,
            chain: vec![decl.dir.clone()],
        }
    }
}

impl Context for Instance<'_> {
    fn variable(&self, name: &str) -> eval::Result<Value> {
        self.vars
            .get(name)
            .cloned()
            .ok_or_else(|| format!("there is no variable `{name}` in this module"))
    }

    fn local(&self, name: &str) -> eval::Result<Value> {
        if let Some(v) = self.memo.locals.borrow().get(name) {
            return v.clone();
        }
        let attr = self
            .decl
            .locals
            .get(name)
            .ok_or_else(|| format!("there is no local value `{name}` in this module"))?;
        if self.memo.evaluating.borrow().iter().any(|n| n == name) {
            return Err(format!("`local.{name}` refers to itself"));
        }
        if self.memo.evaluating.borrow().len() >= MAX_LOCAL_CHAIN {
            return Err(format!(
                "locals refer to locals more than {MAX_LOCAL_CHAIN} deep"
            ));
        }
        self.memo.evaluating.borrow_mut().push(name.to_string());
        let mut scope = Scope::new(self);
        let v = scope.eval(&attr.expr);
        if scope.sensitive {
            self.memo
                .sensitive
                .borrow_mut()
                .insert(format!("local.{name}"));
        }
        self.memo.evaluating.borrow_mut().pop();
        self.memo
            .locals
            .borrow_mut()
            .insert(name.to_string(), v.clone());
        v
    }

    fn module(&self, name: &str) -> eval::Result<Value> {
        if let Some(v) = self.memo.outputs.borrow().get(name) {
            return v.clone();
        }
        let v = self.module_outputs(name);
        self.memo
            .outputs
            .borrow_mut()
            .insert(name.to_string(), v.clone());
        v
    }

    fn path(&self, name: &str) -> eval::Result<Value> {
        match name {
            "module" => Ok(Value::String(self.rel_dir.clone())),
            "root" | "cwd" => Ok(Value::String(".".into())),
            other => Err(format!("`path.{other}` is not a path Terraform defines")),
        }
    }

    fn workspace(&self) -> Value {
        Value::String(self.root.workspace.clone())
    }

    fn tick(&self) -> eval::Result<()> {
        self.root.tick()
    }

    fn refuse(&self, at: crate::model::Span, message: String) {
        let mut invalid = self.root.invalid.borrow_mut();
        if !invalid.iter().any(|(s, _)| *s == at) {
            invalid.push((at, message));
        }
    }

    fn is_sensitive(&self, kind: &str, name: &str) -> bool {
        match kind {
            "var" => self.sensitive_vars.contains(name),
            _ => self
                .memo
                .sensitive
                .borrow()
                .contains(&format!("{kind}.{name}")),
        }
    }

    fn read_file(&self, path: &str) -> eval::Result<String> {
        super::files::read(self.root, path)
    }
}

/// The key of one instance of a resource or module call.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum InstanceKey {
    None,
    Index(usize),
    Name(String),
    /// `count` or `for_each` is not known: one instance stands for all.
    Unknown,
}

impl InstanceKey {
    pub(super) fn suffix(&self) -> String {
        match self {
            InstanceKey::None | InstanceKey::Unknown => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Name(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }
}

/// The instances `count` or `for_each` make, with `count.index` or
/// `each.*` for each.
type Expansion = Vec<(InstanceKey, Option<Value>, Option<(Value, Value)>)>;

/// The instances of one resource or module call evaluated at most.
pub(super) const MAX_INSTANCES: usize = 10_000;

/// How deep locals may refer to locals.
const MAX_LOCAL_CHAIN: usize = 128;

pub(super) fn expand(
    scope: &mut Scope,
    count: Option<&Attr>,
    for_each: Option<&Attr>,
) -> Result<Expansion, String> {
    if let Some(count) = count {
        return Ok(match scope.eval(&count.expr) {
            Ok(Value::Number(n)) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_INSTANCES as f64 => (0
                ..n as usize)
                .map(|i| (InstanceKey::Index(i), Some(Value::Number(i as f64)), None))
                .collect(),
            Ok(Value::Number(n)) if n > MAX_INSTANCES as f64 => vec![(
                InstanceKey::Unknown,
                Some(Value::unknown(format!(
                    "`count` is {}, more than the {MAX_INSTANCES} instances cname-preflight \
                     evaluates",
                    super::value::number_text(n)
                ))),
                None,
            )],
            Ok(Value::Unknown(r)) => vec![(
                InstanceKey::Unknown,
                Some(Value::Unknown(format!("`count` is not known: {r}").into())),
                None,
            )],
            Ok(Value::Number(n)) => {
                let reason = format!(
                    "`count` is {}, not a whole number of zero or more; Terraform refuses it",
                    super::value::number_text(n)
                );
                // Written so: Terraform refuses it whatever the variables
                // ("Invalid count argument").
                if is_literal(&count.expr) {
                    let why = if n < 0.0 {
                        "must be greater than or equal to zero"
                    } else {
                        "must be a whole number"
                    };
                    scope.ctx.refuse(
                        count.span,
                        format!(
                            "invalid `count` argument: {} is unsuitable, the value {why}; \
                             Terraform refuses it",
                            super::value::number_text(n)
                        ),
                    );
                }
                return Err(reason);
            }
            Ok(other) => {
                return Err(format!(
                    "`count` is a {}, not a number; Terraform refuses it",
                    other.type_name()
                ));
            }
            Err(e) => vec![(
                InstanceKey::Unknown,
                Some(Value::unknown(format!("`count` cannot be evaluated: {e}"))),
                None,
            )],
        });
    }
    let Some(for_each) = for_each else {
        return Ok(vec![(InstanceKey::None, None, None)]);
    };
    let unknown = |reason: String| {
        let v = Value::unknown(reason);
        vec![(InstanceKey::Unknown, None, Some((v.clone(), v)))]
    };
    let too_many = |n: usize| {
        unknown(format!(
            "`for_each` has {n} elements, more than the {MAX_INSTANCES} instances cname-preflight \
             evaluates"
        ))
    };
    // A list written out is a tuple, which Terraform refuses as `for_each`
    // ("Invalid for_each argument"): it needs a map or a set of strings.
    if matches!(for_each.expr, hcl_edit::expr::Expression::Array(_)) {
        let reason = "`for_each` is a list written out (a tuple); Terraform needs a map or a set \
                      of strings (`toset([...])`) and refuses it";
        scope.ctx.refuse(
            for_each.span,
            format!("invalid `for_each` argument: {reason}"),
        );
        return Err(reason.to_string());
    }
    Ok(match scope.eval(&for_each.expr) {
        Ok(Value::Object(map)) if map.len() > MAX_INSTANCES => too_many(map.len()),
        Ok(Value::List(items)) if items.len() > MAX_INSTANCES => too_many(items.len()),
        Ok(Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| {
                (
                    InstanceKey::Name(k.clone()),
                    None,
                    Some((Value::String(k), v)),
                )
            })
            .collect(),
        Ok(Value::List(items)) => {
            // A set of strings: one instance per distinct string, in order.
            let mut keys = std::collections::BTreeSet::new();
            for item in items {
                match item {
                    Value::String(s) => {
                        keys.insert(s);
                    }
                    Value::Unknown(r) => {
                        return Ok(unknown(format!("`for_each` is not known: {r}")));
                    }
                    other => {
                        return Ok(unknown(format!(
                            "`for_each` over a set needs strings, got {other}"
                        )));
                    }
                }
            }
            keys.into_iter()
                .map(|k| {
                    let v = Value::String(k.clone());
                    (InstanceKey::Name(k), None, Some((v.clone(), v)))
                })
                .collect()
        }
        Ok(Value::Unknown(r)) => unknown(format!("`for_each` is not known: {r}")),
        Ok(Value::Null) => unknown("`for_each` is null".into()),
        Ok(other) => unknown(format!(
            "`for_each` needs a map or a set of strings, got {other}"
        )),
        Err(e) => unknown(format!("`for_each` cannot be evaluated: {e}")),
    })
}

/// Whether an expression is written as a constant (`-1`, `(2.5)`), so that
/// Terraform refuses a bad value whatever the variables are.
fn is_literal(expr: &hcl_edit::expr::Expression) -> bool {
    use hcl_edit::expr::Expression as E;
    match expr {
        E::Null(_) | E::Bool(_) | E::Number(_) | E::String(_) => true,
        E::UnaryOp(op) => is_literal(&op.expr),
        E::Parenthesis(p) => is_literal(p.inner()),
        _ => false,
    }
}

impl<'a> Instance<'a> {
    /// The value of `module.NAME`: its outputs per instance, evaluated in
    /// the child instances.
    pub(super) fn module_outputs(&self, name: &str) -> eval::Result<Value> {
        let call = self
            .decl
            .calls
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| format!("there is no module call `{name}` in this module"))?;
        let Some(instances) = self.children(call)? else {
            return Ok(Value::unknown(format!(
                "`module.{name}` is not installed; run `terraform init` so its outputs can be read"
            )));
        };
        let mut outputs = Vec::new();
        for (key, child) in &instances {
            let mut object = BTreeMap::new();
            for (out_name, attr) in &child.decl.outputs {
                let mut scope = Scope::new(child);
                let v = scope.eval(&attr.expr).unwrap_or_else(Value::unknown);
                if scope.sensitive {
                    self.memo
                        .sensitive
                        .borrow_mut()
                        .insert(format!("module.{name}"));
                }
                object.insert(out_name.clone(), v);
            }
            outputs.push((key.clone(), Value::Object(object)));
        }
        Ok(match (&call.count, &call.for_each) {
            (Some(_), _) => Value::List(outputs.into_iter().map(|(_, v)| v).collect()),
            (_, Some(_)) => Value::Object(
                outputs
                    .into_iter()
                    .filter_map(|(k, v)| match k {
                        InstanceKey::Name(k) => Some((k, v)),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => outputs
                .into_iter()
                .next()
                .map(|(_, v)| v)
                .unwrap_or(Value::Null),
        })
    }

    /// The instances of a module call, or None when the module is not
    /// available (not installed).
    #[allow(clippy::type_complexity)]
    pub(super) fn children(
        &self,
        call: &CallDecl,
    ) -> eval::Result<Option<Vec<(InstanceKey, Instance<'a>)>>> {
        if self.depth > 16 {
            // Said once for the root, not once per module call past it.
            if !self.root.too_deep.replace(true) {
                self.root.warnings.borrow_mut().push(
                    "modules are nested more than 16 deep; the calls past that depth were not \
                     checked"
                        .into(),
                );
            }
            return Err(String::new());
        }
        let key = if self.key.is_empty() {
            call.name.clone()
        } else {
            format!("{}.{}", self.key, call.name)
        };
        let Some(dir) = self.root.resolve(&self.decl.dir, &key, call) else {
            return Ok(None);
        };
        // Refused by the reading rule: an input error already says so.
        if self
            .root
            .refused
            .contains(&super::discovery::normalise(&dir))
        {
            return Err(String::new());
        }
        let Some(decl) = self.root.module(&dir) else {
            return Ok(None);
        };
        if self.chain.contains(&decl.dir) {
            let mut cycle: Vec<String> =
                self.chain.iter().map(|d| d.display().to_string()).collect();
            cycle.push(decl.dir.display().to_string());
            return Err(format!(
                "the module calls itself ({}); Terraform refuses module cycles",
                cycle.join(" -> ")
            ));
        }
        let mut out = Vec::new();
        let mut scope = Scope::new(self);
        let instances = expand(&mut scope, call.count.as_ref(), call.for_each.as_ref())?;
        let made = self.root.instances.get() + instances.len();
        if made > super::loader::MAX_MODULE_INSTANCES {
            // Said once for the root, not once per module call past it.
            if !self.root.capped.replace(true) {
                self.root.warnings.borrow_mut().push(format!(
                    "the configuration makes more than {} module instances; the module calls \
                     past them were not checked",
                    super::loader::MAX_MODULE_INSTANCES
                ));
            }
            return Err(String::new());
        }
        self.root.instances.set(made);
        for (ikey, count, each) in instances {
            let mut scope = Scope::new(self);
            scope.count = count;
            scope.each = each;
            let mut vars = HashMap::new();
            let mut sensitive_vars = std::collections::HashSet::new();
            for (name, v) in &decl.variables {
                scope.sensitive = false;
                let value = match call.args.get(name) {
                    Some(arg) => scope.eval(&arg.expr).unwrap_or_else(|e| {
                        Value::unknown(format!(
                            "the argument `{name}` of `module.{}` cannot be evaluated: {e}",
                            call.name
                        ))
                    }),
                    None => match &v.default {
                        Some(d) => Scope::new(&NoContext)
                            .eval(&d.expr)
                            .unwrap_or_else(Value::unknown),
                        None => Value::unknown(format!(
                            "`module.{}` does not set its required variable `{name}`",
                            call.name
                        )),
                    },
                };
                if scope.sensitive || v.sensitive {
                    sensitive_vars.insert(name.clone());
                }
                vars.insert(name.clone(), value);
            }
            let mut providers = HashMap::new();
            if let Some(default) = self.providers.get("aws") {
                providers.insert("aws".to_string(), default.clone());
            }
            for (child, parent) in &call.providers {
                let resolved = self
                    .providers
                    .get(parent)
                    .cloned()
                    .unwrap_or_else(|| parent.clone());
                providers.insert(child.clone(), resolved);
            }
            let address = format!(
                "{}module.{}{}",
                with_dot(&self.address),
                call.name,
                ikey.suffix()
            );
            // A module with its own `provider "aws"` block (the legacy form).
            for p in decl.providers.iter().filter(|p| p.name == "aws") {
                let name = match &p.alias {
                    Some(a) => format!("aws.{a}"),
                    None => "aws".into(),
                };
                providers.insert(
                    name.clone(),
                    format!("{}:{name}", crate::input::address::strip_keys(&address)),
                );
            }
            let rel_dir = pathdiff(&dir, &self.root.dir);
            out.push((
                ikey,
                Instance {
                    decl,
                    root: self.root,
                    vars,
                    sensitive_vars,
                    address,
                    key: key.clone(),
                    rel_dir,
                    providers,
                    memo: Memo::default(),
                    depth: self.depth + 1,
                    chain: [self.chain.as_slice(), std::slice::from_ref(&decl.dir)].concat(),
                },
            ));
        }
        Ok(Some(out))
    }
}

/// `module.a.` for an instance address, nothing for the root.
pub(super) fn with_dot(address: &str) -> String {
    if address.is_empty() {
        String::new()
    } else {
        format!("{address}.")
    }
}
