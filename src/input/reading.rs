//! The one rule for every file the tool opens: regular files inside the
//! repository being checked, after following symlinks, never under `.git`,
//! up to a size bound.
//!
//! The configuration may come from a stranger's pull request, on a runner
//! whose token `actions/checkout` keeps in `.git/config`: a symlinked
//! `terraform.tfvars`, a `file(".git/config")`, a module `Dir` of
//! `/home/runner` must not put a byte of what they name in a report. The
//! area a file must be in is the repository holding the root module (the
//! nearest directory above it with `.git`, found without going through
//! symlinks), or the root module's directory when it is in no repository.
//! Paths the user names on the command line (a plan, `--state`,
//! `--var-file`, `--config`) may be anywhere when they lie outside every
//! repository (`/tmp/plan.json` from CI); inside one, the same rule holds,
//! since the pull request chose what the path leads to. A file that breaks
//! the rule is an input error that names the file and the rule, never an
//! excerpt of it.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::InputError;

/// The largest configuration, variables, state or metadata file read from
/// the tree.
pub const MAX_TREE_FILE: u64 = 256 * 1024 * 1024;

/// The largest file named on the command line (plans reach hundreds of MB).
pub const MAX_NAMED_FILE: u64 = 4 * 1024 * 1024 * 1024;

/// The directory every file read for one root module must be in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Canonical.
    root: PathBuf,
}

/// Why a file was not read: the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    Outside,
    InGit,
    NotRegular,
    NotDirectory,
    TooLarge(u64),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Outside => f.write_str(
                "it leads outside the repository being checked (after following symlinks)",
            ),
            Broken::InGit => f.write_str("it is inside `.git`, which is never read"),
            Broken::NotRegular => f.write_str("it is not a regular file"),
            Broken::NotDirectory => f.write_str("it is not a directory"),
            Broken::TooLarge(limit) => write!(f, "it is larger than {limit} bytes"),
        }
    }
}

/// `path` made absolute against the working directory, by name.
fn absolute(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    crate::paths::absolute(path, &cwd)
}

/// The repository holding `path` as written: the nearest directory at or
/// above it that holds `.git`, where the names below that directory lead
/// through no symlink (a symlink inside a repository must not make another
/// repository this one; symlinks above every repository are the machine's
/// own, like macOS's `/var`). Canonical.
pub fn repository_of(path: &Path) -> Option<PathBuf> {
    let path = absolute(path);
    let mut found: Option<&Path> = None;
    let top_down: Vec<&Path> = path.ancestors().collect();
    for dir in top_down.into_iter().rev() {
        let link = std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
        if found.is_some() && link {
            break;
        }
        if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
            found = Some(dir);
        }
    }
    found.and_then(|dir| dir.canonicalize().ok())
}

impl Area {
    /// The area of a root module directory: its repository, else itself.
    /// A root module that is in a repository as written but leads outside
    /// it (a symlinked directory) breaks the rule.
    pub fn of_root(dir: &Path) -> Result<Area, InputError> {
        let canonical = dir.canonicalize().map_err(|cause| InputError::Io {
            path: dir.display().to_string(),
            cause,
        })?;
        match repository_of(dir) {
            Some(root) => {
                let area = Area { root };
                area.inside(dir, &canonical)?;
                Ok(area)
            }
            None => Ok(Area { root: canonical }),
        }
    }

    /// The area's directory (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Checks that `canonical` (what `path` leads to) is inside the area
    /// and outside `.git`.
    fn inside(&self, path: &Path, canonical: &Path) -> Result<(), InputError> {
        let refused = |rule| refused(path, rule);
        let Ok(rest) = canonical.strip_prefix(&self.root) else {
            return Err(refused(Broken::Outside));
        };
        let in_git = |p: &Path| {
            p.components().any(|c| match c {
                Component::Normal(name) => name.to_str().is_some_and(is_git_name),
                _ => false,
            })
        };
        // As written too: `.git/../x` resolves outside `.git`, but a
        // relative name through `.git` says where it was meant to go.
        if in_git(rest) || in_git(path) {
            return Err(refused(Broken::InGit));
        }
        Ok(())
    }

    /// Checks `path` against the rule and returns where it leads.
    pub fn check_file(&self, path: &Path) -> Result<PathBuf, InputError> {
        let canonical = path.canonicalize().map_err(|cause| InputError::Io {
            path: path.display().to_string(),
            cause,
        })?;
        self.inside(path, &canonical)?;
        Ok(canonical)
    }

    /// Checks a directory against the rule (a module directory, a
    /// directory listed) and returns where it leads.
    pub fn check_dir(&self, dir: &Path) -> Result<PathBuf, InputError> {
        let canonical = self.check_file(dir)?;
        if !canonical.is_dir() {
            return Err(refused(dir, Broken::NotDirectory));
        }
        Ok(canonical)
    }

    /// Reads `path` if the rule allows it: a regular file inside the area,
    /// outside `.git`, of at most `limit` bytes.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
        let canonical = self.check_file(path)?;
        read_regular(path, &canonical, limit)
    }

    /// Reads `path` if it exists; `Ok(None)` when there is nothing there
    /// (not even a dangling symlink).
    pub fn read_if_present(&self, path: &Path, limit: u64) -> Result<Option<Vec<u8>>, InputError> {
        if std::fs::symlink_metadata(path).is_err() {
            return Ok(None);
        }
        self.read(path, limit).map(Some)
    }
}

/// Whether a file name is `.git` (any case: macOS and Windows file systems
/// do not tell `.GIT` from `.git`).
pub fn is_git_name(name: &str) -> bool {
    name.eq_ignore_ascii_case(".git")
}

/// Reads a path the user named on the command line: anywhere when it lies
/// outside every repository, else by the rule of its repository.
pub fn read_named(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    match repository_of(path) {
        Some(root) => Area { root }.read(path, limit),
        None => {
            let meta = std::fs::metadata(path).map_err(|cause| InputError::Io {
                path: path.display().to_string(),
                cause,
            })?;
            if meta.is_dir() {
                return Err(refused(path, Broken::NotRegular));
            }
            // Outside the repository the user's choice stands: a pipe
            // (`--var-file <(...)`) is read, up to the bound.
            read_bounded(path, path, limit)
        }
    }
}

/// The error for a file that breaks the rule.
pub fn refused(path: &Path, rule: Broken) -> InputError {
    InputError::Refused {
        path: crate::display::shown(&path.display().to_string()),
        rule: rule.to_string(),
    }
}

fn read_regular(path: &Path, canonical: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    // Asked before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(canonical).map_err(|cause| InputError::Io {
        path: path.display().to_string(),
        cause,
    })?;
    if !meta.is_file() {
        return Err(refused(path, Broken::NotRegular));
    }
    if meta.len() > limit {
        return Err(refused(path, Broken::TooLarge(limit)));
    }
    read_bounded(path, canonical, limit)
}

fn read_bounded(path: &Path, open: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let io = |cause| InputError::Io {
        path: path.display().to_string(),
        cause,
    };
    let file = std::fs::File::open(open).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(refused(path, Broken::TooLarge(limit)));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cname-preflight-reading-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("repo/.git")).unwrap();
        std::fs::create_dir_all(dir.join("repo/stack")).unwrap();
        std::fs::write(dir.join("repo/.git/config"), "SECRET").unwrap();
        std::fs::write(dir.join("repo/stack/main.tf"), "").unwrap();
        std::fs::write(dir.join("outside.txt"), "SECRET").unwrap();
        dir
    }

    fn rule(e: InputError) -> String {
        match e {
            InputError::Refused { rule, .. } => rule,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn files_inside_the_repository_are_read_and_the_rest_refused() {
        let dir = scratch("rule");
        let stack = dir.join("repo/stack");
        let area = Area::of_root(&stack).unwrap();
        assert_eq!(area.root(), dir.join("repo").canonicalize().unwrap());
        assert_eq!(area.read(&stack.join("main.tf"), 10).unwrap(), b"");
        let e = area.read(&stack.join("../.git/config"), 10).unwrap_err();
        assert!(rule(e).contains(".git"));
        std::os::unix::fs::symlink("../.git/config", stack.join("link.tfvars")).unwrap();
        let e = area.read(&stack.join("link.tfvars"), 10).unwrap_err();
        assert!(rule(e).contains(".git"));
        std::os::unix::fs::symlink("../../outside.txt", stack.join("out.tfvars")).unwrap();
        let e = area.read(&stack.join("out.tfvars"), 10).unwrap_err();
        assert!(rule(e).contains("outside"));
        let e = area.read(&stack, 10).unwrap_err();
        assert!(rule(e).contains("regular"));
        std::fs::write(stack.join("big"), "0123456789!").unwrap();
        let e = area.read(&stack.join("big"), 10).unwrap_err();
        assert!(rule(e).contains("larger"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlinked_directory_does_not_make_another_repository_this_one() {
        let dir = scratch("links");
        std::fs::create_dir_all(dir.join("other/.git")).unwrap();
        std::fs::write(dir.join("other/x.tfvars"), "SECRET").unwrap();
        std::os::unix::fs::symlink("../../other", dir.join("repo/stack/other")).unwrap();
        let named = dir.join("repo/stack/other/x.tfvars");
        assert_eq!(
            repository_of(&named),
            Some(dir.join("repo").canonicalize().unwrap())
        );
        assert!(rule(read_named(&named, MAX_NAMED_FILE).unwrap_err()).contains("outside"));
        // A root module that leads out of its repository is refused.
        assert!(
            rule(Area::of_root(&dir.join("repo/stack/other")).unwrap_err()).contains("outside")
        );
        // Outside every repository the user's path stands.
        assert_eq!(
            read_named(&dir.join("outside.txt"), MAX_NAMED_FILE).unwrap(),
            b"SECRET"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
