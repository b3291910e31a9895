//! Finding root modules: the directories given, or with `--recursive`
//! every directory below them that has configuration files (walked by the
//! `ignore` crate, which honours `.gitignore`); paths normalised so one
//! directory is one root however it was named.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::decl;
use crate::error::InputError;

pub(super) fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

pub(super) use crate::paths::normalise;

/// How deep `--recursive` looks below a directory it is given.
const MAX_DEPTH: usize = 64;
/// How many files and directories `--recursive` reads below one directory.
const MAX_ENTRIES: usize = 1_000_000;

/// Directories below `dir` with configuration files, in path order (a
/// parent before its children), skipping hidden directories (`.terraform`,
/// `.git`), `node_modules`, and what `.gitignore` files ignore. The `ignore`
/// crate walks (the one ripgrep uses); symlinks are not followed, and depth
/// and entries are bounded.
pub(super) fn walk(dir: &Path, roots: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .max_depth(Some(MAX_DEPTH))
        .filter_entry(|e| e.depth() == 0 || e.file_name() != "node_modules")
        .build();
    let mut found = std::collections::BTreeSet::new();
    for (n, entry) in walker.enumerate() {
        if n == MAX_ENTRIES {
            errors.push(InputError::Io {
                path: dir.display().to_string(),
                cause: std::io::Error::other(format!(
                    "more than {MAX_ENTRIES} files and directories below it; give a smaller directory"
                )),
            });
            return;
        }
        match entry {
            Ok(entry) => {
                // A file or a symlink to one (`.tf` files linked in).
                let not_dir = entry.file_type().is_some_and(|t| !t.is_dir());
                let name = entry.file_name().to_str().unwrap_or_default();
                if not_dir
                    && decl::is_config_file(name)
                    && let Some(parent) = entry.path().parent()
                {
                    found.insert(normalise(parent));
                }
            }
            Err(e) => errors.push(InputError::Io {
                path: dir.display().to_string(),
                cause: std::io::Error::other(e.to_string()),
            }),
        }
    }
    for root in found {
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
}

/// `dir` relative to `base`, for `path.module`.
pub(super) fn pathdiff(dir: &Path, base: &Path) -> String {
    let dir = normalise(dir);
    let base = normalise(base);
    match dir.strip_prefix(&base) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => dir.display().to_string(),
    }
}

/// Which of the directories found by `--recursive` are checked as roots.
/// A directory another root calls as a local module is that root's child,
/// checked through the call (its variables come from it), not on its own.
/// A directory that only directories never checked call (modules calling
/// each other in a cycle) is a root after all: every directory found is
/// checked one way or the other. Linear in directories and calls.
pub(super) fn roots_to_check(graph: &[(PathBuf, Vec<PathBuf>)]) -> Vec<bool> {
    let index: HashMap<&PathBuf, usize> =
        graph.iter().enumerate().map(|(i, (d, _))| (d, i)).collect();
    let mut called = vec![false; graph.len()];
    for (_, callees) in graph {
        for c in callees {
            if let Some(&i) = index.get(c) {
                called[i] = true;
            }
        }
    }
    let mut keep: Vec<bool> = called.iter().map(|c| !c).collect();
    let mut reached = vec![false; graph.len()];
    let reach = |start: usize, reached: &mut Vec<bool>| {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            for c in &graph[i].1 {
                if let Some(&j) = index.get(c) {
                    stack.push(j);
                }
            }
        }
    };
    for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
        reach(i, &mut reached);
    }
    for i in 0..graph.len() {
        if !reached[i] {
            keep[i] = true;
            reach(i, &mut reached);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> Vec<(PathBuf, Vec<PathBuf>)> {
        edges
            .iter()
            .map(|(d, calls)| (PathBuf::from(d), calls.iter().map(PathBuf::from).collect()))
            .collect()
    }

    #[test]
    fn called_directories_are_children_not_roots() {
        let g = graph(&[("stacks/a", &["modules/cdn"]), ("modules/cdn", &[])]);
        assert_eq!(roots_to_check(&g), [true, false]);
    }

    /// Regression: `a` calls `b` and `b` calls `a`; both used to be dropped
    /// as called modules, and the run checked nothing and passed.
    #[test]
    fn modules_calling_each_other_are_still_checked() {
        let g = graph(&[("a", &["b"]), ("b", &["a"])]);
        assert_eq!(roots_to_check(&g), [true, false]);
        let g = graph(&[("x", &["y"]), ("y", &["z"]), ("z", &["x"]), ("w", &[])]);
        assert_eq!(roots_to_check(&g), [true, false, false, true]);
    }
}
