//! `cname-preflight explain`: the text of each code, and the list of codes.

use crate::diag::Code;

/// The explanation of `name`, or None for an unknown code.
pub fn explain(name: &str) -> Option<&'static str> {
    Code::from_name(name).map(Code::doc)
}

/// One line per code: name, default severity, summary.
pub fn list() -> String {
    let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for code in Code::ALL {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            code.name(),
            code.default_severity().name(),
            code.summary()
        ));
    }
    out
}
