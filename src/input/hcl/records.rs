//! The Route 53 records of a module instance whose value is a
//! distribution's `domain_name`: applied in the same change as the alias,
//! they change only after the distribution does, which CloudFront refuses
//! while DNS still points elsewhere (`dns-points-elsewhere` says so).

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::Element;

use super::decl::{self, ResourceDecl};
use super::eval::Scope;
use super::instance::{Instance, with_dot};
use super::value::Value;
use crate::model::DnsRecord;

/// How deep an expression is searched for references.
const MAX_DEPTH: usize = 16;

impl Instance<'_> {
    /// The record, when its name is known and its `records` or `alias.name`
    /// refer to a distribution of this module. A record with `count` or
    /// `for_each` is read once, for its first instance's shape.
    pub(super) fn record(&self, r: &ResourceDecl) -> Option<DnsRecord> {
        let mut scope = Scope::new(self);
        let name = match scope.eval(&r.args.get("name")?.expr) {
            Ok(Value::String(name)) => name,
            _ => return None,
        };
        let mut refers_to = Vec::new();
        for key in ["records", "alias.name"] {
            if let Some(attr) = r.args.get(key) {
                distribution_refs(&attr.expr, 0, &mut refers_to);
            }
        }
        let prefix = with_dot(&self.address);
        Some(DnsRecord {
            address: format!("{prefix}{}.{}", r.type_name, r.name),
            span: r.span,
            name,
            refers_to: refers_to
                .into_iter()
                .map(|d| format!("{prefix}{}.{d}", decl::DISTRIBUTION))
                .collect(),
        })
    }
}

/// The names of the `aws_cloudfront_distribution` resources an expression
/// refers to (`aws_cloudfront_distribution.NAME...`).
fn distribution_refs(expr: &Expression, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    match expr {
        Expression::Traversal(t) => {
            if let Expression::Variable(root) = &t.expr
                && root.as_str() == decl::DISTRIBUTION
                && let Some(TraversalOperator::GetAttr(name)) =
                    t.operators.first().map(|o| o.value())
            {
                out.push(name.as_str().to_string());
            }
        }
        Expression::Array(items) => {
            for item in items.iter() {
                distribution_refs(item, depth + 1, out);
            }
        }
        Expression::Parenthesis(p) => distribution_refs(p.inner(), depth + 1, out),
        Expression::StringTemplate(t) => {
            for element in t.iter() {
                if let Element::Interpolation(i) = element {
                    distribution_refs(&i.expr, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}
