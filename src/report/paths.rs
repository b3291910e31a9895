//! Where reports say a file is: paths relative to the repository root for
//! the formats code hosts read (SARIF, GitLab Code Quality), URIs encoded by
//! the `url` crate, and fingerprints that survive moved lines.

use std::path::{Path, PathBuf};

/// The file as an absolute path: joined to the working directory when
/// relative, with symlinks resolved when it exists (the repository root is
/// canonical), else by its name.
fn absolute(path: &str, cwd: &Path) -> PathBuf {
    let absolute = crate::paths::absolute(Path::new(path), cwd);
    absolute.canonicalize().unwrap_or(absolute)
}

/// The file's path relative to the repository root, with `/` separators,
/// when it is inside the repository.
pub fn in_repository(path: &str, root: Option<&Path>) -> Option<String> {
    let relative = absolute(path, &cwd())
        .strip_prefix(root?)
        .ok()?
        .to_path_buf();
    Some(
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .filter(|c| c != ".")
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The file as a URI: relative to the repository root inside it (code
/// scanning drops absolute ones), an absolute `file:///` URI outside it;
/// `#`, `?`, `%`, spaces and non-ASCII characters are percent-encoded.
pub fn uri(path: &str, root: Option<&Path>) -> String {
    uri_from(path, root, &cwd())
}

/// The working directory, or nothing when it cannot be had (deleted).
fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

fn uri_from(path: &str, root: Option<&Path>, cwd: &Path) -> String {
    let file = absolute(path, cwd);
    let file_url = url::Url::from_file_path(&file).ok();
    if let (Some(root), Some(file_url)) = (root, &file_url)
        && file.starts_with(root)
        && let Ok(root_url) = url::Url::from_directory_path(root)
        && let Some(relative) = root_url.make_relative(file_url)
    {
        return relative;
    }
    match file_url {
        Some(url) => url.to_string(),
        // Not an absolute path this platform can name: the path itself,
        // encoded as a URI path is.
        None => percent_encoding::utf8_percent_encode(path, URI_PATH).to_string(),
    }
}

/// What a relative URI path must encode: controls, non-ASCII (always), and
/// the characters that would end or change the path.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The file as code hosts name it: relative to the repository root inside
/// it, else as given.
pub fn repository_path(path: &str, root: Option<&Path>) -> String {
    in_repository(path, root).unwrap_or_else(|| path.to_string())
}

/// A finding's identity across runs, for code hosts that track alerts
/// (SARIF `partialFingerprints`, GitLab `fingerprint`): its code, resource,
/// alias and file, not its line, so it survives moved lines. `file` is the
/// [`repository_path`], so the same finding has the same fingerprint
/// whichever directory the tool ran in.
pub fn finding_fingerprint(f: &crate::diag::Finding, file: &str) -> String {
    fingerprint(&[
        f.code.name(),
        &f.address
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        f.alias.as_deref().unwrap_or(""),
        file,
    ])
}

/// FNV-1a over the parts.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        std::env::current_dir().unwrap().canonicalize().unwrap()
    }

    #[test]
    fn uris_inside_the_repository_are_relative() {
        let root = root();
        assert_eq!(
            uri("fixtures/plans/clean-create.json", Some(&root)),
            "fixtures/plans/clean-create.json"
        );
        assert_eq!(
            uri("./fixtures/plans/clean-create.json", Some(&root)),
            "fixtures/plans/clean-create.json"
        );
        let absolute = root.join("fixtures/plans/clean-create.json");
        assert_eq!(
            uri(absolute.to_str().unwrap(), Some(&root)),
            "fixtures/plans/clean-create.json"
        );
        assert_eq!(
            uri("stacks/a b/#1/é.tf", Some(&root)),
            "stacks/a%20b/%231/%C3%A9.tf"
        );
    }

    #[test]
    fn uris_outside_the_repository_are_absolute_file_uris() {
        let root = root();
        assert_eq!(
            uri("/tmp/plans/a b#1é.json", Some(&root)),
            "file:///tmp/plans/a%20b%231%C3%A9.json"
        );
        assert_eq!(uri("/tmp/plan.json", None), "file:///tmp/plan.json");
        let sibling = root.parent().unwrap().join("elsewhere/plan.json");
        assert!(uri(sibling.to_str().unwrap(), Some(&root)).starts_with("file:///"));
    }

    #[test]
    fn uris_without_a_working_directory_are_encoded_paths() {
        assert_eq!(
            uri_from("stacks/a b#1?/é.tf", None, Path::new("")),
            "stacks/a%20b%231%3F/%C3%A9.tf"
        );
    }

    #[test]
    fn paths_in_the_repository() {
        let root = root();
        assert_eq!(
            in_repository("./fixtures/tf/../tf/sample", Some(&root)).as_deref(),
            Some("fixtures/tf/sample")
        );
        assert_eq!(in_repository("/tmp/x.tf", Some(&root)), None);
        assert_eq!(in_repository("missing/../../x.tf", Some(&root)), None);
        assert_eq!(in_repository("x.tf", None), None);
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab", ""]));
    }
}
