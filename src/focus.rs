//! Focus: which findings a set of changed files is answerable for.
//!
//! The pre-commit hook reads every root module of the repository, so that a
//! change is judged against the whole of it (a duplicate across stacks, a
//! shared module evaluated through the roots that call it), and then reports
//! only the findings that involve a changed file: a finding whose place, or
//! one of whose related places, is in the directory (module) of a changed
//! file, or that is about a resource of a root module whose directory holds
//! a changed file (a changed `terraform.tfvars` changes every alias the root
//! makes, also in the modules it calls). Where a place cannot be resolved to
//! a directory, the finding is kept: a focus never hides what it cannot
//! place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::Finding;
use crate::input::Inputs;

/// The module directories of the changed files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focus {
    dirs: Vec<PathBuf>,
}

impl Focus {
    /// The directories of `changed` files, as paths relative to `cwd` or
    /// absolute; a file that no longer exists still names its directory.
    pub fn new(changed: &[String], cwd: &Path) -> Focus {
        let mut dirs: Vec<PathBuf> = changed
            .iter()
            .filter_map(|file| {
                let parent = Path::new(file).parent().unwrap_or(Path::new(""));
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                canonical(&cwd.join(parent))
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        Focus { dirs }
    }

    fn holds(&self, dir: &Path) -> bool {
        self.dirs.iter().any(|d| d == dir)
    }

    /// Keeps the findings that involve a changed file.
    pub fn retain(&self, inputs: &Inputs, findings: &mut Vec<Finding>) {
        let mut dirs: HashMap<usize, Option<PathBuf>> = HashMap::new();
        let mut dir_of_source = |id: usize| -> Option<PathBuf> {
            dirs.entry(id)
                .or_insert_with(|| {
                    let name = inputs.sources.name(id);
                    canonical(Path::new(name).parent().unwrap_or(Path::new(".")))
                })
                .clone()
        };
        let mut roots: HashMap<String, Option<PathBuf>> = HashMap::new();
        let mut dir_of_input = |input: &str| -> Option<PathBuf> {
            roots
                .entry(input.to_string())
                .or_insert_with(|| canonical(Path::new(input)))
                .clone()
        };
        findings.retain(|f| {
            let places = std::iter::once((f.span.source, f.input.as_deref())).chain(
                f.related
                    .iter()
                    .map(|r| (r.span.source, r.input.as_deref())),
            );
            for (source, input) in places {
                let dirs =
                    std::iter::once(dir_of_source(source)).chain(input.map(&mut dir_of_input));
                for dir in dirs {
                    match dir {
                        Some(dir) if self.holds(&dir) => return true,
                        Some(_) => {}
                        // A place that cannot be resolved is kept.
                        None => return true,
                    }
                }
            }
            false
        });
    }
}

fn canonical(path: &Path) -> Option<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    path.canonicalize().ok()
}
