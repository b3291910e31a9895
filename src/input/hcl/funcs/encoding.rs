//! Encodings: `jsondecode`, `jsonencode`, `yamldecode`. YAML is measured
//! before it is built, so anchors cannot expand a small text into a huge
//! value.

use std::collections::BTreeMap;

use super::{Function, text, too_big};
use crate::input::hcl::context::Result;
use crate::input::hcl::value::{MAX_SIZE, Value};

pub(super) const FUNCTIONS: &[Function] = &[
    Function::fixed("jsondecode", 1, |args, _| {
        let s = text(&args[0])?;
        let json: serde_json::Value =
            serde_json::from_str(&s).map_err(|e| format!("invalid JSON: {e}"))?;
        Ok(Value::from_json(&json))
    }),
    Function::fixed("jsonencode", 1, |args, _| {
        Ok(Value::String(args[0].to_json()?.to_string()))
    }),
    Function::fixed("yamldecode", 1, |args, _| yaml(&text(&args[0])?)),
];

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
