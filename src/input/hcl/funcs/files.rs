//! Files: `file`, `fileexists`, read through the context (which keeps
//! reads inside the repository and bounded in size).

use super::{Function, text};
use crate::input::hcl::value::Value;

pub(super) const FUNCTIONS: &[Function] = &[
    Function::fixed("file", 1, |args, ctx| {
        Ok(Value::String(ctx.read_file(&text(&args[0])?)?))
    }),
    Function::fixed("fileexists", 1, |args, ctx| {
        Ok(Value::Bool(ctx.read_file(&text(&args[0])?).is_ok()))
    }),
];
