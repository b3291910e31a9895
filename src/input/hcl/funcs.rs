//! The Terraform functions alias expressions use in real modules.
//!
//! A function given an unknown value returns an unknown value (with the
//! reason of the first unknown part), except where Terraform keeps known
//! parts known (`concat`, `tolist`, `length` of a collection). Functions
//! not listed here are refused by name, so the claim says which function
//! was not evaluated.

use std::collections::BTreeMap;

use super::context::{Context, Result};
use super::value::MAX_SIZE;
use super::value::{Value, number_text};

pub fn number(v: &Value) -> Result<f64> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number")),
        other => Err(format!("a number is required, got a {}", other.type_name())),
    }
}

fn text(v: &Value) -> Result<String> {
    v.to_text()
}

fn list(v: Value) -> Result<Vec<Value>> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(format!("a list is required, got a {}", other.type_name())),
    }
}

fn object(v: Value) -> Result<BTreeMap<String, Value>> {
    match v {
        Value::Object(map) => Ok(map),
        other => Err(format!(
            "a map or object is required, got a {}",
            other.type_name()
        )),
    }
}

fn arity(args: &[Value], min: usize, max: usize) -> Result<()> {
    if args.len() < min || args.len() > max {
        return Err(if min == max {
            format!("takes {min} argument(s), got {}", args.len())
        } else {
            format!("takes {min} to {max} arguments, got {}", args.len())
        });
    }
    Ok(())
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

pub fn flatten_into(items: Vec<Value>, out: &mut Vec<Value>) {
    for v in items {
        match v {
            Value::List(inner) => flatten_into(inner, out),
            other => out.push(other),
        }
    }
}

/// Calls function `name`.
pub fn call(name: &str, args: Vec<Value>, ctx: &dyn Context) -> Result<Value> {
    match name {
        "concat" => {
            let mut out = Vec::new();
            for a in args {
                match a {
                    Value::Unknown(r) => return Ok(Value::Unknown(r)),
                    a => out.extend(list(a)?),
                }
            }
            return Ok(Value::List(out));
        }
        "tolist" => {
            arity(&args, 1, 1)?;
            return match args.into_iter().next() {
                Some(v @ (Value::List(_) | Value::Unknown(_))) => Ok(v),
                Some(other) => Err(format!(
                    "a list or set is required, got a {}",
                    other.type_name()
                )),
                None => unreachable!("arity checked"),
            };
        }
        "sensitive" | "nonsensitive" => {
            arity(&args, 1, 1)?;
            return Ok(args.into_iter().next().unwrap_or(Value::Null));
        }
        // The length of a collection is known when its elements are not.
        "length" => {
            arity(&args, 1, 1)?;
            return Ok(Value::Number(match &args[0] {
                Value::List(items) => items.len(),
                Value::Object(map) => map.len(),
                Value::String(s) => s.chars().count(),
                Value::Unknown(r) => return Ok(Value::Unknown(r.clone())),
                other => {
                    return Err(format!("cannot take the length of a {}", other.type_name()));
                }
            } as f64));
        }
        _ => {}
    }
    // Every other function needs wholly known arguments.
    if let Some(reason) = args.iter().find_map(Value::unknown_reason) {
        return Ok(Value::Unknown(reason));
    }
    let mut args = args;
    let v = match name {
        "distinct" => {
            arity(&args, 1, 1)?;
            Value::List(distinct(list(take(&mut args, 0))?))
        }
        "toset" => {
            arity(&args, 1, 1)?;
            Value::List(to_set(list(take(&mut args, 0))?))
        }
        "setunion" => {
            let mut all = Vec::new();
            for i in 0..args.len() {
                all.extend(list(take(&mut args, i))?);
            }
            Value::List(to_set(all))
        }
        "flatten" => {
            arity(&args, 1, 1)?;
            let mut out = Vec::new();
            flatten_into(list(take(&mut args, 0))?, &mut out);
            Value::List(out)
        }
        "compact" => {
            arity(&args, 1, 1)?;
            Value::List(
                list(take(&mut args, 0))?
                    .into_iter()
                    .filter(|v| {
                        !matches!(v, Value::Null) && !matches!(v, Value::String(s) if s.is_empty())
                    })
                    .collect(),
            )
        }
        "coalesce" => args
            .into_iter()
            .find(|v| !matches!(v, Value::Null) && !matches!(v, Value::String(s) if s.is_empty()))
            .ok_or("no non-null, non-empty argument")?,
        "coalescelist" => args
            .into_iter()
            .find(|v| matches!(v, Value::List(items) if !items.is_empty()))
            .ok_or("no non-empty list argument")?,
        "lookup" => {
            arity(&args, 2, 3)?;
            let key = text(&args[1])?;
            let default = (args.len() == 3).then(|| take(&mut args, 2));
            let map = object(take(&mut args, 0))?;
            match map.get(&key) {
                Some(v) => v.clone(),
                None => default
                    .ok_or_else(|| format!("the map has no key `{key}` and no default is given"))?,
            }
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for i in 0..args.len() {
                match take(&mut args, i) {
                    Value::Null => {}
                    v => out.extend(object(v)?),
                }
            }
            Value::Object(out)
        }
        "keys" => {
            arity(&args, 1, 1)?;
            Value::List(
                object(take(&mut args, 0))?
                    .into_keys()
                    .map(Value::String)
                    .collect(),
            )
        }
        "values" => {
            arity(&args, 1, 1)?;
            Value::List(object(take(&mut args, 0))?.into_values().collect())
        }
        "tomap" => {
            arity(&args, 1, 1)?;
            Value::Object(object(take(&mut args, 0))?)
        }
        "zipmap" => {
            arity(&args, 2, 2)?;
            let keys = list(take(&mut args, 0))?;
            let values = list(take(&mut args, 1))?;
            if keys.len() != values.len() {
                return Err("the key and value lists differ in length".into());
            }
            let mut out = BTreeMap::new();
            for (k, v) in keys.iter().zip(values) {
                out.insert(text(k)?, v);
            }
            Value::Object(out)
        }
        "tostring" => {
            arity(&args, 1, 1)?;
            match take(&mut args, 0) {
                Value::Null => Value::Null,
                v => Value::String(text(&v)?),
            }
        }
        "tonumber" => {
            arity(&args, 1, 1)?;
            Value::Number(number(&args[0])?)
        }
        "tobool" => {
            arity(&args, 1, 1)?;
            match take(&mut args, 0) {
                Value::Bool(b) => Value::Bool(b),
                Value::String(s) if s == "true" => Value::Bool(true),
                Value::String(s) if s == "false" => Value::Bool(false),
                other => return Err(format!("cannot convert {other} to bool")),
            }
        }
        "element" => {
            arity(&args, 2, 2)?;
            let i = number(&args[1])?;
            let items = list(take(&mut args, 0))?;
            if items.is_empty() {
                return Err("cannot use element on an empty list".into());
            }
            let i = (i.max(0.0) as usize) % items.len();
            items[i].clone()
        }
        "one" => {
            arity(&args, 1, 1)?;
            let items = list(take(&mut args, 0))?;
            match items.len() {
                0 => Value::Null,
                1 => items.into_iter().next().unwrap_or(Value::Null),
                n => {
                    return Err(format!(
                        "the list has {n} elements; `one` needs at most one"
                    ));
                }
            }
        }
        "contains" => {
            arity(&args, 2, 2)?;
            let needle = take(&mut args, 1);
            Value::Bool(list(take(&mut args, 0))?.contains(&needle))
        }
        "index" => {
            arity(&args, 2, 2)?;
            let needle = take(&mut args, 1);
            let i = list(take(&mut args, 0))?
                .iter()
                .position(|v| v == &needle)
                .ok_or("the value is not in the list")?;
            Value::Number(i as f64)
        }
        "sort" => {
            arity(&args, 1, 1)?;
            let mut items = list(take(&mut args, 0))?
                .iter()
                .map(text)
                .collect::<Result<Vec<_>>>()?;
            items.sort();
            Value::List(items.into_iter().map(Value::String).collect())
        }
        "reverse" => {
            arity(&args, 1, 1)?;
            let mut items = list(take(&mut args, 0))?;
            items.reverse();
            Value::List(items)
        }
        "slice" => {
            arity(&args, 3, 3)?;
            let (from, to) = (number(&args[1])? as usize, number(&args[2])? as usize);
            let items = list(take(&mut args, 0))?;
            if from > to || to > items.len() {
                return Err(format!(
                    "slice {from}..{to} is out of range for a list of {}",
                    items.len()
                ));
            }
            Value::List(items[from..to].to_vec())
        }
        "range" => {
            arity(&args, 1, 3)?;
            let n: Vec<f64> = args.iter().map(number).collect::<Result<_>>()?;
            let (start, end, step) = match n[..] {
                [end] => (0.0, end, 1.0),
                [start, end] => (start, end, if end >= start { 1.0 } else { -1.0 }),
                [start, end, step] => (start, end, step),
                _ => unreachable!("arity checked"),
            };
            if step == 0.0 {
                return Err("the step must not be zero".into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Value::Number(x));
                x += step;
                if out.len() > 1024 {
                    return Err("the range is too long".into());
                }
            }
            Value::List(out)
        }
        "max" | "min" => {
            let n: Vec<f64> = args.iter().map(number).collect::<Result<_>>()?;
            let pick = if name == "max" { f64::max } else { f64::min };
            Value::Number(
                n.into_iter()
                    .reduce(pick)
                    .ok_or("needs at least one argument")?,
            )
        }
        "abs" | "ceil" | "floor" => {
            arity(&args, 1, 1)?;
            let n = number(&args[0])?;
            Value::Number(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                _ => n.floor(),
            })
        }
        "join" => {
            arity(&args, 2, usize::MAX)?;
            let sep = text(&args[0])?;
            let mut parts = Vec::new();
            let mut size = 0usize;
            for i in 1..args.len() {
                for v in list(take(&mut args, i))? {
                    let part = text(&v)?;
                    size += part.len() + sep.len();
                    if size > MAX_SIZE {
                        return Err(too_big());
                    }
                    parts.push(part);
                }
            }
            Value::String(parts.join(&sep))
        }
        "split" => {
            arity(&args, 2, 2)?;
            let (sep, s) = (text(&args[0])?, text(&args[1])?);
            if s.is_empty() {
                Value::List(Vec::new())
            } else {
                Value::List(
                    s.split(sep.as_str())
                        .map(|p| Value::String(p.into()))
                        .collect(),
                )
            }
        }
        "lower" | "upper" | "trimspace" | "chomp" | "title" => {
            arity(&args, 1, 1)?;
            let s = text(&args[0])?;
            Value::String(match name {
                "lower" => s.to_lowercase(),
                "upper" => s.to_uppercase(),
                "trimspace" => s.trim().to_string(),
                "chomp" => s.trim_end_matches(['\n', '\r']).to_string(),
                _ => s
                    .split(' ')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<String>>()
                    .join(" "),
            })
        }
        "trimsuffix" | "trimprefix" | "startswith" | "endswith" | "trim" => {
            arity(&args, 2, 2)?;
            let (s, affix) = (text(&args[0])?, text(&args[1])?);
            match name {
                "trimsuffix" => Value::String(s.strip_suffix(affix.as_str()).unwrap_or(&s).into()),
                "trimprefix" => Value::String(s.strip_prefix(affix.as_str()).unwrap_or(&s).into()),
                "startswith" => Value::Bool(s.starts_with(&affix)),
                "endswith" => Value::Bool(s.ends_with(&affix)),
                _ => Value::String(s.trim_matches(|c| affix.contains(c)).into()),
            }
        }
        "replace" => {
            arity(&args, 3, 3)?;
            let (s, from, to) = (text(&args[0])?, text(&args[1])?, text(&args[2])?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Err(
                    "a regular expression in `replace` is not evaluated by cname-preflight".into(),
                );
            }
            // Measure before building: a short text can expand enormously.
            if !from.is_empty() && to.len() > from.len() {
                let grows = s.matches(from.as_str()).count() * (to.len() - from.len());
                if s.len() + grows > MAX_SIZE {
                    return Err(too_big());
                }
            }
            Value::String(s.replace(&from, &to))
        }
        "substr" => {
            arity(&args, 3, 3)?;
            let s = text(&args[0])?;
            let chars: Vec<char> = s.chars().collect();
            let offset = number(&args[1])?;
            let len = number(&args[2])?;
            let start = if offset < 0.0 {
                chars.len().saturating_sub((-offset) as usize)
            } else {
                (offset as usize).min(chars.len())
            };
            let end = if len < 0.0 {
                chars.len()
            } else {
                (start + len as usize).min(chars.len())
            };
            Value::String(chars[start..end].iter().collect())
        }
        "format" => {
            arity(&args, 1, usize::MAX)?;
            Value::String(format(&text(&args[0])?, &args[1..])?)
        }
        "formatlist" => {
            arity(&args, 1, usize::MAX)?;
            let spec = text(&args[0])?;
            let n = args[1..]
                .iter()
                .filter_map(|a| match a {
                    Value::List(items) => Some(items.len()),
                    _ => None,
                })
                .max()
                .unwrap_or(1);
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                let row: Vec<Value> = args[1..]
                    .iter()
                    .map(|a| match a {
                        Value::List(items) => {
                            items.get(i).cloned().ok_or("the lists differ in length")
                        }
                        other => Ok(other.clone()),
                    })
                    .collect::<std::result::Result<_, _>>()?;
                out.push(Value::String(format(&spec, &row)?));
            }
            Value::List(out)
        }
        "jsondecode" => {
            arity(&args, 1, 1)?;
            let s = text(&args[0])?;
            let json: serde_json::Value =
                serde_json::from_str(&s).map_err(|e| format!("invalid JSON: {e}"))?;
            Value::from_json(&json)
        }
        "jsonencode" => {
            arity(&args, 1, 1)?;
            Value::String(args[0].to_json()?.to_string())
        }
        "yamldecode" => {
            arity(&args, 1, 1)?;
            yaml(&text(&args[0])?)?
        }
        "file" => {
            arity(&args, 1, 1)?;
            Value::String(ctx.read_file(&text(&args[0])?)?)
        }
        "fileexists" => {
            arity(&args, 1, 1)?;
            Value::Bool(ctx.read_file(&text(&args[0])?).is_ok())
        }
        other => {
            return Err(format!(
                "the function `{other}` is not evaluated by cname-preflight"
            ));
        }
    };
    Ok(v)
}

/// Terraform's `format`: `%s`, `%d`, `%v`, `%q`, `%%`, with widths ignored.
/// The widest padding or precision `format` accepts: wider ones are a way to
/// make one value huge, not a name.
const MAX_FORMAT_WIDTH: usize = 1_000;

/// Terraform's `format`: verbs `%s %v %d %q %%` with the flags `-`, `0`,
/// `+` and a space, a width and a precision (`%05d`, `%-8s`, `%.3s`).
fn format(spec: &str, args: &[Value]) -> Result<String> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let (mut left, mut zero, mut plus, mut space) = (false, false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                _ => break,
            }
            chars.next();
        }
        let digits = |chars: &mut std::iter::Peekable<std::str::Chars>| -> Result<Option<usize>> {
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                chars.next();
                let v = n.unwrap_or(0) * 10 + d as usize;
                if v > MAX_FORMAT_WIDTH {
                    return Err(format!(
                        "a width or precision over {MAX_FORMAT_WIDTH} in the format"
                    ));
                }
                n = Some(v);
            }
            Ok(n)
        };
        let width = digits(&mut chars)?;
        let precision = if chars.peek() == Some(&'.') {
            chars.next();
            Some(digits(&mut chars)?.unwrap_or(0))
        } else {
            None
        };
        let verb = chars
            .next()
            .ok_or("the format ends in the middle of a verb")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = args
            .get(next)
            .ok_or("not enough arguments for the format")?;
        next += 1;
        let body = match verb {
            's' | 'v' => {
                let t = text(arg)?;
                match precision {
                    Some(p) => t.chars().take(p).collect(),
                    None => t,
                }
            }
            'd' => {
                let n = number(arg)?.trunc();
                let digits = number_text(n.abs());
                let sign = if n < 0.0 {
                    "-"
                } else if plus {
                    "+"
                } else if space {
                    " "
                } else {
                    ""
                };
                match width {
                    Some(w) if zero && !left && sign.len() + digits.len() < w => {
                        format!(
                            "{sign}{}{digits}",
                            "0".repeat(w - sign.len() - digits.len())
                        )
                    }
                    _ => format!("{sign}{digits}"),
                }
            }
            'q' => format!("{:?}", text(arg)?),
            other => {
                return Err(format!(
                    "the verb `%{other}` is not evaluated by cname-preflight"
                ));
            }
        };
        let len = body.chars().count();
        match width {
            Some(w) if len < w && left => {
                out.push_str(&body);
                out.push_str(&" ".repeat(w - len));
            }
            Some(w) if len < w => {
                out.push_str(&" ".repeat(w - len));
                out.push_str(&body);
            }
            _ => out.push_str(&body),
        }
    }
    Ok(out)
}

fn yaml(text: &str) -> Result<Value> {
    // The loader expands aliases as it builds: measure the expanded size
    // from the events first, so a "billion laughs" document is refused
    // before it is built.
    let mut size = YamlSize::default();
    yaml_rust2::parser::Parser::new_from_str(text)
        .load(&mut size, true)
        .map_err(|e| format!("invalid YAML: {e}"))?;
    if size.too_big {
        return Err(too_big());
    }
    let docs =
        yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
    match docs.len() {
        0 => Ok(Value::Null),
        1 => from_yaml(&docs[0]),
        _ => Err("the YAML has more than one document".into()),
    }
}

fn from_yaml(y: &yaml_rust2::Yaml) -> Result<Value> {
    use yaml_rust2::Yaml;
    Ok(match y {
        Yaml::Real(s) => Value::Number(s.parse().map_err(|_| format!("bad number `{s}`"))?),
        Yaml::Integer(i) => Value::Number(*i as f64),
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::List(items.iter().map(from_yaml).collect::<Result<_>>()?),
        Yaml::Hash(map) => {
            let mut out = BTreeMap::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Real(s) => s.clone(),
                    _ => return Err("a YAML map key must be a scalar".into()),
                };
                out.insert(key, from_yaml(v)?);
            }
            Value::Object(out)
        }
        Yaml::Null => Value::Null,
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err("the YAML has a value Terraform does not read".into());
        }
    })
}

fn too_big() -> String {
    format!(
        "the value grows past {} MiB, more than any list of aliases",
        MAX_SIZE / (1024 * 1024)
    )
}

/// Counts the nodes a YAML document has once its aliases are expanded.
#[derive(Default)]
struct YamlSize {
    total: usize,
    /// Nodes under each anchor.
    anchors: std::collections::HashMap<usize, usize>,
    /// Open collections: their anchor and the count where they started.
    open: Vec<(usize, usize)>,
    too_big: bool,
}

impl yaml_rust2::parser::MarkedEventReceiver for YamlSize {
    fn on_event(&mut self, ev: yaml_rust2::parser::Event, _mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::parser::Event;
        match ev {
            Event::Scalar(value, _, anchor, _) => {
                self.total = self.total.saturating_add(16 + value.len());
                if anchor > 0 {
                    self.anchors.insert(anchor, 16 + value.len());
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.open.push((anchor, self.total));
                self.total = self.total.saturating_add(16);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = self.open.pop()
                    && anchor > 0
                {
                    self.anchors.insert(anchor, self.total - start);
                }
            }
            Event::Alias(id) => {
                let n = self.anchors.get(&id).copied().unwrap_or(0);
                self.total = self.total.saturating_add(n);
            }
            _ => {}
        }
        if self.total > MAX_SIZE {
            self.too_big = true;
        }
    }
}

fn take(args: &mut [Value], i: usize) -> Value {
    std::mem::replace(&mut args[i], Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(spec: &str, args: &[Value]) -> String {
        format(spec, args).unwrap()
    }

    #[test]
    fn format_honours_width_precision_and_flags() {
        let n = |x: f64| Value::Number(x);
        let s = |x: &str| Value::String(x.into());
        assert_eq!(f("web-%02d", &[n(3.0)]), "web-03");
        assert_eq!(f("%05d", &[n(-42.0)]), "-0042");
        assert_eq!(f("%+d", &[n(7.0)]), "+7");
        assert_eq!(f("[%5s]", &[s("ab")]), "[   ab]");
        assert_eq!(f("[%-5s]", &[s("ab")]), "[ab   ]");
        assert_eq!(f("%.3s.example.com", &[s("abcdef")]), "abc.example.com");
        assert_eq!(f("100%%", &[]), "100%");
        assert!(format("%99999999d", &[n(1.0)]).is_err());
    }

    proptest::proptest! {
        /// `format` never panics and never makes more than its bounded
        /// widths allow, whatever the spec.
        #[test]
        fn format_is_total_and_bounded(spec in "(%[-0+ ]{0,3}[0-9]{0,5}(\\.[0-9]{0,5})?[sdvq%x]|[a-z.]){0,12}", n in -1e9f64..1e9) {
            let args = vec![Value::Number(n.trunc()); 12];
            if let Ok(out) = format(&spec, &args) {
                proptest::prop_assert!(out.len() <= 12 * (MAX_FORMAT_WIDTH + 64) + spec.len());
            }
        }

        /// `replace` refuses what would grow past the size limit instead
        /// of building it.
        #[test]
        fn replace_is_bounded(len in 0usize..5000, grow in 0usize..5000) {
            let ctx = NoFiles;
            let s = Value::String("a".repeat(len));
            let to = Value::String("b".repeat(grow));
            match call("replace", vec![s, Value::String("a".into()), to], &ctx) {
                Ok(Value::String(out)) => proptest::prop_assert!(out.len() <= MAX_SIZE),
                Ok(other) => proptest::prop_assert!(false, "{other:?}"),
                Err(e) => proptest::prop_assert!(e.contains("grows past"), "{e}"),
            }
        }
    }

    struct NoFiles;

    impl Context for NoFiles {
        fn variable(&self, name: &str) -> Result<Value> {
            Err(format!("no variable {name}"))
        }
        fn local(&self, name: &str) -> Result<Value> {
            Err(format!("no local {name}"))
        }
        fn module(&self, name: &str) -> Result<Value> {
            Err(format!("no module {name}"))
        }
        fn path(&self, name: &str) -> Result<Value> {
            Err(format!("no path {name}"))
        }
        fn workspace(&self) -> Value {
            Value::String("default".into())
        }
        fn read_file(&self, path: &str) -> Result<String> {
            Err(format!("no file {path}"))
        }
    }
}
