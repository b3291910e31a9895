//! Lists, sets and maps: `concat`, `length`, `distinct`, `toset`,
//! `setunion`, `flatten`, `compact`, `coalesce`, `coalescelist`, `lookup`,
//! `merge`, `keys`, `values`, `zipmap`, `element`, `one`, `contains`,
//! `index`, `sort`, `reverse`, `slice`, `range`.

use std::collections::BTreeMap;

use super::{Function, first, list, number, object, take, text};
use crate::input::hcl::context::{Context, Result};
use crate::input::hcl::value::Value;

/// The longest list `range` makes.
const MAX_RANGE: usize = 1024;

pub(super) const FUNCTIONS: &[Function] = &[
    Function::ranged("concat", 0, None, concat).handles_unknowns(),
    Function::fixed("length", 1, length).handles_unknowns(),
    Function::fixed("distinct", 1, |args, _| {
        Ok(Value::List(distinct(list(first(args))?)))
    }),
    Function::fixed("toset", 1, |args, _| {
        Ok(Value::List(to_set(list(first(args))?)))
    }),
    Function::ranged("setunion", 0, None, setunion),
    Function::fixed("flatten", 1, |args, _| {
        let mut out = Vec::new();
        flatten_into(list(first(args))?, &mut out);
        Ok(Value::List(out))
    }),
    Function::fixed("compact", 1, |args, _| {
        Ok(Value::List(
            list(first(args))?
                .into_iter()
                .filter(|v| !is_empty(v))
                .collect(),
        ))
    }),
    Function::ranged("coalesce", 0, None, |args, _| {
        Ok(args
            .into_iter()
            .find(|v| !is_empty(v))
            .ok_or("no non-null, non-empty argument")?)
    }),
    Function::ranged("coalescelist", 0, None, |args, _| {
        Ok(args
            .into_iter()
            .find(|v| matches!(v, Value::List(items) if !items.is_empty()))
            .ok_or("no non-empty list argument")?)
    }),
    Function::ranged("lookup", 2, Some(3), lookup),
    Function::ranged("merge", 0, None, merge),
    Function::fixed("keys", 1, |args, _| {
        Ok(Value::List(
            object(first(args))?
                .into_keys()
                .map(Value::String)
                .collect(),
        ))
    }),
    Function::fixed("values", 1, |args, _| {
        Ok(Value::List(object(first(args))?.into_values().collect()))
    }),
    Function::fixed("zipmap", 2, zipmap),
    Function::fixed("element", 2, element),
    Function::fixed("one", 1, one),
    Function::fixed("contains", 2, |mut args, _| {
        let needle = take(&mut args, 1);
        Ok(Value::Bool(list(take(&mut args, 0))?.contains(&needle)))
    }),
    Function::fixed("index", 2, |mut args, _| {
        let needle = take(&mut args, 1);
        let i = list(take(&mut args, 0))?
            .iter()
            .position(|v| v == &needle)
            .ok_or("the value is not in the list")?;
        Ok(Value::Number(i as f64))
    }),
    Function::fixed("sort", 1, |args, _| {
        let mut items = list(first(args))?
            .iter()
            .map(text)
            .collect::<Result<Vec<_>>>()?;
        items.sort();
        Ok(Value::List(items.into_iter().map(Value::String).collect()))
    }),
    Function::fixed("reverse", 1, |args, _| {
        let mut items = list(first(args))?;
        items.reverse();
        Ok(Value::List(items))
    }),
    Function::fixed("slice", 3, slice),
    Function::ranged("range", 1, Some(3), range),
];

/// Null or the empty string: what `compact` and `coalesce` skip.
fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null) || matches!(v, Value::String(s) if s.is_empty())
}

fn concat(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let mut out = Vec::new();
    for a in args {
        match a {
            Value::Unknown(r) => return Ok(Value::Unknown(r)),
            a => out.extend(list(a)?),
        }
    }
    Ok(Value::List(out))
}

/// The length of a collection is known when its elements are not.
fn length(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    Ok(Value::Number(match &args[0] {
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        Value::String(s) => s.chars().count(),
        Value::Unknown(r) => return Ok(Value::Unknown(r.clone())),
        other => {
            return Err(format!("cannot take the length of a {}", other.type_name()));
        }
    } as f64))
}

fn distinct(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for v in items {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn to_set(items: Vec<Value>) -> Vec<Value> {
    let mut out = distinct(items);
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|a, b| match (a, b) {
            (Value::String(a), Value::String(b)) => a.cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    out
}

fn setunion(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let mut all = Vec::new();
    for a in args {
        all.extend(list(a)?);
    }
    Ok(Value::List(to_set(all)))
}

pub fn flatten_into(items: Vec<Value>, out: &mut Vec<Value>) {
    for v in items {
        match v {
            Value::List(inner) => flatten_into(inner, out),
            other => out.push(other),
        }
    }
}

fn lookup(mut args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let key = text(&args[1])?;
    let default = (args.len() == 3).then(|| take(&mut args, 2));
    let map = object(take(&mut args, 0))?;
    match map.get(&key) {
        Some(v) => Ok(v.clone()),
        None => {
            default.ok_or_else(|| format!("the map has no key `{key}` and no default is given"))
        }
    }
}

fn merge(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let mut out = BTreeMap::new();
    for a in args {
        match a {
            Value::Null => {}
            v => out.extend(object(v)?),
        }
    }
    Ok(Value::Object(out))
}

fn zipmap(mut args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let keys = list(take(&mut args, 0))?;
    let values = list(take(&mut args, 1))?;
    if keys.len() != values.len() {
        return Err("the key and value lists differ in length".into());
    }
    let mut out = BTreeMap::new();
    for (k, v) in keys.iter().zip(values) {
        out.insert(text(k)?, v);
    }
    Ok(Value::Object(out))
}

fn element(mut args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let i = number(&args[1])?;
    let items = list(take(&mut args, 0))?;
    if items.is_empty() {
        return Err("cannot use element on an empty list".into());
    }
    let i = (i.max(0.0) as usize) % items.len();
    Ok(items[i].clone())
}

fn one(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let items = list(first(args))?;
    match items.len() {
        0 => Ok(Value::Null),
        1 => Ok(first(items)),
        n => Err(format!(
            "the list has {n} elements; `one` needs at most one"
        )),
    }
}

fn slice(mut args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let (from, to) = (number(&args[1])? as usize, number(&args[2])? as usize);
    let items = list(take(&mut args, 0))?;
    if from > to || to > items.len() {
        return Err(format!(
            "slice {from}..{to} is out of range for a list of {}",
            items.len()
        ));
    }
    Ok(Value::List(items[from..to].to_vec()))
}

fn range(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let n: Vec<f64> = args.iter().map(number).collect::<Result<_>>()?;
    let (start, end, step) = match n[..] {
        [end] => (0.0, end, 1.0),
        [start, end] => (start, end, if end >= start { 1.0 } else { -1.0 }),
        [start, end, step] => (start, end, step),
        _ => return Err("takes 1 to 3 arguments".into()),
    };
    if step == 0.0 {
        return Err("the step must not be zero".into());
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        out.push(Value::Number(x));
        x += step;
        if out.len() > MAX_RANGE {
            return Err("the range is too long".into());
        }
    }
    Ok(Value::List(out))
}
