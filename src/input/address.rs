//! Terraform addresses as strings: `module.a["x"].aws_t.name[0]`.
//!
//! Instance keys may be quoted strings holding dots and brackets, so
//! addresses are split by a small scanner, never by `split('.')`.

/// The address split at the dots that separate its parts, keys kept with
/// their part: `module.a["x.y"].aws_t.n[0]` -> `module.a["x.y"]`, `aws_t.n[0]`
/// (a `module.NAME` pair and a `TYPE.NAME` pair are each one segment).
pub fn segments(address: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = address.chars();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                depth += 1;
                current.push(c);
            }
            ']' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            '"' if depth > 0 => {
                current.push(c);
                while let Some(q) = chars.next() {
                    current.push(q);
                    match q {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                current.push(e);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '.' if depth == 0 => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    // Pair the words: `module` + name, `data` + type + name, type + name.
    let mut out = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let take = match parts[i].as_str() {
            "data" => 3,
            _ => 2,
        };
        let end = (i + take).min(parts.len());
        out.push(parts[i..end].join("."));
        i = end;
    }
    out
}

/// The address without any instance keys: `module.a[0].x.y["k"]` -> `module.a.x.y`.
pub fn strip_keys(address: &str) -> String {
    segments(address)
        .iter()
        .map(|s| match s.find('[') {
            Some(i) => &s[..i],
            None => s.as_str(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The address without the key of its last part: `module.a[0].x.y["k"]` ->
/// `module.a[0].x.y`.
pub fn strip_last_key(address: &str) -> String {
    let mut segs = segments(address);
    if let Some(last) = segs.last_mut()
        && let Some(i) = last.find('[')
    {
        last.truncate(i);
    }
    segs.join(".")
}

/// `module` + `.` + `rest`, or `rest` in the root module.
pub fn join(module: &str, rest: &str) -> String {
    if module.is_empty() {
        rest.to_string()
    } else {
        format!("{module}.{rest}")
    }
}

/// Whether `address` is `prefix`, an instance of it, or inside it.
pub fn is_within(address: &str, prefix: &str) -> bool {
    match address.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('.') || rest.starts_with('['),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_quoted_keys() {
        assert_eq!(
            segments(r#"module.a["x.y]"].module.b[0].aws_t.n["k"]"#),
            vec![r#"module.a["x.y]"]"#, "module.b[0]", r#"aws_t.n["k"]"#]
        );
        assert_eq!(segments("data.aws_t.n"), vec!["data.aws_t.n"]);
    }

    #[test]
    fn strips_keys() {
        assert_eq!(
            strip_keys(r#"module.a["x.y"].module.b[0]"#),
            "module.a.module.b"
        );
        assert_eq!(
            strip_last_key(r#"module.a["x"].aws_t.n["k"]"#),
            r#"module.a["x"].aws_t.n"#
        );
    }

    #[test]
    fn within() {
        assert!(is_within("module.a[0].aws_t.n", "module.a"));
        assert!(is_within("aws_t.n[1]", "aws_t.n"));
        assert!(!is_within("aws_t.nn", "aws_t.n"));
    }
}
