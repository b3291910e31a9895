//! What `file()`, `fileexists()` and friends may read: what the reading
//! rule allows (crate::input::reading: regular files inside the repository
//! being checked, or the root module's directory outside a repository,
//! never under `.git`), up to [`MAX_FILE`] bytes. The configuration may
//! come from a stranger's pull request: it must not read `/etc/passwd`, the
//! process's environment, the job's token in `.git/config`, a device that
//! never ends or a FIFO that never answers, and print it in a finding. A
//! file the rule refuses is an input error (the run fails, naming the file
//! and the rule); one that is missing or not text is an evaluation error,
//! which makes the alias `alias-unknown` with the reason.

use std::path::Path;

use super::loader::Root;
use crate::error::InputError;
use crate::input::reading::Area;

/// The largest file read.
pub const MAX_FILE: u64 = 1024 * 1024;

/// Reads `path` (relative to `dir`) if the rule of `area` allows it; a
/// refusal is also pushed to `refusals`.
fn read_in(
    area: &Area,
    dir: &Path,
    path: &str,
    refusals: &mut Vec<InputError>,
) -> Result<String, String> {
    let full = dir.join(path);
    let bytes = area.read(&full, MAX_FILE).map_err(|e| {
        let message = e.to_string();
        if matches!(e, InputError::Refused { .. }) {
            refusals.push(e);
        }
        message
    })?;
    String::from_utf8(bytes).map_err(|_| {
        format!(
            "`{}` is not UTF-8 text",
            crate::display::shown(&full.display().to_string())
        )
    })
}

/// Reads `path` for an expression of `root`'s module tree.
pub(super) fn read(root: &Root, path: &str) -> Result<String, String> {
    let mut refusals = Vec::new();
    let read = read_in(&root.area, &root.dir, path, &mut refusals);
    let mut said = root.refusals.borrow_mut();
    for e in refusals {
        if !said.iter().any(|s| s.path() == e.path()) {
            said.push(e);
        }
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cname-preflight-files-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::create_dir_all(dir.join("stack")).unwrap();
        std::fs::write(dir.join("names.txt"), "www.example.com").unwrap();
        std::fs::write(dir.join(".git/config"), "AUTHORIZATION: basic SECRET").unwrap();
        dir
    }

    fn read(root: &Path, path: &str) -> Result<String, String> {
        let area = Area::of_root(root).unwrap();
        let mut refusals = Vec::new();
        let read = read_in(&area, root, path, &mut refusals);
        if read.is_err() {
            assert!(refusals.iter().all(|e| !e.to_string().contains("SECRET")));
        }
        read
    }

    #[test]
    fn files_inside_the_repository_are_read() {
        let dir = scratch("inside");
        let root = dir.join("stack");
        assert_eq!(read(&root, "../names.txt").unwrap(), "www.example.com");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_outside_devices_git_and_huge_files_are_refused() {
        let dir = scratch("outside");
        let root = dir.join("stack");
        let e = read(&root, "/etc/passwd").unwrap_err();
        assert!(e.contains("outside the repository"), "{e}");
        let e = read(&root, "/proc/self/environ").unwrap_err();
        assert!(e.contains("outside the repository"), "{e}");
        let e = read(&root, "../.git/config").unwrap_err();
        assert!(e.contains("`.git`"), "{e}");
        std::os::unix::fs::symlink(".git/config", dir.join("config")).unwrap();
        let e = read(&root, "../config").unwrap_err();
        assert!(e.contains("`.git`"), "{e}");
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).unwrap();
        let e = read(&root, "../zero").unwrap_err();
        assert!(e.contains("outside the repository"), "{e}");
        std::fs::write(dir.join("big"), vec![b'a'; MAX_FILE as usize + 1]).unwrap();
        let e = read(&root, "../big").unwrap_err();
        assert!(e.contains("larger than"), "{e}");
        let fifo = dir.join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let e = read(&root, "../fifo").unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
