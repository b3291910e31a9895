//! Reading module directories once each, and a root module's view of the
//! modules it reaches: local calls and those `terraform init` installed
//! (`.terraform/modules/modules.json`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::decl::{self, CallDecl, ModuleDecl};
use super::discovery::{is_local, normalise};
use super::ignore;
use super::listing::{self, Engine};
use crate::error::InputError;
use crate::input::reading::{Area, MAX_TREE_FILE};
use crate::source::Sources;

/// Reads module directories once each.
pub(super) struct Loader<'s> {
    pub(super) sources: &'s mut Sources,
    /// By area and directory: one directory read for two repositories is
    /// read under each one's rule.
    pub(super) modules: HashMap<(PathBuf, PathBuf), Option<Rc<ModuleDecl>>>,
    /// Where the files of the root module being loaded must be.
    pub(super) area: Option<Area>,
    pub(super) engine: Option<Engine>,
    /// `.tf` files a `.tofu` file hid, said once each.
    pub(super) warnings: Vec<String>,
    /// Files that could not be read or parsed.
    pub(super) errors: Vec<InputError>,
    /// Malformed `cname-preflight:ignore` comments.
    pub(super) ignore_errors: Vec<InputError>,
    /// The inline suppressions of each module directory's distributions and
    /// tenants, collected beside its declarations.
    pub(super) ignores: std::collections::BTreeMap<PathBuf, Vec<crate::policy::InlineIgnore>>,
}

impl<'s> Loader<'s> {
    pub(super) fn new(sources: &'s mut Sources, engine: Option<Engine>) -> Self {
        Loader {
            sources,
            modules: HashMap::new(),
            area: None,
            engine,
            warnings: Vec::new(),
            errors: Vec::new(),
            ignore_errors: Vec::new(),
            ignores: std::collections::BTreeMap::new(),
        }
    }
}

impl Loader<'_> {
    /// Sets the area of the root module about to be loaded: the
    /// repository holding `dir`, else `dir`. False (and an error) when the
    /// root module breaks the reading rule.
    pub(super) fn enter(&mut self, dir: &Path) -> bool {
        match Area::of_root(dir) {
            Ok(area) => {
                self.area = Some(area);
                true
            }
            Err(e) => {
                self.errors.push(e);
                false
            }
        }
    }

    pub(super) fn area(&self) -> Area {
        self.area
            .clone()
            .expect("a root module is entered before it is loaded")
    }

    pub(super) fn module(&mut self, dir: &Path) -> Option<Rc<ModuleDecl>> {
        let key = (self.area().root().to_path_buf(), normalise(dir));
        if let Some(m) = self.modules.get(&key) {
            return m.clone();
        }
        let loaded = self.load(dir);
        self.modules.insert(key, loaded.clone());
        loaded
    }

    pub(super) fn load(&mut self, dir: &Path) -> Option<Rc<ModuleDecl>> {
        let area = self.area();
        let files = match listing::module_files(dir, &area, self.engine) {
            Ok(listing) => {
                for (tf, tofu) in &listing.shadowed {
                    let warning = listing::shadowed_warning(tf, tofu);
                    if !self.warnings.contains(&warning) {
                        self.warnings.push(warning);
                    }
                }
                listing.files
            }
            Err(e) => {
                self.errors.push(e);
                return None;
            }
        };
        let mut module = ModuleDecl {
            dir: dir.to_path_buf(),
            ..ModuleDecl::default()
        };
        let mut ignores = Vec::new();
        for file in files {
            let id = match add_file(&file, &area, self.sources) {
                Ok(id) => id,
                // Terraform reads a blank file as an empty module file.
                Err(InputError::Empty { .. }) => continue,
                Err(e) => {
                    self.errors.push(e);
                    continue;
                }
            };
            let first = module.resources.len();
            if let Err(e) = super::syntax::read_file(self.sources.get(id), id, &mut module) {
                self.errors.push(e);
            }
            for r in &module.resources[first..] {
                if r.type_name != decl::DISTRIBUTION && r.type_name != decl::TENANT {
                    continue;
                }
                match ignore::of_resource(self.sources.get(id), r) {
                    Ok(found) => ignores.extend(found),
                    Err(e) => self.ignore_errors.push(e),
                }
            }
        }
        self.ignores.insert(normalise(dir), ignores);
        Some(Rc::new(module))
    }
}

/// What every module instance of one root shares.
pub(super) struct Root {
    pub(super) dir: PathBuf,
    /// Where every file this root reads must be (crate::input::reading).
    pub(super) area: Area,
    /// Module directories refused by the reading rule (said as errors).
    pub(super) refused: std::collections::HashSet<PathBuf>,
    /// Files `file()` and friends were refused by the reading rule.
    pub(super) refusals: RefCell<Vec<InputError>>,
    /// Literal `count` and `for_each` values Terraform refuses, once each.
    pub(super) invalid: RefCell<Vec<(crate::model::Span, String)>>,
    pub(super) workspace: String,
    /// Installed modules by key (`a.b`), from `.terraform/modules/modules.json`.
    pub(super) installed: HashMap<String, PathBuf>,
    /// Module directories, loaded for this root.
    pub(super) modules: HashMap<PathBuf, Option<Rc<ModuleDecl>>>,
    pub(super) warnings: RefCell<Vec<String>>,
    /// Evaluation steps left for this root module and everything it calls.
    pub(super) work: std::cell::Cell<u64>,
    /// Module instances made so far under this root.
    pub(super) instances: std::cell::Cell<usize>,
    /// Whether the instance limit was reached (and said).
    pub(super) capped: std::cell::Cell<bool>,
    /// Whether the nesting limit was reached (and said).
    pub(super) too_deep: std::cell::Cell<bool>,
}

/// Module instances one root module may make in all (a module called twice
/// per level, sixteen levels deep, would make 131,070).
pub(super) const MAX_MODULE_INSTANCES: usize = 10_000;

/// Evaluation steps one root module may take: far past real configurations,
/// short of hanging a CI job.
pub(super) const WORK_BUDGET: u64 = 20_000_000;

impl Root {
    pub(super) fn tick(&self) -> Result<(), String> {
        match self.work.get() {
            0 => Err(format!(
                "the evaluation of this root module went past {WORK_BUDGET} steps"
            )),
            n => {
                self.work.set(n - 1);
                Ok(())
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub(super) struct ModulesJson {
    #[serde(rename = "Modules", default)]
    pub(super) modules: Vec<ModuleEntry>,
}

#[derive(serde::Deserialize)]
pub(super) struct ModuleEntry {
    #[serde(rename = "Key")]
    pub(super) key: String,
    #[serde(rename = "Dir")]
    pub(super) dir: String,
}

impl Root {
    pub(super) fn new(dir: &Path, workspace: Option<&str>, loader: &mut Loader) -> Root {
        let area = loader.area();
        let dot = dir.join(".terraform");
        let mut read = |path: PathBuf| match area.read_if_present(&path, MAX_TREE_FILE) {
            Ok(bytes) => bytes,
            Err(e) => {
                loader.errors.push(e);
                None
            }
        };
        let installed: HashMap<String, PathBuf> = read(dot.join("modules/modules.json"))
            .and_then(|b| serde_json::from_slice::<ModulesJson>(&b).ok())
            .map(|m| {
                m.modules
                    .into_iter()
                    .filter(|e| !e.key.is_empty())
                    .map(|e| (e.key, dir.join(e.dir)))
                    .collect()
            })
            .unwrap_or_default();
        let environment = match workspace {
            Some(_) => None,
            None => read(dot.join("environment")),
        };
        let workspace = workspace
            .map(str::to_string)
            .or_else(|| environment.map(|b| String::from_utf8_lossy(&b).into_owned()))
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "default".into());
        let mut root = Root {
            dir: dir.to_path_buf(),
            area,
            refused: std::collections::HashSet::new(),
            refusals: RefCell::new(Vec::new()),
            invalid: RefCell::new(Vec::new()),
            workspace,
            installed,
            modules: HashMap::new(),
            warnings: RefCell::new(Vec::new()),
            work: std::cell::Cell::new(WORK_BUDGET),
            instances: std::cell::Cell::new(0),
            capped: std::cell::Cell::new(false),
            too_deep: std::cell::Cell::new(false),
        };
        // Load every module this root can reach, before evaluating.
        if let Some(m) = loader.module(dir) {
            root.load_calls(&m, dir, "", loader, 0);
        }
        root
    }

    pub(super) fn load_calls(
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
            if self.modules.contains_key(&k) || self.refused.contains(&k) {
                continue;
            }
            // A module `source` or installed `Dir` outside the repository
            // (or into `.git`) is refused, not followed.
            // (A directory that is not there is said when it is loaded.)
            if let Err(e @ InputError::Refused { .. }) = self.area.check_dir(&child_dir) {
                loader.errors.push(e);
                self.refused.insert(k);
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
    pub(super) fn resolve(&self, parent_dir: &Path, key: &str, call: &CallDecl) -> Option<PathBuf> {
        if let Some(dir) = self.installed.get(key) {
            return Some(dir.clone());
        }
        match call.source.as_deref() {
            Some(s) if is_local(s) => Some(parent_dir.join(s)),
            _ => None,
        }
    }

    pub(super) fn module(&self, dir: &Path) -> Option<&ModuleDecl> {
        self.modules.get(&normalise(dir)).and_then(|m| m.as_deref())
    }
}

/// Reads a file into `sources`, named by its normalised path. A blank file
/// is `InputError::Empty`.
pub(super) fn add_file(
    file: &Path,
    area: &Area,
    sources: &mut Sources,
) -> Result<crate::model::SourceId, InputError> {
    let name = normalise(file).display().to_string();
    let bytes = area.read(file, MAX_TREE_FILE)?;
    Ok(sources.add(crate::input::decode::decode(&name, bytes)?))
}

/// Reads a file the user named on the command line (`--state`,
/// `--var-file`) into `sources` (crate::input::reading::read_named).
pub(super) fn add_named_file(
    file: &Path,
    sources: &mut Sources,
) -> Result<crate::model::SourceId, InputError> {
    let name = normalise(file).display().to_string();
    let bytes = crate::input::reading::read_named(file, crate::input::reading::MAX_NAMED_FILE)?;
    Ok(sources.add(crate::input::decode::decode(&name, bytes)?))
}
