//! Finding root modules: the directories given, or with `--recursive`
//! every directory below them that has configuration files; paths
//! normalised so one directory is one root however it was named.

use std::path::{Path, PathBuf};

use super::decl::{self};
use crate::error::InputError;

pub(super) fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// `path` without `.` parts and with `..` resolved where it can be; `.`
/// for the current directory.
pub(super) fn normalise(path: &Path) -> PathBuf {
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
pub(super) fn walk(dir: &Path, roots: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
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
