//! What expressions are evaluated against: a module instance's variables,
//! locals, module outputs, paths and files (the [`Context`]), and the
//! result type every evaluation step returns. A leaf: the evaluator and
//! the function library both depend on it, not on each other.

use super::value::Value;

pub type Result<T> = std::result::Result<T, String>;

/// What a module instance provides to expressions: input variables,
/// locals, module calls, `path.*`, files.
pub trait Context {
    fn variable(&self, name: &str) -> Result<Value>;
    fn local(&self, name: &str) -> Result<Value>;
    fn module(&self, name: &str) -> Result<Value>;
    fn path(&self, name: &str) -> Result<Value>;
    fn workspace(&self) -> Value;
    fn read_file(&self, path: &str) -> Result<String>;
    /// Whether `var.NAME`, `local.NAME` or `module.NAME` (`kind` is `var`,
    /// `local` or `module`) is, or is derived from, a sensitive value.
    fn is_sensitive(&self, _kind: &str, _name: &str) -> bool {
        false
    }
    /// Records that Terraform refuses the configuration at `at` whatever
    /// the variables (a literal `count = -1`): an input error, not an
    /// unknown alias.
    fn refuse(&self, _at: crate::model::Span, _message: String) {}
    /// Counts one step of evaluation against the budget of the module tree
    /// being evaluated; an error once it is spent.
    fn tick(&self) -> Result<()> {
        Ok(())
    }
}
