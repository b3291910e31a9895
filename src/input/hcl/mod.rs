//! HCL mode: the claims a Terraform configuration makes, without a plan.
//!
//! Each root module directory is read the way Terraform reads it (every
//! `.tf`, `.tf.json`, `.tofu`, `.tofu.json` file), its input variables get
//! their values (defaults, `terraform.tfvars`, `*.auto.tfvars`, `TF_VAR_*`,
//! `--var-file`, `--var`), and every module instance is evaluated: local
//! module calls and those `terraform init` installed. Each distribution or
//! tenant instance becomes a [`Resource`] whose aliases point at the `.tf`
//! source; what cannot be evaluated becomes an unknown alias with the reason.

pub mod decl;
pub mod eval;
pub mod funcs;
pub mod ignore;
pub mod value;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use decl::{Attr, CallDecl, ModuleDecl, ResourceDecl};
use eval::{Context, Scope};
use value::Value;

use crate::error::InputError;
use crate::model::{
    Action, AliasEntry, AliasValue, CertificateUse, DomainName, ProviderConfig, Resource,
    ResourceKind, Span,
};
use crate::source::{Source, Sources};

/// Where variable values come from, besides the files in the root module.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--var NAME=VALUE`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order (after `vars` in precedence
    /// only where they come later on the command line; Terraform applies
    /// both in order, and so do we: files first, then `--var`).
    pub var_files: Vec<String>,
    /// `TF_VAR_name` values from the environment.
    pub env: Vec<(String, String)>,
    /// Treat every directory below the given ones that has configuration
    /// files as a root module.
    pub recursive: bool,
    /// `--state FILE`: the state of the root module(s); else each root's
    /// own `terraform.tfstate`, when there is one.
    pub state: Option<String>,
}

/// What reading the configuration produced.
#[derive(Debug, Default)]
pub struct Read {
    pub roots: Vec<String>,
    pub resources: Vec<Resource>,
    pub providers: Vec<ProviderConfig>,
    pub errors: Vec<InputError>,
    /// Things not checked, and why (a module not installed...).
    pub warnings: Vec<String>,
    pub ignores: Vec<ignore::InlineIgnore>,
}

/// Whether a path given on the command line is configuration (a directory
/// or a `.tf`-like file) rather than a plan.
pub fn is_config_path(path: &str) -> bool {
    let p = Path::new(path);
    p.is_dir()
        || p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            decl::is_config_file(n) || n.ends_with(".tfvars") || n.ends_with(".tfvars.json")
        })
}

/// Reads the root modules the paths name and evaluates them.
pub fn read(paths: &[String], options: &Options, sources: &mut Sources) -> Read {
    let mut out = Read::default();
    let mut roots: Vec<PathBuf> = Vec::new();
    for path in paths {
        let p = Path::new(path);
        let dir = if p.is_dir() {
            normalise(p)
        } else if p.is_file() {
            normalise(p.parent().unwrap_or(Path::new(".")))
        } else {
            out.errors.push(InputError::Io {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
            continue;
        };
        // A directory named on the command line must hold configuration:
        // a mistyped path is an error, never a clean run.
        let found = if options.recursive {
            let before = roots.len();
            walk(&dir, &mut roots, &mut out.errors);
            roots.len() > before || roots.iter().any(|r| r.starts_with(&dir))
        } else {
            let has_files = decl::module_files(&dir).is_ok_and(|f| !f.is_empty());
            if has_files && !roots.contains(&dir) {
                roots.push(dir.clone());
            }
            has_files
        };
        if !found {
            out.errors.push(InputError::NoConfiguration {
                path: path.clone(),
                recursive_hint: if options.recursive {
                    ""
                } else {
                    ", or add --recursive to check the directories below it"
                },
            });
        }
    }
    let mut loader = Loader::new(sources);
    let mut loaded = Vec::new();
    for dir in &roots {
        let Some(module) = loader.module(dir) else {
            continue;
        };
        loaded.push((dir.clone(), module));
    }
    if options.recursive {
        // A directory another root calls as a local module is that root's
        // child, not a root of its own: its variables come from the call.
        let called: Vec<PathBuf> = loaded
            .iter()
            .flat_map(|(dir, m)| {
                m.calls.iter().filter_map(move |c| {
                    let s = c.source.as_deref()?;
                    is_local(s).then(|| normalise(&dir.join(s)))
                })
            })
            .collect();
        loaded.retain(|(dir, _)| !called.contains(&normalise(dir)));
    }
    // A state belongs to one root module.
    let explicit_state = match (&options.state, loaded.len()) {
        (Some(state), 1) => Some(PathBuf::from(state)),
        (Some(state), n) if n > 1 => {
            out.errors.push(InputError::StateForManyRoots {
                path: state.clone(),
                roots: n,
            });
            return out;
        }
        _ => None,
    };
    for (dir, module) in loaded {
        let root = Root::new(&dir, &mut loader);
        let vars = root_vars(&dir, &module, options, loader.sources, &mut out);
        let first = out.resources.len();
        evaluate_root(&root, &module, vars, loader.sources, &mut out);
        let state_file = explicit_state
            .clone()
            .or_else(|| Some(dir.join("terraform.tfstate")).filter(|p| p.is_file()));
        if let Some(file) = state_file {
            match read_state(&file, loader.sources) {
                Ok(deployed) => apply_state(&deployed, &mut out.resources[first..]),
                Err(e) => out.errors.push(e),
            }
        }
        out.warnings.extend(root.warnings.into_inner());
        out.roots.push(dir.display().to_string());
    }
    let mut dirs: Vec<&PathBuf> = loader.modules.keys().collect();
    dirs.sort();
    for dir in dirs {
        if let Some(m) = &loader.modules[dir] {
            out.ignores.extend(m.ignores.iter().cloned());
        }
    }
    out.errors.append(&mut loader.errors);
    out.errors.append(&mut loader.ignore_errors);
    out
}

fn evaluate_root(
    root: &Root,
    module: &ModuleDecl,
    vars: HashMap<String, Value>,
    sources: &Sources,
    out: &mut Read,
) {
    let instance = Instance {
        decl: module,
        root,
        vars,
        address: String::new(),
        key: String::new(),
        rel_dir: ".".into(),
        providers: [("aws".to_string(), "aws".to_string())].into(),
        locals: RefCell::new(HashMap::new()),
        evaluating: RefCell::new(Vec::new()),
        outputs: RefCell::new(HashMap::new()),
        depth: 0,
    };
    for p in &module.providers {
        if p.name != "aws" {
            continue;
        }
        let key = match &p.alias {
            Some(a) => format!("aws.{a}"),
            None => "aws".into(),
        };
        let text = |a: &Option<Attr>| {
            let a = a.as_ref()?;
            match Scope::new(&instance).eval(&a.expr) {
                Ok(Value::String(s)) => Some(s),
                _ => None,
            }
        };
        let config = ProviderConfig {
            key,
            profile: text(&p.profile),
            role_arn: text(&p.role_arn),
            region: text(&p.region),
        };
        out.providers.push(config);
    }
    instance.walk(sources, out);
}

/// Reads a file into `sources`, named by its normalised path. A blank file
/// is `InputError::Empty`.
fn add_file(file: &Path, sources: &mut Sources) -> Result<crate::model::SourceId, InputError> {
    let name = normalise(file).display().to_string();
    let bytes = std::fs::read(file).map_err(|source| InputError::Io {
        path: name.clone(),
        source,
    })?;
    Ok(sources.add(Source::decode(&name, bytes)?))
}

fn read_state(
    file: &Path,
    sources: &mut Sources,
) -> Result<HashMap<String, crate::input::state::Deployed>, InputError> {
    let id = add_file(file, sources)?;
    crate::input::state::read(sources.get(id))
}

/// What the state says about each resource: a deployed one is updated, not
/// created, keeps its ID, and claims only the aliases it does not hold yet.
fn apply_state(
    deployed: &HashMap<String, crate::input::state::Deployed>,
    resources: &mut [Resource],
) {
    for r in resources {
        if let Some(d) = deployed.get(&r.address) {
            r.distribution_id = Some(d.id.clone());
            r.before = d.aliases.clone();
            r.action = Action::Update;
        }
        r.state_known = true;
    }
}

fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// `path` without `.` parts and with `..` resolved where it can be; `.`
/// for the current directory.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Directories below `dir` with configuration files, skipping hidden
/// directories (`.terraform`, `.git`) and `node_modules`.
fn walk(dir: &Path, roots: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) => {
            errors.push(InputError::Io {
                path: dir.display().to_string(),
                source,
            });
            return;
        }
    };
    let mut has_config = false;
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && name != "node_modules" {
                subdirs.push(entry.path());
            }
        } else if decl::is_config_file(name) {
            has_config = true;
        }
    }
    let dir = normalise(dir);
    if has_config && !roots.contains(&dir) {
        roots.push(dir.clone());
    }
    subdirs.sort();
    for d in subdirs {
        walk(&d, roots, errors);
    }
}

/// Reads module directories once each.
struct Loader<'s> {
    sources: &'s mut Sources,
    modules: HashMap<PathBuf, Option<Rc<ModuleDecl>>>,
    /// Files that could not be read or parsed.
    errors: Vec<InputError>,
    /// Malformed `cname-preflight:ignore` comments.
    ignore_errors: Vec<InputError>,
}

impl<'s> Loader<'s> {
    fn new(sources: &'s mut Sources) -> Self {
        Loader {
            sources,
            modules: HashMap::new(),
            errors: Vec::new(),
            ignore_errors: Vec::new(),
        }
    }
}

impl Loader<'_> {
    fn module(&mut self, dir: &Path) -> Option<Rc<ModuleDecl>> {
        let key = normalise(dir);
        if let Some(m) = self.modules.get(&key) {
            return m.clone();
        }
        let loaded = self.load(dir);
        self.modules.insert(key, loaded.clone());
        loaded
    }

    fn load(&mut self, dir: &Path) -> Option<Rc<ModuleDecl>> {
        let files = match decl::module_files(dir) {
            Ok(f) => f,
            Err(source) => {
                self.errors.push(InputError::Io {
                    path: dir.display().to_string(),
                    source,
                });
                return None;
            }
        };
        let mut module = ModuleDecl {
            dir: dir.to_path_buf(),
            ..ModuleDecl::default()
        };
        for file in files {
            let id = match add_file(&file, self.sources) {
                Ok(id) => id,
                // Terraform reads a blank file as an empty module file.
                Err(InputError::Empty { .. }) => continue,
                Err(e) => {
                    self.errors.push(e);
                    continue;
                }
            };
            let first = module.resources.len();
            if let Err(e) = decl::read_file(self.sources.get(id), id, &mut module) {
                self.errors.push(e);
            }
            for r in &module.resources[first..] {
                if r.type_name != decl::DISTRIBUTION && r.type_name != decl::TENANT {
                    continue;
                }
                match ignore::of_resource(self.sources.get(id), r) {
                    Ok(found) => module.ignores.extend(found),
                    Err(e) => self.ignore_errors.push(e),
                }
            }
        }
        Some(Rc::new(module))
    }
}

/// What every module instance of one root shares.
struct Root {
    dir: PathBuf,
    workspace: String,
    /// Installed modules by key (`a.b`), from `.terraform/modules/modules.json`.
    installed: HashMap<String, PathBuf>,
    /// Module directories, loaded for this root.
    modules: HashMap<PathBuf, Option<Rc<ModuleDecl>>>,
    warnings: RefCell<Vec<String>>,
}

#[derive(serde::Deserialize)]
struct ModulesJson {
    #[serde(rename = "Modules", default)]
    modules: Vec<ModuleEntry>,
}

#[derive(serde::Deserialize)]
struct ModuleEntry {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

impl Root {
    fn new(dir: &Path, loader: &mut Loader) -> Root {
        let dot = dir.join(".terraform");
        let installed: HashMap<String, PathBuf> = std::fs::read(dot.join("modules/modules.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<ModulesJson>(&b).ok())
            .map(|m| {
                m.modules
                    .into_iter()
                    .filter(|e| !e.key.is_empty())
                    .map(|e| (e.key, dir.join(e.dir)))
                    .collect()
            })
            .unwrap_or_default();
        let workspace = std::env::var("TF_WORKSPACE")
            .ok()
            .or_else(|| std::fs::read_to_string(dot.join("environment")).ok())
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "default".into());
        let mut root = Root {
            dir: dir.to_path_buf(),
            workspace,
            installed,
            modules: HashMap::new(),
            warnings: RefCell::new(Vec::new()),
        };
        // Load every module this root can reach, before evaluating.
        if let Some(m) = loader.module(dir) {
            root.load_calls(&m, dir, "", loader, 0);
        }
        root
    }

    fn load_calls(
        &mut self,
        module: &ModuleDecl,
        dir: &Path,
        key: &str,
        loader: &mut Loader,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        for call in &module.calls {
            let child_key = if key.is_empty() {
                call.name.clone()
            } else {
                format!("{key}.{}", call.name)
            };
            let Some(child_dir) = self.resolve(dir, &child_key, call) else {
                continue;
            };
            let k = normalise(&child_dir);
            if self.modules.contains_key(&k) {
                continue;
            }
            let child = loader.module(&child_dir);
            self.modules.insert(k, child.clone());
            if let Some(child) = child {
                self.load_calls(&child, &child_dir, &child_key, loader, depth + 1);
            }
        }
    }

    /// The directory of a module call: where `terraform init` installed it,
    /// else the local path.
    fn resolve(&self, parent_dir: &Path, key: &str, call: &CallDecl) -> Option<PathBuf> {
        if let Some(dir) = self.installed.get(key) {
            return Some(dir.clone());
        }
        match call.source.as_deref() {
            Some(s) if is_local(s) => Some(parent_dir.join(s)),
            _ => None,
        }
    }

    fn module(&self, dir: &Path) -> Option<&ModuleDecl> {
        self.modules.get(&normalise(dir)).and_then(|m| m.as_deref())
    }
}

/// The root module's variable values, by Terraform's precedence.
fn root_vars(
    dir: &Path,
    module: &ModuleDecl,
    options: &Options,
    sources: &mut Sources,
    out: &mut Read,
) -> HashMap<String, Value> {
    // Later sources win: TF_VAR_*, tfvars files, then --var.
    let mut given: HashMap<String, Value> = HashMap::new();
    let string_input = |name: &str| module.variables.get(name).is_none_or(|v| v.string_input);
    for (name, raw) in &options.env {
        given.insert(name.clone(), raw_value(raw, string_input(name)));
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(name);
        if p.is_file() {
            files.push(p);
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
    files.extend(auto);
    files.extend(options.var_files.iter().map(PathBuf::from));
    for file in files {
        match read_tfvars(&file, sources) {
            Ok(values) => {
                given.extend(values);
            }
            Err(e) => out.errors.push(e),
        }
    }
    for (name, raw) in &options.vars {
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
    vars
}

/// A `--var` or `TF_VAR_` value: a raw string for string-typed variables,
/// an HCL expression otherwise.
fn raw_value(raw: &str, string_input: bool) -> Value {
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

fn read_tfvars(path: &Path, sources: &mut Sources) -> Result<Vec<(String, Value)>, InputError> {
    let id = match add_file(path, sources) {
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
                let at = crate::input::plan::byte_offset(&source.text, e.line(), e.column());
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

/// Where no names are defined: variable defaults and `.tfvars` values.
struct NoContext;

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
struct Instance<'a> {
    decl: &'a ModuleDecl,
    root: &'a Root,
    vars: HashMap<String, Value>,
    /// `module.a["x"].module.b`, empty in the root.
    address: String,
    /// `a.b`, the key of `.terraform/modules/modules.json`.
    key: String,
    /// `path.module`.
    rel_dir: String,
    /// Provider names this module uses (`aws`, `aws.x`) -> root keys.
    providers: HashMap<String, String>,
    locals: RefCell<HashMap<String, eval::Result<Value>>>,
    evaluating: RefCell<Vec<String>>,
    /// `module.NAME` values (the outputs of its instances), once each.
    outputs: RefCell<HashMap<String, eval::Result<Value>>>,
    depth: usize,
}

impl Context for Instance<'_> {
    fn variable(&self, name: &str) -> eval::Result<Value> {
        self.vars
            .get(name)
            .cloned()
            .ok_or_else(|| format!("there is no variable `{name}` in this module"))
    }

    fn local(&self, name: &str) -> eval::Result<Value> {
        if let Some(v) = self.locals.borrow().get(name) {
            return v.clone();
        }
        let attr = self
            .decl
            .locals
            .get(name)
            .ok_or_else(|| format!("there is no local value `{name}` in this module"))?;
        if self.evaluating.borrow().iter().any(|n| n == name) {
            return Err(format!("`local.{name}` refers to itself"));
        }
        self.evaluating.borrow_mut().push(name.to_string());
        let v = Scope::new(self).eval(&attr.expr);
        self.evaluating.borrow_mut().pop();
        self.locals.borrow_mut().insert(name.to_string(), v.clone());
        v
    }

    fn module(&self, name: &str) -> eval::Result<Value> {
        if let Some(v) = self.outputs.borrow().get(name) {
            return v.clone();
        }
        let v = self.module_outputs(name);
        self.outputs
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

    fn read_file(&self, path: &str) -> eval::Result<String> {
        let full = self.root.dir.join(path);
        std::fs::read_to_string(&full).map_err(|e| format!("cannot read `{path}`: {e}"))
    }
}

/// The key of one instance of a resource or module call.
#[derive(Debug, Clone, PartialEq)]
enum InstanceKey {
    None,
    Index(usize),
    Name(String),
    /// `count` or `for_each` is not known: one instance stands for all.
    Unknown,
}

impl InstanceKey {
    fn suffix(&self) -> String {
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

fn expand(scope: &mut Scope, count: Option<&Attr>, for_each: Option<&Attr>) -> Expansion {
    if let Some(count) = count {
        return match scope.eval(&count.expr) {
            Ok(Value::Number(n)) if n >= 0.0 => (0..n as usize)
                .map(|i| (InstanceKey::Index(i), Some(Value::Number(i as f64)), None))
                .collect(),
            Ok(Value::Unknown(r)) => vec![(
                InstanceKey::Unknown,
                Some(Value::Unknown(format!("`count` is not known: {r}").into())),
                None,
            )],
            Ok(other) => vec![(
                InstanceKey::Unknown,
                Some(Value::unknown(format!(
                    "`count` is {other}, not a whole number"
                ))),
                None,
            )],
            Err(e) => vec![(
                InstanceKey::Unknown,
                Some(Value::unknown(format!("`count` cannot be evaluated: {e}"))),
                None,
            )],
        };
    }
    let Some(for_each) = for_each else {
        return vec![(InstanceKey::None, None, None)];
    };
    let unknown = |reason: String| {
        let v = Value::unknown(reason);
        vec![(InstanceKey::Unknown, None, Some((v.clone(), v)))]
    };
    match scope.eval(&for_each.expr) {
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
                    Value::Unknown(r) => return unknown(format!("`for_each` is not known: {r}")),
                    other => {
                        return unknown(format!(
                            "`for_each` over a set needs strings, got {other}"
                        ));
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
    }
}

impl<'a> Instance<'a> {
    /// The value of `module.NAME`: its outputs per instance, evaluated in
    /// the child instances.
    fn module_outputs(&self, name: &str) -> eval::Result<Value> {
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
                let v = Scope::new(child)
                    .eval(&attr.expr)
                    .unwrap_or_else(Value::unknown);
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
    fn children(&self, call: &CallDecl) -> eval::Result<Option<Vec<(InstanceKey, Instance<'a>)>>> {
        if self.depth > 16 {
            return Err("modules are nested more than 16 deep".into());
        }
        let key = if self.key.is_empty() {
            call.name.clone()
        } else {
            format!("{}.{}", self.key, call.name)
        };
        let Some(dir) = self.root.resolve(&self.decl.dir, &key, call) else {
            return Ok(None);
        };
        let Some(decl) = self.root.module(&dir) else {
            return Ok(None);
        };
        let mut out = Vec::new();
        let mut scope = Scope::new(self);
        for (ikey, count, each) in expand(&mut scope, call.count.as_ref(), call.for_each.as_ref()) {
            let mut scope = Scope::new(self);
            scope.count = count;
            scope.each = each;
            let mut vars = HashMap::new();
            for (name, v) in &decl.variables {
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
                    address,
                    key: key.clone(),
                    rel_dir,
                    providers,
                    locals: RefCell::new(HashMap::new()),
                    evaluating: RefCell::new(Vec::new()),
                    outputs: RefCell::new(HashMap::new()),
                    depth: self.depth + 1,
                },
            ));
        }
        Ok(Some(out))
    }

    /// Adds the distributions and tenants of this instance and its children.
    fn walk(&self, sources: &Sources, out: &mut Read) {
        for r in &self.decl.resources {
            let kind = match r.type_name.as_str() {
                decl::DISTRIBUTION => ResourceKind::Distribution,
                decl::TENANT => ResourceKind::Tenant,
                _ => continue,
            };
            let mut scope = Scope::new(self);
            for (ikey, count, each) in expand(&mut scope, r.count.as_ref(), r.for_each.as_ref()) {
                let mut scope = Scope::new(self);
                scope.count = count;
                scope.each = each;
                out.resources
                    .push(self.resource(r, kind, &ikey, &mut scope, sources));
            }
        }
        for call in &self.decl.calls {
            match self.children(call) {
                Ok(Some(children)) => {
                    for (_, child) in children {
                        child.walk(sources, out);
                    }
                }
                // A local module that cannot be read is already an input
                // error; a remote one is simply not installed.
                Ok(None) => {
                    if !call.source.as_deref().is_some_and(is_local) {
                        self.root.warnings.borrow_mut().push(format!(
                            "`{}module.{}` (source `{}`) was not checked: it is not installed; \
                             run `terraform init` (or `terraform get`) so the aliases it makes can be read",
                            with_dot(&self.address),
                            call.name,
                            call.source.as_deref().unwrap_or("?")
                        ));
                    }
                }
                Err(e) => self.root.warnings.borrow_mut().push(format!(
                    "`{}module.{}` was not checked: {e}",
                    with_dot(&self.address),
                    call.name
                )),
            }
        }
    }

    fn resource(
        &self,
        r: &ResourceDecl,
        kind: ResourceKind,
        key: &InstanceKey,
        scope: &mut Scope,
        sources: &Sources,
    ) -> Resource {
        let address = format!(
            "{}{}.{}{}",
            with_dot(&self.address),
            r.type_name,
            r.name,
            key.suffix()
        );
        let mut after = Vec::new();
        let mut after_span = None;
        match kind {
            ResourceKind::Distribution => {
                if let Some(attr) = &r.aliases {
                    after_span = Some(Span {
                        len: 1,
                        ..attr.span
                    });
                    let v = scope.eval(&attr.expr);
                    after = entries(v, attr, sources, "aliases");
                }
            }
            ResourceKind::Tenant => {
                for attr in &r.domains {
                    after_span.get_or_insert(Span {
                        len: 1,
                        ..attr.span
                    });
                    let v = scope.eval(&attr.expr).map(|v| Value::List(vec![v]));
                    after.extend(entries(v, attr, sources, "domain"));
                }
                for d in &r.dynamic_domains {
                    after_span.get_or_insert(Span { len: 1, ..d.span });
                    after.extend(self.dynamic_domains(d, scope, sources));
                }
            }
        }
        let provider_key = r.provider.as_deref().or(Some("aws")).map(|p| {
            self.providers
                .get(p)
                .cloned()
                .unwrap_or_else(|| p.to_string())
        });
        let text =
            |name: &str, scope: &mut Scope| match r.args.get(name).map(|a| scope.eval(&a.expr)) {
                Some(Ok(Value::String(s))) => Some(s),
                _ => None,
            };
        let boolean =
            |name: &str, scope: &mut Scope| match r.args.get(name).map(|a| scope.eval(&a.expr)) {
                Some(Ok(Value::Bool(b))) => Some(b),
                _ => None,
            };
        let certificate = match kind {
            ResourceKind::Distribution => self.certificate(r, scope),
            ResourceKind::Tenant => CertificateUse::Unknown,
        };
        Resource {
            kind,
            address,
            // The input this resource comes from: its root module, as a plan
            // file is for plan resources.
            file: normalise(&self.root.dir).display().to_string(),
            module_address: self.address.clone(),
            action: Action::Create,
            action_reason: None,
            provider_key,
            span: r.span,
            before: Vec::new(),
            after,
            after_span,
            distribution_id: None,
            parent_distribution_id: match kind {
                ResourceKind::Tenant => text("distribution_id", scope),
                ResourceKind::Distribution => None,
            },
            domain_name: None,
            retain_on_delete: boolean("retain_on_delete", scope).unwrap_or(false),
            wait_for_deployment: boolean("wait_for_deployment", scope).unwrap_or(true),
            certificate,
            depends_on: Vec::new(),
            from_config: true,
            state_known: false,
        }
    }

    fn dynamic_domains(
        &self,
        d: &decl::DynamicDomain,
        scope: &mut Scope,
        sources: &Sources,
    ) -> Vec<AliasEntry> {
        let Some(content) = &d.domain else {
            return Vec::new();
        };
        let items = match scope
            .eval(&d.for_each.expr)
            .and_then(|v| v.iterate("`for_each` of a dynamic block"))
        {
            Ok(value::Iteration::Pairs(items)) => items,
            Ok(value::Iteration::Unknown(r)) => {
                return entries(Ok(Value::Unknown(r)), &d.for_each, sources, "domain");
            }
            Err(e) => return entries(Err(e), &d.for_each, sources, "domain"),
        };
        let mut values = Vec::new();
        for (k, v) in items {
            let mut object = BTreeMap::new();
            object.insert("key".to_string(), k);
            object.insert("value".to_string(), v);
            scope
                .bindings
                .push((d.iterator.clone(), Value::Object(object)));
            let v = scope.eval(&content.expr);
            scope.bindings.pop();
            match v {
                Ok(v) => values.push(v),
                Err(e) => return entries(Err(e), content, sources, "domain"),
            }
        }
        entries(Ok(Value::List(values)), content, sources, "domain")
    }

    /// The certificate from `viewer_certificate`: an ACM certificate of
    /// this module by reference (its names evaluated), an ARN, the default
    /// certificate, or an IAM certificate.
    fn certificate(&self, r: &ResourceDecl, scope: &mut Scope) -> CertificateUse {
        if let Some(arn) = r.args.get("acm_certificate_arn") {
            if let Some((resource, names)) = self.certificate_by_ref(&arn.expr, 0) {
                return CertificateUse::Acm {
                    arn: None,
                    resource: Some(resource),
                    names,
                };
            }
            return match scope.eval(&arn.expr) {
                Ok(Value::String(s)) if !s.is_empty() => CertificateUse::Acm {
                    arn: Some(s),
                    resource: None,
                    names: None,
                },
                Ok(Value::String(_)) | Ok(Value::Null) => self.other_certificate(r, scope),
                _ => CertificateUse::Acm {
                    arn: None,
                    resource: None,
                    names: None,
                },
            };
        }
        self.other_certificate(r, scope)
    }

    fn other_certificate(&self, r: &ResourceDecl, scope: &mut Scope) -> CertificateUse {
        if let Some(Ok(Value::String(id))) = r
            .args
            .get("iam_certificate_id")
            .map(|a| scope.eval(&a.expr))
            && !id.is_empty()
        {
            return CertificateUse::Iam { id };
        }
        match r
            .args
            .get("cloudfront_default_certificate")
            .map(|a| scope.eval(&a.expr))
        {
            Some(Ok(Value::Bool(true))) => CertificateUse::CloudFrontDefault,
            _ => CertificateUse::Unknown,
        }
    }

    /// `aws_acm_certificate.x.arn` or
    /// `aws_acm_certificate_validation.x.certificate_arn` -> the certificate's
    /// address and names (None when they are not all known).
    fn certificate_by_ref(
        &self,
        expr: &hcl_edit::expr::Expression,
        depth: usize,
    ) -> Option<(String, Option<Vec<DomainName>>)> {
        use hcl_edit::template::Element;
        if let hcl_edit::expr::Expression::StringTemplate(t) = expr
            && let [Element::Interpolation(i)] = t.iter().collect::<Vec<_>>()[..]
        {
            return self.certificate_by_ref(&i.expr, depth);
        }
        let hcl_edit::expr::Expression::Traversal(t) = expr else {
            return None;
        };
        let hcl_edit::expr::Expression::Variable(root) = &t.expr else {
            return None;
        };
        let name = match t.operators.first().map(|o| o.value()) {
            Some(hcl_edit::expr::TraversalOperator::GetAttr(n)) => n.as_str().to_string(),
            _ => return None,
        };
        let decl = self
            .decl
            .resources
            .iter()
            .find(|r| r.type_name == root.as_str() && r.name == name)?;
        if decl.count.is_some() || decl.for_each.is_some() {
            return None;
        }
        match root.as_str() {
            decl::CERTIFICATE_VALIDATION if depth == 0 => {
                let inner = decl.args.get("certificate_arn")?;
                self.certificate_by_ref(&inner.expr, 1)
            }
            decl::CERTIFICATE => {
                let address = format!("{}{}.{}", with_dot(&self.address), decl::CERTIFICATE, name);
                let mut scope = Scope::new(self);
                let mut names = Vec::new();
                let mut known = true;
                if let Some(a) = decl.args.get("domain_name") {
                    match scope.eval(&a.expr) {
                        Ok(Value::String(s)) => names.push(DomainName::new(&s)),
                        _ => known = false,
                    }
                }
                if let Some(a) = decl.args.get("subject_alternative_names") {
                    match scope.eval(&a.expr) {
                        Ok(Value::List(items))
                            if items.iter().all(|i| matches!(i, Value::String(_))) =>
                        {
                            names.extend(items.iter().filter_map(|i| match i {
                                Value::String(s) => Some(DomainName::new(s)),
                                _ => None,
                            }))
                        }
                        _ => known = false,
                    }
                }
                Some((address, (known && !names.is_empty()).then_some(names)))
            }
            _ => None,
        }
    }
}

fn with_dot(address: &str) -> String {
    if address.is_empty() {
        String::new()
    } else {
        format!("{address}.")
    }
}

/// `dir` relative to `base`, for `path.module`.
fn pathdiff(dir: &Path, base: &Path) -> String {
    let dir = normalise(dir);
    let base = normalise(base);
    match dir.strip_prefix(&base) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => dir.display().to_string(),
    }
}

/// The alias entries of an evaluated `aliases` (or tenant `domain`) value.
fn entries(
    value: eval::Result<Value>,
    attr: &Attr,
    sources: &Sources,
    what: &str,
) -> Vec<AliasEntry> {
    let written = {
        let t = sources.text(attr.span).trim();
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.chars().count() > 80 {
            format!("{}...", t.chars().take(77).collect::<String>())
        } else {
            t
        }
    };
    let unknown = |span: Span, reason: String| AliasEntry {
        value: AliasValue::Unknown { reason },
        span,
        sensitive: false,
    };
    let items = match value {
        Err(e) => {
            return vec![unknown(
                attr.span,
                format!("`{written}` cannot be evaluated: {e}"),
            )];
        }
        Ok(Value::Unknown(r)) => return vec![unknown(attr.span, format!("`{written}`: {r}"))],
        Ok(Value::Null) => return Vec::new(),
        Ok(Value::List(items)) => items,
        Ok(other) => {
            return vec![unknown(
                attr.span,
                format!(
                    "`{written}` is a {}, not a list of names; Terraform will refuse it",
                    other.type_name()
                ),
            )];
        }
    };
    let nested = items.iter().any(|i| matches!(i, Value::List(_)));
    let mut flat = Vec::new();
    funcs::flatten_into(items, &mut flat);
    let spans = match &attr.elements {
        Some(spans) if !nested && spans.len() == flat.len() => spans.clone(),
        _ => vec![attr.span; flat.len()],
    };
    let mut out = Vec::new();
    for (v, span) in flat.into_iter().zip(spans) {
        match v {
            Value::String(s) => out.push(AliasEntry {
                value: AliasValue::known(&s),
                span,
                sensitive: false,
            }),
            Value::Unknown(r) => out.push(unknown(span, format!("`{written}`: {r}"))),
            Value::Null => {}
            other => out.push(unknown(
                span,
                format!(
                    "an element of `{what}` is a {}, not a name",
                    other.type_name()
                ),
            )),
        }
    }
    out
}

/// Where the resources of a configuration are written: plan findings point
/// at the `.tf` lines through it (`--config-dir`).
pub struct ConfigIndex {
    root: Root,
    module: Option<Rc<ModuleDecl>>,
    /// Inline suppressions of the configuration's distributions and tenants.
    pub ignores: Vec<ignore::InlineIgnore>,
    /// Suppression comments that are malformed: errors, as in HCL mode.
    pub errors: Vec<InputError>,
    /// Files that could not be read or parsed: findings fall back to the plan.
    pub notes: Vec<String>,
}

/// Reads the configuration in `dir` (and the modules it calls) for
/// [`ConfigIndex::locate`].
pub fn index(dir: &Path, sources: &mut Sources) -> ConfigIndex {
    let mut loader = Loader::new(sources);
    let module = loader.module(dir);
    let root = Root::new(dir, &mut loader);
    let mut index = ConfigIndex {
        root,
        module,
        ignores: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
    };
    for m in loader.modules.values().flatten() {
        index.ignores.extend(m.ignores.iter().cloned());
    }
    index.errors = loader.ignore_errors;
    index.notes = loader
        .errors
        .iter()
        .map(|e| format!("{}: {e}", e.path()))
        .collect();
    index
}

impl ConfigIndex {
    /// The span to point at for `alias` of the resource at `address`: the
    /// alias in a list written out, else the `aliases` attribute (or the
    /// tenant's `domain`), else the resource block's header.
    pub fn locate(&self, address: &str, alias: Option<&str>) -> Result<Span, String> {
        let address = address.split(" (deposed").next().unwrap_or(address);
        let mut segments = crate::input::address::segments(address);
        let last = segments.pop().ok_or("an empty address")?;
        let mut decl: &ModuleDecl = self
            .module
            .as_deref()
            .ok_or_else(|| format!("no configuration in `{}`", self.root.dir.display()))?;
        let mut key = String::new();
        for segment in &segments {
            let name = crate::input::address::strip_keys(segment);
            let name = name.strip_prefix("module.").unwrap_or(&name).to_string();
            let call =
                decl.calls.iter().find(|c| c.name == name).ok_or_else(|| {
                    format!("`{}` has no module call `{name}`", decl.dir.display())
                })?;
            key = if key.is_empty() {
                name.clone()
            } else {
                format!("{key}.{name}")
            };
            let dir = self
                .root
                .resolve(&decl.dir, &key, call)
                .ok_or_else(|| format!("module `{key}` is not installed (run `terraform init`)"))?;
            decl = self.root.module(&dir).ok_or_else(|| {
                format!("module `{key}` in `{}` could not be read", dir.display())
            })?;
        }
        let last = crate::input::address::strip_keys(&last);
        let (type_name, name) = last.split_once('.').ok_or("not a resource address")?;
        let r = decl
            .resources
            .iter()
            .find(|r| r.type_name == type_name && r.name == name)
            .ok_or_else(|| format!("`{}` declares no `{type_name}.{name}`", decl.dir.display()))?;
        let literal = |attr: &Attr| -> Option<Span> {
            let alias = alias?;
            match &attr.expr {
                hcl_edit::expr::Expression::Array(items) => items
                    .iter()
                    .zip(attr.elements.iter().flatten())
                    .find(|(e, _)| matches!(e, hcl_edit::expr::Expression::String(s) if s.value() == alias))
                    .map(|(_, span)| *span),
                hcl_edit::expr::Expression::String(s) if s.value() == alias => Some(attr.span),
                _ => None,
            }
        };
        if let Some(attr) = &r.aliases {
            return Ok(literal(attr).unwrap_or(attr.span));
        }
        if let Some(span) = r.domains.iter().find_map(literal) {
            return Ok(span);
        }
        Ok(r.domains
            .first()
            .map(|a| a.span)
            .or(r.dynamic_domains.first().map(|d| d.span))
            .unwrap_or(r.span))
    }
}
