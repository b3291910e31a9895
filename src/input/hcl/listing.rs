//! The configuration files of one module directory, as the engine that
//! applies it reads them: Terraform reads `.tf` and `.tf.json`; OpenTofu
//! reads `.tofu` and `.tofu.json` as well, and a `.tofu` file replaces the
//! `.tf` file of the same name
//! (<https://opentofu.org/docs/language/files/#extension-precedence>).
//! When the engine is not named, the files are read as OpenTofu reads them
//! and every `.tf` file a `.tofu` file hides is named, so a change cannot
//! hide a `.tf` file from the check without a trace. The directory is
//! listed under the reading rule (crate::input::reading).

use std::path::{Path, PathBuf};

use crate::error::InputError;
use crate::input::reading::Area;

/// The engine that applies the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Terraform,
    OpenTofu,
}

impl Engine {
    pub const NAMES: [&str; 2] = ["terraform", "opentofu"];

    pub fn from_name(name: &str) -> Option<Engine> {
        match name {
            "terraform" => Some(Engine::Terraform),
            "opentofu" => Some(Engine::OpenTofu),
            _ => None,
        }
    }
}

/// The files read, in the engine's order, and the `.tf` files a `.tofu`
/// file hid when the engine was not named.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<PathBuf>,
    /// `(hidden .tf file, .tofu file read instead)`.
    pub shadowed: Vec<(PathBuf, PathBuf)>,
}

/// The configuration files of `dir`.
pub fn module_files(
    dir: &Path,
    area: &Area,
    engine: Option<Engine>,
) -> Result<Listing, InputError> {
    let io = |cause| InputError::Io {
        path: dir.display().to_string(),
        cause,
    };
    area.check_dir(dir)?;
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let kind = entry.file_type().map_err(io)?;
        // A symlinked file is read too (Terraform reads it), under the rule.
        if is_config_file(name) && (kind.is_file() || kind.is_symlink()) {
            files.push(entry.path());
        }
    }
    files.sort();
    let is_tofu = |p: &Path| {
        p.to_str()
            .is_some_and(|p| p.ends_with(".tofu") || p.ends_with(".tofu.json"))
    };
    if engine == Some(Engine::Terraform) {
        files.retain(|p| !is_tofu(p));
        return Ok(Listing {
            files,
            shadowed: Vec::new(),
        });
    }
    let tofu: Vec<(PathBuf, PathBuf)> = files
        .iter()
        .filter(|p| is_tofu(p))
        .filter_map(|p| {
            let s = p.to_str()?;
            let stem = s.strip_suffix(".tofu.json").map(|b| format!("{b}.tf.json"));
            let tf = stem.or_else(|| s.strip_suffix(".tofu").map(|b| format!("{b}.tf")))?;
            Some((PathBuf::from(tf), p.clone()))
        })
        .collect();
    let mut shadowed = Vec::new();
    files.retain(|p| match tofu.iter().find(|(tf, _)| tf == p) {
        Some(pair) => {
            if engine.is_none() {
                shadowed.push(pair.clone());
            }
            false
        }
        None => true,
    });
    Ok(Listing { files, shadowed })
}

pub fn is_config_file(name: &str) -> bool {
    !name.starts_with('.')
        && [".tf", ".tf.json", ".tofu", ".tofu.json"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// The warning for a `.tf` file a `.tofu` file hid.
pub fn shadowed_warning(tf: &Path, tofu: &Path) -> String {
    format!(
        "`{}` was not read: `{}` replaces it for OpenTofu, while Terraform reads it and not the \
         `.tofu` file; name the engine (`--engine terraform` or `--engine opentofu`, or \
         `engine = \"...\"` in .cname-preflight.hcl) to check what it applies",
        crate::display::shown(&crate::paths::normalise(tf).display().to_string()),
        crate::display::shown(&crate::paths::normalise(tofu).display().to_string()),
    )
}
