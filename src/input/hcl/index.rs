//! Where the resources of a configuration are written: plan findings point
//! at the `.tf` lines through it (`--config-dir`). This serves plan mode,
//! not HCL mode; it shares the loader and the module evaluation.

use std::path::Path;
use std::rc::Rc;

use super::decl::{Attr, ModuleDecl};
use super::loader::{Loader, Root};
use crate::error::InputError;
use crate::model::Span;
use crate::source::Sources;

/// Where the resources of a configuration are written: plan findings point
/// at the `.tf` lines through it (`--config-dir`).
pub struct ConfigIndex {
    /// None when the directory breaks the reading rule (an error says so).
    pub(super) root: Option<Root>,
    pub(super) module: Option<Rc<ModuleDecl>>,
    /// Inline suppressions of the configuration's distributions and tenants.
    pub ignores: Vec<crate::policy::InlineIgnore>,
    /// Suppression comments that are malformed, and files the reading rule
    /// refuses: errors, as in HCL mode.
    pub errors: Vec<InputError>,
    /// Files that could not be read or parsed: findings fall back to the plan.
    pub notes: Vec<String>,
}

/// Reads the configuration in `dir` (and the modules it calls) for
/// [`ConfigIndex::locate`].
pub fn index(dir: &Path, workspace: Option<&str>, sources: &mut Sources) -> ConfigIndex {
    let mut loader = Loader::new(sources, None);
    if !loader.enter(dir) {
        return ConfigIndex {
            root: None,
            module: None,
            ignores: Vec::new(),
            errors: std::mem::take(&mut loader.errors),
            notes: Vec::new(),
        };
    }
    let module = loader.module(dir);
    let root = Some(Root::new(dir, workspace, &mut loader));
    let mut index = ConfigIndex {
        root,
        module,
        ignores: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
    };
    for found in loader.ignores.values() {
        index.ignores.extend(found.iter().cloned());
    }
    index.errors = loader.ignore_errors;
    // A file the reading rule refuses is an error here too; one that
    // cannot be read or parsed only leaves findings in the plan.
    for e in loader.errors {
        if matches!(e, InputError::Refused { .. }) {
            index.errors.push(e);
        } else {
            index.notes.push(format!("{}: {e}", e.path()));
        }
    }
    index
}

impl ConfigIndex {
    /// The span to point at for `alias` of the resource at `address`: the
    /// alias in a list written out, else the `aliases` attribute (or the
    /// tenant's `domain`), else the resource block's header.
    pub fn locate(&self, address: &str, alias: Option<&str>) -> Result<Span, String> {
        let mut segments = crate::input::address::segments(address);
        let last = segments.pop().ok_or("an empty address")?;
        let root = self
            .root
            .as_ref()
            .ok_or("the configuration directory was not read")?;
        let mut decl: &ModuleDecl = self
            .module
            .as_deref()
            .ok_or_else(|| format!("no configuration in `{}`", root.dir.display()))?;
        let mut key = String::new();
        for segment in &segments {
            let name = crate::input::address::strip_keys(segment);
            let name = name.strip_prefix("module.").unwrap_or(&name).to_string();
            let call =
                decl.calls.iter().find(|c| c.name == name).ok_or_else(|| {
                    format!("`{}` has no module call `{name}`", decl.dir.display())
                })?;
            key = if key.is_empty() {
                name.clone()
            } else {
                format!("{key}.{name}")
            };
            let dir = root
                .resolve(&decl.dir, &key, call)
                .ok_or_else(|| format!("module `{key}` is not installed (run `terraform init`)"))?;
            decl = root.module(&dir).ok_or_else(|| {
                format!("module `{key}` in `{}` could not be read", dir.display())
            })?;
        }
        let last = crate::input::address::strip_keys(&last);
        let (type_name, name) = last.split_once('.').ok_or("not a resource address")?;
        let r = decl
            .resources
            .iter()
            .find(|r| r.type_name == type_name && r.name == name)
            .ok_or_else(|| format!("`{}` declares no `{type_name}.{name}`", decl.dir.display()))?;
        let literal = |attr: &Attr| -> Option<Span> {
            let alias = alias?;
            match &attr.expr {
                hcl_edit::expr::Expression::Array(items) => items
                    .iter()
                    .zip(attr.elements.iter().flatten())
                    .find(|(e, _)| matches!(e, hcl_edit::expr::Expression::String(s) if s.value() == alias))
                    .map(|(_, span)| *span),
                hcl_edit::expr::Expression::String(s) if s.value() == alias => Some(attr.span),
                _ => None,
            }
        };
        if let Some(attr) = &r.aliases {
            return Ok(literal(attr).unwrap_or(attr.span));
        }
        if let Some(span) = r.domains.iter().find_map(literal) {
            return Ok(span);
        }
        Ok(r.domains
            .first()
            .map(|a| a.span)
            .or(r.dynamic_domains.first().map(|d| d.span))
            .unwrap_or(r.span))
    }
}
