//! Focus: which findings a set of changed files is answerable for.
//!
//! The pre-commit hook reads every root module of the repository, so that a
//! change is judged against the whole of it (a duplicate across stacks, a
//! shared module evaluated through the roots that call it), and then reports
//! only the findings that involve a changed file: a finding whose place, or
//! one of whose related places, is in the directory (module) of a changed
//! file, or that is about a resource of a root module whose directory holds
//! a changed file (a changed `terraform.tfvars` changes every alias the root
//! makes, also in the modules it calls). Directories are compared by their
//! normalised names (crate::paths), without asking the file system.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diag::Finding;
use crate::input::Inputs;
use crate::paths::absolute;

/// The module directories of the changed files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focus {
    cwd: PathBuf,
    dirs: BTreeSet<PathBuf>,
}

impl Focus {
    /// The directories of `changed` files, given relative to `cwd` (as
    /// source names are) or absolute.
    pub fn new(changed: &[String], cwd: &Path) -> Focus {
        let dirs = changed
            .iter()
            .map(|file| absolute(Path::new(file).parent().unwrap_or(Path::new("")), cwd))
            .collect();
        Focus {
            cwd: cwd.to_path_buf(),
            dirs,
        }
    }

    /// Whether a file (`dir_of`) or a root module directory is one of the
    /// changed files' directories.
    fn holds(&self, path: &str, dir_of: bool) -> bool {
        let path = Path::new(path);
        let dir = if dir_of {
            path.parent().unwrap_or(Path::new(""))
        } else {
            path
        };
        self.dirs.contains(&absolute(dir, &self.cwd))
    }

    /// Keeps the findings that involve a changed file.
    pub fn retain(&self, inputs: &Inputs, findings: &mut Vec<Finding>) {
        findings.retain(|f| {
            std::iter::once((f.span.source, f.input.as_deref()))
                .chain(
                    f.related
                        .iter()
                        .map(|r| (r.span.source, r.input.as_deref())),
                )
                .any(|(source, input)| {
                    self.holds(inputs.sources.name(source), true)
                        || input.is_some_and(|root| self.holds(root, false))
                })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_of_changed_files_by_name() {
        let cwd = Path::new("/repo");
        let focus = Focus::new(
            &[
                "stacks/prod/main.tf".into(),
                "./top.tf".into(),
                "/elsewhere/x.tf".into(),
            ],
            cwd,
        );
        assert!(focus.holds("stacks/prod/variables.tf", true));
        assert!(focus.holds("./stacks/../stacks/prod/main.tf", true));
        assert!(focus.holds("stacks/prod", false));
        assert!(focus.holds("main.tf", true), "the repository root itself");
        assert!(focus.holds("/elsewhere/y.tf", true));
        assert!(!focus.holds("stacks/staging/main.tf", true));
        assert!(!focus.holds("modules/cdn", false));
    }
}
