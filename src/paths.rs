//! Paths by their names: `.` and `..` resolved without asking the file
//! system, so the same directory compares equal however it was written.
//! Discovery, the pre-commit focus and the reports share this one rule.

use std::path::{Component, Path, PathBuf};

/// `path` without `.` parts and with `..` resolved where it can be (a
/// leading `..` of a relative path stays); `.` for the current directory.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            // `a/..` is nothing, `/..` is `/`; a `..` with nothing named
            // before it stays (`../..` is two levels up, not none).
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir | Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `path` joined to `cwd` when relative, then normalised.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    normalise(&cwd.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_without_the_file_system() {
        assert_eq!(normalise(Path::new("./a/b/../c")), Path::new("a/c"));
        assert_eq!(normalise(Path::new("")), Path::new("."));
        assert_eq!(normalise(Path::new("../x/./y")), Path::new("../x/y"));
        assert_eq!(normalise(Path::new("../../a")), Path::new("../../a"));
        assert_eq!(normalise(Path::new("../../a/../b")), Path::new("../../b"));
        assert_eq!(normalise(Path::new("a/../..")), Path::new(".."));
        assert_eq!(normalise(Path::new("/../a")), Path::new("/a"));
        assert_eq!(
            absolute(Path::new("../x"), Path::new("/r/w")),
            Path::new("/r/x")
        );
        assert_eq!(
            absolute(Path::new("/a/./b"), Path::new("/r")),
            Path::new("/a/b")
        );
    }
}
