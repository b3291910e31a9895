//! Writes a report to a file (`-o`, `--report FORMAT=FILE`) without trusting
//! what is already at that path: the tool runs in a checkout of a stranger's
//! pull request, which may hold a symlink, a FIFO or a directory where the
//! workflow writes its report.
//!
//! The report goes to a new file created beside the target (same
//! directory, created exclusively, with the default mode less the umask),
//! which is then renamed over the target. So a symlink at the target is
//! replaced, never followed; the mode bits, owner and other links of what
//! was there are not kept; a reader never sees half a report. An existing
//! directory, FIFO, socket or device at the target is refused (renaming
//! over `/dev/null` as root would replace it), and so is a directory on
//! the way that is a symlink inside the working directory or the
//! repository (a pull request could point `reports/` anywhere).

use std::io::{self, Write};
use std::path::{Component, Path};

/// Writes what `render` produces to `path`, as the module says. `inside`
/// are the directories whose symlinks are not followed (the working
/// directory and the repository root).
pub(crate) fn write(
    path: &Path,
    inside: &[&Path],
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    refuse_special(path)?;
    refuse_linked_directories(path, inside)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file",
        ));
    }
    // A short name of its own, so that a target name near the length limit
    // still leaves room for it.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cname-preflight-").suffix(".tmp");
    // The mode a new file gets from `File::create` (0666 less the umask),
    // not tempfile's private 0600: a report is read by later steps.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder.tempfile_in(dir)?;
    {
        let mut out = io::BufWriter::new(temp.as_file());
        render(&mut out)?;
        out.flush()?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// An existing directory, FIFO, socket or device at `path` is refused; a
/// regular file is replaced, and so is a symlink to one (or to nothing). A
/// symlink to a directory, FIFO or device is refused too: `/dev/stdout`
/// is one, and replacing it (as root, in a container) would break it for
/// every later step.
fn refuse_special(path: &Path) -> io::Result<()> {
    let kind = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let (kind, link) = if kind.is_symlink() {
        match std::fs::metadata(path) {
            Ok(target) => (target.file_type(), "a symlink to "),
            Err(_) => return Ok(()),
        }
    } else {
        (kind, "")
    };
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a directory"
    } else {
        "a FIFO, socket or device"
    };
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "it is {link}{what}, not a regular file; a report replaces only a regular file \
             (leave out `-o` to print to standard output)"
        ),
    ))
}

/// A directory on the way to `path` that is a symlink, inside one of
/// `inside`, is refused: the report would land wherever it points.
fn refuse_linked_directories(path: &Path, inside: &[&Path]) -> io::Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    // Walked lexically from the working directory: each directory on the
    // way is looked at as itself (`symlink_metadata`), before the kernel
    // would follow it.
    let mut walked = std::env::current_dir().unwrap_or_default();
    for component in parent.components() {
        match component {
            Component::Normal(name) => walked.push(name),
            Component::ParentDir => {
                walked.pop();
                continue;
            }
            Component::CurDir => continue,
            Component::RootDir | Component::Prefix(_) => {
                walked.push(component);
                continue;
            }
        }
        let ours = inside
            .iter()
            .any(|dir| walked.starts_with(dir) && walked != *dir);
        if ours && std::fs::symlink_metadata(&walked).is_ok_and(|m| m.file_type().is_symlink()) {
            let shown = walked.strip_prefix(std::env::current_dir().unwrap_or_default());
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "`{}` is a symlink; a report is not written through one",
                    cname_preflight::display::escaped(&shown.unwrap_or(&walked).to_string_lossy())
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cname-preflight-report-file-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn hello(out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"report\n")
    }

    #[test]
    fn a_symlink_is_replaced_not_followed() {
        let dir = scratch("symlink");
        let outside = dir.join("outside");
        std::fs::write(&outside, "keep").unwrap();
        let target = dir.join("report.json");
        std::os::unix::fs::symlink(&outside, &target).unwrap();
        write(&target, &[], hello).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep");
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "report\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_old_mode_bits_are_not_kept() {
        let dir = scratch("mode");
        let target = dir.join("report.sarif");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o4777)).unwrap();
        write(&target, &[], hello).unwrap();
        let mode = std::fs::metadata(&target).unwrap().mode() & 0o7777;
        assert_eq!(mode & !0o644, 0, "mode {mode:o}");
        assert_eq!(mode & 0o600, 0o600, "mode {mode:o}");
        // Nothing is left beside it.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn directories_and_fifos_are_refused() {
        let dir = scratch("special");
        let sub = dir.join("report.json");
        std::fs::create_dir(&sub).unwrap();
        let e = write(&sub, &[], hello).unwrap_err();
        assert!(e.to_string().contains("a directory"), "{e}");
        let fifo = dir.join("fifo.json");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let e = write(&fifo, &[], hello).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        // A symlink to a device (`/dev/stdout` is one) is not replaced.
        let null = dir.join("null.json");
        std::os::unix::fs::symlink("/dev/null", &null).unwrap();
        let e = write(&null, &[], hello).unwrap_err();
        assert!(e.to_string().contains("a symlink to a FIFO"), "{e}");
        assert!(
            std::fs::symlink_metadata(&null)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_linked_directory_inside_is_refused() {
        let dir = scratch("linked");
        let elsewhere = dir.join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let repo = dir.join("repo");
        std::fs::create_dir(&repo).unwrap();
        std::os::unix::fs::symlink(&elsewhere, repo.join("reports")).unwrap();
        let target = repo.join("reports/report.json");
        let e = write(&target, &[&repo], hello).unwrap_err();
        assert!(e.to_string().contains("is a symlink"), "{e}");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // Nor by way of `..`.
        std::fs::create_dir(repo.join("sub")).unwrap();
        let roundabout = repo.join("sub/../reports/report.json");
        assert!(write(&roundabout, &[&repo], hello).is_err());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // Outside the directories named, a linked directory is followed
        // (`/tmp` is one on macOS).
        write(&target, &[], hello).unwrap();
        assert!(elsewhere.join("report.json").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
