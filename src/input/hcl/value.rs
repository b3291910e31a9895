//! Values of Terraform expressions, as far as cname-preflight evaluates them.
//!
//! Lists, tuples and sets are all `List`; maps and objects are `Object`,
//! keyed in lexical order as Terraform iterates them. A value that is only
//! known after apply (a resource attribute, a data source, a variable with
//! no value) is `Unknown`, carrying the reason shown to the user.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    Unknown(Rc<str>),
}

/// The largest value evaluated, in bytes of text plus 16 per element: far
/// past any list of aliases, short of what exhausts memory.
pub const MAX_SIZE: usize = 8 * 1024 * 1024;

impl Value {
    /// Whether the value is at most `limit` large (text bytes plus 16 per
    /// element); stops counting as soon as it is not.
    pub fn size_within(&self, limit: usize) -> bool {
        let mut total = 0usize;
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            total += 16;
            match v {
                Value::String(s) => total += s.len(),
                Value::List(items) => stack.extend(items.iter()),
                Value::Object(map) => {
                    for (k, v) in map {
                        total += k.len();
                        stack.push(v);
                    }
                }
                _ => {}
            }
            if total > limit {
                return false;
            }
        }
        true
    }

    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Rc::from(reason.into()))
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown value",
        }
    }

    /// The first reason found if any part of the value is unknown.
    pub fn unknown_reason(&self) -> Option<Rc<str>> {
        match self {
            Value::Unknown(r) => Some(r.clone()),
            Value::List(items) => items.iter().find_map(Value::unknown_reason),
            Value::Object(map) => map.values().find_map(Value::unknown_reason),
            _ => None,
        }
    }

    /// The value as template text: strings, numbers and bools convert.
    pub fn to_text(&self) -> Result<String, String> {
        match self {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(number_text(*n)),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Null => Err("a null value cannot be used as a string".into()),
            other => Err(format!("a string is required, got a {}", other.type_name())),
        }
    }

    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .ok_or("a number that is not finite has no JSON form")?,
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(
                items.iter().map(Value::to_json).collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), v.to_json()?)))
                    .collect::<Result<_, String>>()?,
            ),
            Value::Unknown(r) => return Err(r.to_string()),
        })
    }
}

/// What iterating a value gives: (key, value) pairs, index keys for a
/// list, or the reason it is not known.
pub enum Iteration {
    Pairs(Vec<(Value, Value)>),
    Unknown(Rc<str>),
}

impl Value {
    /// The pairs a `for` expression, `%{for}` or `dynamic` block iterates;
    /// `what` names the construct in the error.
    pub fn iterate(self, what: &str) -> Result<Iteration, String> {
        Ok(Iteration::Pairs(match self {
            Value::Unknown(r) => return Ok(Iteration::Unknown(r)),
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
            other => {
                return Err(format!(
                    "{what} needs a list or map, got a {}",
                    other.type_name()
                ));
            }
        }))
    }
}

pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&number_text(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown(_) => f.write_str("(known after apply)"),
        }
    }
}
