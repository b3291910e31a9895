//! Type conversions and sensitivity marks: `tolist`, `tomap`, `tostring`,
//! `tonumber`, `tobool`, `sensitive`, `nonsensitive`.

use super::{Function, first, number, object, text};
use crate::input::hcl::context::{Context, Result};
use crate::input::hcl::value::Value;

pub(super) const FUNCTIONS: &[Function] = &[
    Function::fixed("tolist", 1, tolist).handles_unknowns(),
    Function::fixed("tomap", 1, |args, _| {
        Ok(Value::Object(object(first(args))?))
    }),
    Function::fixed("tostring", 1, |args, _| {
        Ok(match first(args) {
            Value::Null => Value::Null,
            v => Value::String(text(&v)?),
        })
    }),
    Function::fixed("tonumber", 1, |args, _| {
        Ok(Value::Number(number(&args[0])?))
    }),
    Function::fixed("tobool", 1, tobool),
    // Sensitivity is tracked on the claim (from the plan's marks or the
    // variable's `sensitive`), not on values: both pass the value through.
    Function::fixed("sensitive", 1, |args, _| Ok(first(args))).handles_unknowns(),
    Function::fixed("nonsensitive", 1, |args, _| Ok(first(args))).handles_unknowns(),
];

/// A list (or set) stays as it is, known parts known.
fn tolist(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    match first(args) {
        v @ (Value::List(_) | Value::Unknown(_)) => Ok(v),
        other => Err(format!(
            "a list or set is required, got a {}",
            other.type_name()
        )),
    }
}

fn tobool(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    match first(args) {
        Value::Bool(b) => Ok(Value::Bool(b)),
        Value::String(s) if s == "true" => Ok(Value::Bool(true)),
        Value::String(s) if s == "false" => Ok(Value::Bool(false)),
        other => Err(format!("cannot convert {other} to bool")),
    }
}
