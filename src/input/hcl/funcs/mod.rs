//! The Terraform functions alias expressions use in real modules, as a
//! registry: each function's name, arity, what it does with unknown
//! arguments, and its body, in files by family.
//!
//! A function given an unknown value returns an unknown value (with the
//! reason of the first unknown part), except where Terraform keeps known
//! parts known (`concat`, `tolist`, `length` of a collection). Functions
//! not listed here are refused by name, so the claim says which function
//! was not evaluated. `try` and `can` are not functions but forms of the
//! evaluator (they catch errors of their arguments): see [`SPECIAL_FORMS`].
//!
//! hcl-rs has a function registry of its own, but its values carry no
//! "unknown, because..." and its errors no spans; the evaluator needs both.

mod collections;
mod conversions;
mod encoding;
mod files;
mod numbers;
mod strings;

use std::collections::BTreeMap;

pub use collections::flatten_into;

use super::context::{Context, Result};
use super::value::{MAX_SIZE, Value};

/// What a function does when one of its arguments is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknowns {
    /// The result is unknown, with the reason of the first unknown argument.
    Propagate,
    /// The function sees the unknown arguments and keeps what it can known.
    Handle,
}

/// One function of the library.
pub struct Function {
    pub name: &'static str,
    pub min_args: usize,
    /// None: any number of arguments from `min_args` on.
    pub max_args: Option<usize>,
    pub unknowns: Unknowns,
    pub body: fn(Vec<Value>, &dyn Context) -> Result<Value>,
}

impl Function {
    /// A function of exactly `n` arguments whose result is unknown when an
    /// argument is.
    const fn fixed(
        name: &'static str,
        n: usize,
        body: fn(Vec<Value>, &dyn Context) -> Result<Value>,
    ) -> Function {
        Function {
            name,
            min_args: n,
            max_args: Some(n),
            unknowns: Unknowns::Propagate,
            body,
        }
    }

    /// A function of `min..=max` arguments (None: no upper bound) whose
    /// result is unknown when an argument is.
    const fn ranged(
        name: &'static str,
        min: usize,
        max: Option<usize>,
        body: fn(Vec<Value>, &dyn Context) -> Result<Value>,
    ) -> Function {
        Function {
            name,
            min_args: min,
            max_args: max,
            unknowns: Unknowns::Propagate,
            body,
        }
    }

    /// The same function, seeing unknown arguments itself.
    const fn handles_unknowns(self) -> Function {
        Function {
            unknowns: Unknowns::Handle,
            ..self
        }
    }

    fn check_arity(&self, given: usize) -> Result<()> {
        let max = self.max_args.unwrap_or(usize::MAX);
        if (self.min_args..=max).contains(&given) {
            return Ok(());
        }
        Err(match self.max_args {
            Some(max) if max == self.min_args => {
                format!("takes {max} argument(s), got {given}")
            }
            Some(max) => format!("takes {} to {max} arguments, got {given}", self.min_args),
            None => format!("takes at least {} argument(s), got {given}", self.min_args),
        })
    }
}

/// The families, each a file of this module.
const FAMILIES: &[&[Function]] = &[
    collections::FUNCTIONS,
    conversions::FUNCTIONS,
    numbers::FUNCTIONS,
    strings::FUNCTIONS,
    encoding::FUNCTIONS,
    files::FUNCTIONS,
];

/// Names the evaluator handles itself, which docs/usage.md lists with the
/// functions.
pub const SPECIAL_FORMS: &[&str] = &["try", "can"];

fn lookup(name: &str) -> Option<&'static Function> {
    FAMILIES
        .iter()
        .flat_map(|f| f.iter())
        .find(|f| f.name == name)
}

/// The names of every function in the registry.
pub fn names() -> impl Iterator<Item = &'static str> {
    FAMILIES.iter().flat_map(|f| f.iter()).map(|f| f.name)
}

/// Calls function `name`.
pub fn call(name: &str, args: Vec<Value>, ctx: &dyn Context) -> Result<Value> {
    let function = lookup(name)
        .ok_or_else(|| format!("the function `{name}` is not evaluated by cname-preflight"))?;
    function.check_arity(args.len())?;
    if function.unknowns == Unknowns::Propagate
        && let Some(reason) = args.iter().find_map(Value::unknown_reason)
    {
        return Ok(Value::Unknown(reason));
    }
    (function.body)(args, ctx)
}

pub fn number(v: &Value) -> Result<f64> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number")),
        other => Err(format!("a number is required, got a {}", other.type_name())),
    }
}

fn text(v: &Value) -> Result<String> {
    v.to_text()
}

fn list(v: Value) -> Result<Vec<Value>> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(format!("a list is required, got a {}", other.type_name())),
    }
}

fn object(v: Value) -> Result<BTreeMap<String, Value>> {
    match v {
        Value::Object(map) => Ok(map),
        other => Err(format!(
            "a map or object is required, got a {}",
            other.type_name()
        )),
    }
}

/// Argument `i`, moved out (arity is checked before a body runs).
fn take(args: &mut [Value], i: usize) -> Value {
    std::mem::replace(&mut args[i], Value::Null)
}

/// The first argument, moved out.
fn first(args: Vec<Value>) -> Value {
    args.into_iter().next().unwrap_or(Value::Null)
}

fn too_big() -> String {
    format!(
        "the value grows past {} MiB, more than any list of aliases",
        MAX_SIZE / (1024 * 1024)
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A context with no variables, modules or files.
    pub struct NoFiles;

    impl Context for NoFiles {
        fn variable(&self, name: &str) -> Result<Value> {
            Err(format!("no variable {name}"))
        }
        fn local(&self, name: &str) -> Result<Value> {
            Err(format!("no local {name}"))
        }
        fn module(&self, name: &str) -> Result<Value> {
            Err(format!("no module {name}"))
        }
        fn path(&self, name: &str) -> Result<Value> {
            Err(format!("no path {name}"))
        }
        fn workspace(&self) -> Value {
            Value::String("default".into())
        }
        fn read_file(&self, path: &str) -> Result<String> {
            Err(format!("no file {path}"))
        }
    }

    #[test]
    fn names_are_unique() {
        let mut all: Vec<&str> = names().collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
    }

    /// The usage reference's list of functions is the registry's, plus the
    /// forms the evaluator handles itself.
    #[test]
    fn the_usage_reference_lists_the_registry() {
        let readme = include_str!("../../../../docs/usage.md");
        let start = readme
            .find("and the functions alias expressions use:")
            .expect("docs/usage.md lists the functions");
        let end = start + readme[start..].find(".\n").expect("the list ends");
        let mut listed: Vec<&str> = readme[start..end].split('`').skip(1).step_by(2).collect();
        let mut known: Vec<&str> = names().chain(SPECIAL_FORMS.iter().copied()).collect();
        listed.sort_unstable();
        known.sort_unstable();
        assert_eq!(listed, known);
    }

    #[test]
    fn arity_and_unknowns_are_checked_before_the_body() {
        let ctx = NoFiles;
        let s = |x: &str| Value::String(x.into());
        assert_eq!(
            call("lower", vec![], &ctx).unwrap_err(),
            "takes 1 argument(s), got 0"
        );
        assert_eq!(
            call("lookup", vec![s("a")], &ctx).unwrap_err(),
            "takes 2 to 3 arguments, got 1"
        );
        assert_eq!(
            call("format", vec![], &ctx).unwrap_err(),
            "takes at least 1 argument(s), got 0"
        );
        let unknown = Value::unknown("a resource attribute");
        assert_eq!(call("lower", vec![unknown.clone()], &ctx).unwrap(), unknown);
        // `concat` keeps the known list known only when every part is.
        assert_eq!(
            call(
                "concat",
                vec![Value::List(vec![s("a")]), unknown.clone()],
                &ctx
            )
            .unwrap(),
            unknown
        );
        assert_eq!(
            call("length", vec![Value::List(vec![unknown.clone()])], &ctx).unwrap(),
            Value::Number(1.0)
        );
        assert!(
            call("regex", vec![s("a"), s("b")], &ctx)
                .unwrap_err()
                .contains("`regex` is not evaluated")
        );
    }
}
