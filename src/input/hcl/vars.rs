//! A root module's input variable values: defaults, `terraform.tfvars`,
//! `*.auto.tfvars`, `--var-file`, `TF_VAR_*` and `--var`, in Terraform's
//! order of precedence.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::decl::{self, ModuleDecl};
use super::eval::Scope;
use super::instance::NoContext;
use super::loader::{add_file, add_named_file};
use super::value::Value;
use super::{Options, Read};
use crate::error::InputError;
use crate::input::reading::Area;
use crate::source::Sources;

/// The root module's variable values, by Terraform's precedence, and the
/// names of those whose value came from the environment (`TF_VAR_*`): CI
/// keeps its secrets there and a pull request chooses which variable
/// becomes an alias, so these are sensitive whatever the declaration says.
pub(super) fn root_vars(
    dir: &Path,
    area: &Area,
    module: &ModuleDecl,
    options: &Options,
    sources: &mut Sources,
    out: &mut Read,
) -> (HashMap<String, Value>, HashSet<String>) {
    // Later sources win: TF_VAR_*, tfvars files, then --var.
    let mut given: HashMap<String, Value> = HashMap::new();
    let mut from_environment: HashSet<String> = HashSet::new();
    let string_input = |name: &str| module.variables.get(name).is_none_or(|v| v.string_input);
    for (name, raw) in &options.env {
        given.insert(name.clone(), env_value(name, raw, string_input(name)));
        from_environment.insert(name.clone());
    }
    // Files in the root module are the tree's, under the reading rule;
    // `--var-file` files are the user's.
    let mut files: Vec<(PathBuf, Option<&Area>)> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if std::fs::symlink_metadata(&p).is_ok() {
            files.push((p, Some(area)));
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json"))
        })
        .collect();
    auto.sort();
    files.extend(auto.into_iter().map(|p| (p, Some(area))));
    files.extend(options.var_files.iter().map(|f| (PathBuf::from(f), None)));
    for (file, area) in files {
        match read_tfvars(&file, area, sources) {
            Ok(values) => {
                for (name, value) in values {
                    from_environment.remove(&name);
                    given.insert(name, value);
                }
            }
            Err(e) => out.errors.push(e),
        }
    }
    for (name, raw) in &options.vars {
        from_environment.remove(name);
        given.insert(name.clone(), raw_value(raw, string_input(name)));
    }
    let empty = NoContext;
    let mut vars = HashMap::new();
    for (name, decl) in &module.variables {
        let value = match given.remove(name) {
            Some(v) => v,
            None => match &decl.default {
                Some(d) => Scope::new(&empty)
                    .eval(&d.expr)
                    .unwrap_or_else(Value::unknown),
                None => Value::unknown(format!(
                    "`var.{name}` has no default and no value was given \
                     (terraform.tfvars, *.auto.tfvars, --var-file, --var, TF_VAR_{name})"
                )),
            },
        };
        vars.insert(name.clone(), value);
    }
    from_environment.retain(|name| module.variables.contains_key(name));
    (vars, from_environment)
}

/// A `TF_VAR_` value, like [`raw_value`], but a value that is not valid
/// HCL, or cannot be evaluated, is not quoted in the reason: it is a secret.
fn env_value(name: &str, raw: &str, string_input: bool) -> Value {
    if string_input {
        return Value::String(raw.to_string());
    }
    let evaluated = hcl_edit::parser::parse_expr(raw)
        .ok()
        .and_then(|expr| Scope::new(&NoContext).eval(&expr).ok());
    evaluated.unwrap_or_else(|| {
        Value::unknown(format!(
            "the value of `TF_VAR_{name}` is not an HCL value this tool evaluates"
        ))
    })
}

/// A `--var` or `TF_VAR_` value: a raw string for string-typed variables,
/// an HCL expression otherwise.
pub(super) fn raw_value(raw: &str, string_input: bool) -> Value {
    if string_input {
        return Value::String(raw.to_string());
    }
    match hcl_edit::parser::parse_expr(raw) {
        Ok(expr) => Scope::new(&NoContext)
            .eval(&expr)
            .unwrap_or_else(Value::unknown),
        Err(e) => Value::unknown(format!(
            "the value `{raw}` is not valid HCL: {}",
            e.message()
        )),
    }
}

pub(super) fn read_tfvars(
    path: &Path,
    area: Option<&Area>,
    sources: &mut Sources,
) -> Result<Vec<(String, Value)>, InputError> {
    let added = match area {
        Some(area) => add_file(path, area, sources),
        None => add_named_file(path, sources),
    };
    let id = match added {
        Ok(id) => id,
        // A blank variables file sets nothing.
        Err(InputError::Empty { .. }) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let source = sources.get(id);
    let name = &source.name;
    if name.ends_with(".json") {
        let json: BTreeMap<String, serde_json::Value> = serde_json::from_str(&source.text)
            .map_err(|e| {
                let at = crate::source::byte_offset(&source.text, e.line(), e.column());
                decl::hcl_error(
                    source,
                    at,
                    format!("`{name}` is not a JSON object of variable values: {e}"),
                    "here",
                )
            })?;
        return Ok(json
            .iter()
            .map(|(k, v)| (k.clone(), Value::from_json(v)))
            .collect());
    }
    let body = hcl_edit::parser::parse_body(&source.text).map_err(|e| {
        decl::hcl_error(
            source,
            e.location().offset(),
            format!("`{name}` is not valid HCL: {}", e.message()),
            "here",
        )
    })?;
    let mut out = Vec::new();
    for attr in body.attributes() {
        let v = Scope::new(&NoContext)
            .eval(&attr.value)
            .unwrap_or_else(Value::unknown);
        out.push((attr.key.as_str().to_string(), v));
    }
    Ok(out)
}
