//! Terraform state, for HCL mode: which distribution IDs the configuration
//! already owns and the aliases they hold. Reads `terraform show -json`
//! output of a state and raw `terraform.tfstate` files (format 4).

use std::collections::HashMap;

use crate::error::InputError;
use crate::model::DomainName;
use crate::source::Source;

/// A distribution or tenant in the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    pub id: String,
    pub aliases: Vec<DomainName>,
}

/// Deployed distributions and tenants by resource instance address.
pub fn read(source: &Source) -> Result<HashMap<String, Deployed>, InputError> {
    let doc: serde_json::Value = serde_json::from_str(&source.text).map_err(|e| {
        let at = crate::source::byte_offset(&source.text, e.line(), e.column());
        crate::input::hcl::decl::hcl_error(
            source,
            at,
            format!("`{}` is not valid state JSON: {e}", source.name),
            "here",
        )
    })?;
    let mut out = HashMap::new();
    if let Some(root) = doc.pointer("/values/root_module") {
        shown_module(root, &mut out);
    } else if let Some(resources) = doc.get("resources").and_then(|r| r.as_array()) {
        for r in resources {
            raw_resource(r, &mut out);
        }
    } else {
        return Err(crate::input::hcl::decl::hcl_error(
            source,
            0,
            format!(
                "`{}` is not a Terraform state: expected `terraform show -json` output of a state or a terraform.tfstate file",
                source.name
            ),
            "this document",
        ));
    }
    Ok(out)
}

fn deployed(values: &serde_json::Value) -> Option<Deployed> {
    let id = values.get("id")?.as_str()?.to_string();
    let names = |v: &serde_json::Value| -> Vec<DomainName> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().or_else(|| a.get("domain")?.as_str()))
            .map(DomainName::new)
            .collect()
    };
    let mut aliases = names(values.get("aliases").unwrap_or(&serde_json::Value::Null));
    aliases.extend(names(
        values.get("domain").unwrap_or(&serde_json::Value::Null),
    ));
    Some(Deployed { id, aliases })
}

fn is_cloudfront(t: &str) -> bool {
    t == crate::model::types::DISTRIBUTION || t == crate::model::types::TENANT
}

fn shown_module(module: &serde_json::Value, out: &mut HashMap<String, Deployed>) {
    for r in module["resources"].as_array().into_iter().flatten() {
        if r["mode"] == "managed"
            && r["type"].as_str().is_some_and(is_cloudfront)
            && let (Some(address), Some(d)) = (r["address"].as_str(), deployed(&r["values"]))
        {
            out.insert(address.to_string(), d);
        }
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        shown_module(child, out);
    }
}

fn raw_resource(r: &serde_json::Value, out: &mut HashMap<String, Deployed>) {
    let (Some(t), Some(name)) = (r["type"].as_str(), r["name"].as_str()) else {
        return;
    };
    if r["mode"] != "managed" || !is_cloudfront(t) {
        return;
    }
    let module = r["module"]
        .as_str()
        .map(|m| format!("{m}."))
        .unwrap_or_default();
    for instance in r["instances"].as_array().into_iter().flatten() {
        if instance.get("deposed").is_some() {
            continue;
        }
        let key = match &instance["index_key"] {
            serde_json::Value::Number(n) => format!("[{n}]"),
            serde_json::Value::String(s) => format!("[{}]", serde_json::Value::String(s.clone())),
            _ => String::new(),
        };
        if let Some(d) = deployed(&instance["attributes"]) {
            out.insert(format!("{module}{t}.{name}{key}"), d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_state_forms() {
        let shown = r#"{"format_version":"1.0","values":{"root_module":{"resources":[],
          "child_modules":[{"address":"module.site[\"blog\"]","resources":[{"address":"module.site[\"blog\"].aws_cloudfront_distribution.this","mode":"managed","type":"aws_cloudfront_distribution","name":"this","values":{"id":"E1","aliases":["blog.example.com"]}}]}]}}}"#;
        let raw = r#"{"version":4,"resources":[{"module":"module.site[\"blog\"]","mode":"managed","type":"aws_cloudfront_distribution","name":"this","instances":[{"attributes":{"id":"E1","aliases":["blog.example.com"]}}]},
          {"mode":"managed","type":"aws_cloudfront_distribution_tenant","name":"t","instances":[{"index_key":"a","attributes":{"id":"dt_1","domain":[{"domain":"a.example.com"}]}}]}]}"#;
        let a = read(&Source::new("s.json", shown.into())).unwrap();
        let b = read(&Source::new("terraform.tfstate", raw.into())).unwrap();
        let key = "module.site[\"blog\"].aws_cloudfront_distribution.this";
        assert_eq!(a[key], b[key]);
        assert_eq!(a[key].id, "E1");
        assert_eq!(
            b["aws_cloudfront_distribution_tenant.t[\"a\"]"].aliases,
            vec![DomainName::new("a.example.com")]
        );
        assert!(read(&Source::new("x.json", "{\"a\":1}".into())).is_err());
    }
}
