//! Finding root modules: the directories given, or with `--recursive`
//! every directory below them that has configuration files, honouring
//! `.gitignore` files; paths normalised so one directory is one root
//! however it was named. The walk is bounded in depth and entries, and a
//! walk cut at a bound says so. It follows no symlinked directory, and
//! reads each `.gitignore` under the reading rule (crate::input::reading):
//! one that leads out of the repository or into `.git` is an error, not
//! read. (`.git/info/exclude` is under `.git`, so it is not read.)

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::listing;
use crate::error::InputError;
use crate::input::reading::Area;

pub(super) fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

pub(super) use crate::paths::normalise;

/// How deep `--recursive` looks below a directory it is given.
pub(super) const MAX_DEPTH: usize = 64;
/// How many files and directories `--recursive` reads below one directory.
pub(super) const MAX_ENTRIES: usize = 1_000_000;
/// The largest `.gitignore` read.
const MAX_GITIGNORE: u64 = 1024 * 1024;

/// Directories below `dir` with configuration files, in path order (a
/// parent before its children), skipping hidden directories (`.terraform`,
/// `.git`), `node_modules`, and what `.gitignore` files (in `dir`, below
/// it, and above it up to the repository root) ignore. Returns why the
/// walk stopped short, when it did.
pub(super) fn walk(
    dir: &Path,
    roots: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
) -> Option<String> {
    let area = match Area::of_root(dir) {
        Ok(area) => area,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let base = normalise(dir);
    // Walked by canonical names (as `.gitignore` rules match them), and
    // found directories named as `dir` names them.
    let Ok(canonical) = dir.canonicalize() else {
        return None;
    };
    // `.gitignore` files above `dir`, up to the repository root.
    let mut rules: Vec<Gitignore> = Vec::new();
    if let Ok(up) = canonical.strip_prefix(area.root()) {
        let mut at = area.root().to_path_buf();
        let mut above = vec![at.clone()];
        for part in up.parent().into_iter().flat_map(|p| p.components()) {
            at.push(part);
            above.push(at.clone());
        }
        if up.as_os_str().is_empty() {
            above.clear();
        }
        for d in above {
            if let Some(g) = gitignore(&d, &area, errors) {
                rules.push(g);
            }
        }
    }
    let mut found = BTreeSet::new();
    let mut entries = 0usize;
    let mut cut = None;
    // Directories to read: (path as named, depth, rules that apply).
    let mut stack: Vec<(PathBuf, usize, std::rc::Rc<Vec<Gitignore>>)> =
        vec![(canonical.clone(), 0, std::rc::Rc::new(rules))];
    'walk: while let Some((path, depth, rules)) = stack.pop() {
        let mut rules = rules;
        if let Some(g) = gitignore(&path, &area, errors) {
            let mut more = (*rules).clone();
            more.push(g);
            rules = std::rc::Rc::new(more);
        }
        let listed = match std::fs::read_dir(&path) {
            Ok(listed) => listed,
            Err(cause) => {
                errors.push(InputError::Io {
                    path: path.display().to_string(),
                    cause,
                });
                continue;
            }
        };
        for entry in listed {
            entries += 1;
            if entries > MAX_ENTRIES {
                cut = Some(format!(
                    "it stopped after {MAX_ENTRIES} files and directories"
                ));
                break 'walk;
            }
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let child = path.join(name);
            if name.starts_with('.') || ignored(&rules, &child, kind.is_dir()) {
                continue;
            }
            if kind.is_dir() {
                if name == "node_modules" {
                    continue;
                }
                if depth + 1 >= MAX_DEPTH {
                    cut.get_or_insert_with(|| {
                        format!("it does not look more than {MAX_DEPTH} directories deep")
                    });
                    continue;
                }
                stack.push((child, depth + 1, rules.clone()));
            } else if listing::is_config_file(name) {
                // A file or a symlink to one (`.tf` files linked in).
                let below = path.strip_prefix(&canonical).unwrap_or(Path::new(""));
                found.insert(normalise(&base.join(below)));
            }
        }
    }
    for root in found {
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
    cut
}

/// The rules of `dir/.gitignore`, read under the reading rule.
fn gitignore(dir: &Path, area: &Area, errors: &mut Vec<InputError>) -> Option<Gitignore> {
    let file = dir.join(".gitignore");
    let bytes = match area.read_if_present(&file, MAX_GITIGNORE) {
        Ok(bytes) => bytes?,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let mut builder = GitignoreBuilder::new(dir);
    for line in String::from_utf8_lossy(&bytes).lines() {
        // A line git cannot read is skipped, as git skips it; its text is
        // not repeated.
        let _ = builder.add_line(None, line);
    }
    builder.build().ok()
}

/// Whether the nearest `.gitignore` with a say ignores `path`.
fn ignored(rules: &[Gitignore], path: &Path, is_dir: bool) -> bool {
    for g in rules.iter().rev() {
        let m = g.matched(path, is_dir);
        if m.is_ignore() {
            return true;
        }
        if m.is_whitelist() {
            return false;
        }
    }
    false
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
