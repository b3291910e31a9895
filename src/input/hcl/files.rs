//! What `file()`, `fileexists()` and friends may read: regular files inside
//! the repository being checked (or the root module's directory outside a
//! repository), up to [`MAX_FILE`] bytes. The configuration may come from a
//! stranger's pull request: it must not read `/etc/passwd`, the process's
//! environment, a device that never ends or a FIFO that never answers, and
//! print it in a finding. Anything else is an evaluation error, which makes
//! the alias `alias-unknown` with the reason.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::display::shown;

/// The largest file read.
pub const MAX_FILE: u64 = 1024 * 1024;

/// The directory files must be in: the repository holding `root`, else
/// `root` itself.
pub(super) fn boundary(root: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    Some(
        root.ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&root)
            .to_path_buf(),
    )
}

/// Reads `path` (relative to `root`) if the rules allow it.
pub(super) fn read(root: &Path, path: &str) -> Result<String, String> {
    let what = shown(path);
    let boundary = boundary(root).ok_or_else(|| format!("cannot read `{what}`"))?;
    let full = root
        .join(path)
        .canonicalize()
        .map_err(|e| format!("cannot read `{what}`: {e}"))?;
    if !full.starts_with(&boundary) {
        return Err(format!(
            "`{what}` is outside the repository being checked; cname-preflight reads only files \
             inside it"
        ));
    }
    let meta = std::fs::metadata(&full).map_err(|e| format!("cannot read `{what}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!("`{what}` is not a regular file"));
    }
    if meta.len() > MAX_FILE {
        return Err(format!("`{what}` is larger than {MAX_FILE} bytes"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&full)
        .and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read `{what}`: {e}"))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!("`{what}` is larger than {MAX_FILE} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| format!("`{what}` is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cname-preflight-files-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::create_dir_all(dir.join("stack")).unwrap();
        std::fs::write(dir.join("names.txt"), "www.example.com").unwrap();
        dir
    }

    #[test]
    fn files_inside_the_repository_are_read() {
        let dir = scratch("inside");
        let root = dir.join("stack");
        assert_eq!(read(&root, "../names.txt").unwrap(), "www.example.com");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_outside_devices_and_huge_files_are_refused() {
        let dir = scratch("outside");
        let root = dir.join("stack");
        let e = read(&root, "/etc/passwd").unwrap_err();
        assert!(e.contains("outside the repository"), "{e}");
        let e = read(&root, "/proc/self/environ").unwrap_err();
        assert!(e.contains("outside the repository"), "{e}");
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
