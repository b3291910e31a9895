//! Numbers: `max`, `min`, `abs`, `ceil`, `floor`.

use super::{Function, number};
use crate::input::hcl::context::Result;
use crate::input::hcl::value::Value;

pub(super) const FUNCTIONS: &[Function] = &[
    Function::ranged("max", 1, None, |args, _| reduce(&args, f64::max)),
    Function::ranged("min", 1, None, |args, _| reduce(&args, f64::min)),
    Function::fixed("abs", 1, |args, _| {
        Ok(Value::Number(number(&args[0])?.abs()))
    }),
    Function::fixed("ceil", 1, |args, _| {
        Ok(Value::Number(number(&args[0])?.ceil()))
    }),
    Function::fixed("floor", 1, |args, _| {
        Ok(Value::Number(number(&args[0])?.floor()))
    }),
];

fn reduce(args: &[Value], pick: fn(f64, f64) -> f64) -> Result<Value> {
    let n: Vec<f64> = args.iter().map(number).collect::<Result<_>>()?;
    Ok(Value::Number(
        n.into_iter()
            .reduce(pick)
            .ok_or("needs at least one argument")?,
    ))
}
