//! Strings: `join`, `split`, `lower`, `upper`, `title`, `trimspace`,
//! `chomp`, `trim`, `trimprefix`, `trimsuffix`, `startswith`, `endswith`,
//! `replace` (literal), `substr`, `format`, `formatlist`.

use super::{Function, list, number, take, text, too_big};
use crate::input::hcl::context::{Context, Result};
use crate::input::hcl::value::{MAX_SIZE, Value, number_text};

pub(super) const FUNCTIONS: &[Function] = &[
    Function::ranged("join", 2, None, join),
    Function::fixed("split", 2, |args, _| {
        let (sep, s) = (text(&args[0])?, text(&args[1])?);
        Ok(Value::List(if s.is_empty() {
            Vec::new()
        } else {
            s.split(sep.as_str())
                .map(|p| Value::String(p.into()))
                .collect()
        }))
    }),
    Function::fixed("lower", 1, |args, _| map(&args, |s| s.to_lowercase())),
    Function::fixed("upper", 1, |args, _| map(&args, |s| s.to_uppercase())),
    Function::fixed("title", 1, |args, _| map(&args, title)),
    Function::fixed("trimspace", 1, |args, _| map(&args, |s| s.trim().into())),
    Function::fixed("chomp", 1, |args, _| {
        map(&args, |s| s.trim_end_matches(['\n', '\r']).into())
    }),
    Function::fixed("trim", 2, |args, _| {
        with_affix(&args, |s, cut| {
            Value::String(s.trim_matches(|c| cut.contains(c)).into())
        })
    }),
    Function::fixed("trimprefix", 2, |args, _| {
        with_affix(&args, |s, p| {
            Value::String(s.strip_prefix(p).unwrap_or(s).into())
        })
    }),
    Function::fixed("trimsuffix", 2, |args, _| {
        with_affix(&args, |s, p| {
            Value::String(s.strip_suffix(p).unwrap_or(s).into())
        })
    }),
    Function::fixed("startswith", 2, |args, _| {
        with_affix(&args, |s, p| Value::Bool(s.starts_with(p)))
    }),
    Function::fixed("endswith", 2, |args, _| {
        with_affix(&args, |s, p| Value::Bool(s.ends_with(p)))
    }),
    Function::fixed("replace", 3, replace),
    Function::fixed("substr", 3, substr),
    Function::ranged("format", 1, None, |args, _| {
        Ok(Value::String(format(&text(&args[0])?, &args[1..])?))
    }),
    Function::ranged("formatlist", 1, None, formatlist),
];

fn map(args: &[Value], f: fn(&str) -> String) -> Result<Value> {
    Ok(Value::String(f(&text(&args[0])?)))
}

fn with_affix(args: &[Value], f: fn(&str, &str) -> Value) -> Result<Value> {
    Ok(f(&text(&args[0])?, &text(&args[1])?))
}

fn title(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

fn join(mut args: Vec<Value>, _: &dyn Context) -> Result<Value> {
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
    Ok(Value::String(parts.join(&sep)))
}

fn replace(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
    let (s, from, to) = (text(&args[0])?, text(&args[1])?, text(&args[2])?);
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        return Err("a regular expression in `replace` is not evaluated by cname-preflight".into());
    }
    // Measure before building: a short text can expand enormously.
    if !from.is_empty() && to.len() > from.len() {
        let grows = s.matches(from.as_str()).count() * (to.len() - from.len());
        if s.len() + grows > MAX_SIZE {
            return Err(too_big());
        }
    }
    Ok(Value::String(s.replace(&from, &to)))
}

fn substr(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
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
    Ok(Value::String(chars[start..end].iter().collect()))
}

fn formatlist(args: Vec<Value>, _: &dyn Context) -> Result<Value> {
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
                Value::List(items) => items.get(i).cloned().ok_or("the lists differ in length"),
                other => Ok(other.clone()),
            })
            .collect::<std::result::Result<_, _>>()?;
        out.push(Value::String(format(&spec, &row)?));
    }
    Ok(Value::List(out))
}

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

#[cfg(test)]
mod tests {
    use super::super::call;
    use super::super::tests::NoFiles;
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
}
