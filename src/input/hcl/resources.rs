//! The resources of a module instance: distributions and tenants with their
//! evaluated aliases (or why they are unknown), dynamic tenant domains, and
//! the certificates they use.

use std::collections::BTreeMap;

use super::decl::{self, Attr, ResourceDecl};
use super::discovery::{is_local, normalise};
use super::eval::{self, Scope};
use super::instance::{Instance, InstanceKey, expand, with_dot};
use super::value::Value;
use super::{Read, funcs, value};
use crate::model::{
    Action, Address, AliasEntry, AliasValue, CertificateUse, DomainName, Origin, Resource,
    ResourceKind, Span,
};
use crate::source::Sources;

impl<'a> Instance<'a> {
    /// Adds the distributions and tenants of this instance and its children.
    pub(super) fn walk(&self, sources: &Sources, out: &mut Read) {
        for r in &self.decl.resources {
            let kind = match r.type_name.as_str() {
                decl::DISTRIBUTION => ResourceKind::Distribution,
                decl::TENANT => ResourceKind::Tenant,
                decl::RECORD => {
                    out.records.extend(self.record(r));
                    continue;
                }
                _ => continue,
            };
            let mut scope = Scope::new(self);
            match expand(&mut scope, r.count.as_ref(), r.for_each.as_ref()) {
                Ok(instances) => {
                    for (ikey, count, each) in instances {
                        let mut scope = Scope::new(self);
                        scope.count = count;
                        scope.each = each;
                        out.resources
                            .push(self.resource(r, kind, &ikey, &mut scope, sources));
                    }
                }
                // Terraform refuses the resource: none of its aliases is known.
                Err(reason) => {
                    let mut scope = Scope::new(self);
                    let mut refused =
                        self.resource(r, kind, &InstanceKey::Unknown, &mut scope, sources);
                    for entry in &mut refused.after {
                        entry.value = AliasValue::Unknown {
                            reason: reason.clone(),
                        };
                    }
                    out.resources.push(refused);
                }
            }
        }
        for call in &self.decl.calls {
            match self.children(call) {
                Ok(Some(children)) => {
                    for (_, child) in children {
                        child.walk(sources, out);
                    }
                }
                // A local module that cannot be read is already an input
                // error; a remote one is simply not installed.
                Ok(None) => {
                    if !call.source.as_deref().is_some_and(is_local) {
                        self.root.warnings.borrow_mut().push(format!(
                            "`{}module.{}` (source `{}`) was not checked: it is not installed; \
                             run `terraform init` (or `terraform get`) so the aliases it makes can be read",
                            with_dot(&self.address),
                            call.name,
                            call.source.as_deref().unwrap_or("?")
                        ));
                    }
                }
                // An empty reason was said once for the whole root.
                Err(e) if e.is_empty() => {}
                Err(e) => self.root.warnings.borrow_mut().push(format!(
                    "`{}module.{}` was not checked: {e}",
                    with_dot(&self.address),
                    call.name
                )),
            }
        }
    }

    pub(super) fn resource(
        &self,
        r: &ResourceDecl,
        kind: ResourceKind,
        key: &InstanceKey,
        scope: &mut Scope,
        sources: &Sources,
    ) -> Resource {
        let address = format!(
            "{}{}.{}{}",
            with_dot(&self.address),
            r.type_name,
            r.name,
            key.suffix()
        );
        let mut after = Vec::new();
        let mut after_span = None;
        // Whatever the aliases read that is sensitive masks them all.
        scope.sensitive = false;
        match kind {
            ResourceKind::Distribution => {
                if let Some(attr) = &r.aliases {
                    after_span = Some(Span {
                        len: 1,
                        ..attr.span
                    });
                    let v = scope.eval(&attr.expr);
                    after = entries(v, attr, sources, "aliases");
                }
            }
            ResourceKind::Tenant => {
                for attr in &r.domains {
                    after_span.get_or_insert(Span {
                        len: 1,
                        ..attr.span
                    });
                    let v = scope.eval(&attr.expr).map(|v| Value::List(vec![v]));
                    after.extend(entries(v, attr, sources, "domain"));
                }
                for d in &r.dynamic_domains {
                    after_span.get_or_insert(Span { len: 1, ..d.span });
                    after.extend(self.dynamic_domains(d, scope, sources));
                }
            }
        }
        if scope.sensitive {
            for entry in &mut after {
                entry.sensitive = true;
            }
        }
        let provider_key = r.provider.as_deref().or(Some("aws")).map(|p| {
            self.providers
                .get(p)
                .cloned()
                .unwrap_or_else(|| p.to_string())
        });
        let text =
            |name: &str, scope: &mut Scope| match r.args.get(name).map(|a| scope.eval(&a.expr)) {
                Some(Ok(Value::String(s))) => Some(s),
                _ => None,
            };
        let boolean =
            |name: &str, scope: &mut Scope| match r.args.get(name).map(|a| scope.eval(&a.expr)) {
                Some(Ok(Value::Bool(b))) => Some(b),
                _ => None,
            };
        let certificate = match kind {
            ResourceKind::Distribution => self.certificate(r, scope),
            ResourceKind::Tenant => self.tenant_certificate(r, scope),
        };
        Resource {
            kind,
            address: Address::new(address),
            // The input this resource comes from: its root module, as a plan
            // file is for plan resources.
            file: normalise(&self.root.dir).display().to_string(),
            module_address: self.address.clone(),
            action: Action::Create,
            replace_reason: None,
            provider_key,
            span: r.span,
            before: Vec::new(),
            after,
            after_span,
            distribution_id: None,
            parent_distribution_id: match kind {
                ResourceKind::Tenant => text("distribution_id", scope),
                ResourceKind::Distribution => None,
            },
            domain_name: None,
            retain_on_delete: boolean("retain_on_delete", scope).unwrap_or(false),
            wait_for_deployment: boolean("wait_for_deployment", scope).unwrap_or(true),
            staging: kind == ResourceKind::Distribution
                && boolean("staging", scope).unwrap_or(false),
            connection_group_id: match kind {
                ResourceKind::Tenant => text("connection_group_id", scope),
                ResourceKind::Distribution => None,
            },
            certificate,
            depends_on: Vec::new(),
            origin: Origin::Configuration,
        }
    }

    pub(super) fn dynamic_domains(
        &self,
        d: &decl::DynamicDomain,
        scope: &mut Scope,
        sources: &Sources,
    ) -> Vec<AliasEntry> {
        let Some(content) = &d.domain else {
            return Vec::new();
        };
        let items = match scope
            .eval(&d.for_each.expr)
            .and_then(|v| v.iterate("`for_each` of a dynamic block"))
        {
            Ok(value::Iteration::Pairs(items)) => items,
            Ok(value::Iteration::Unknown(r)) => {
                return entries(Ok(Value::Unknown(r)), &d.for_each, sources, "domain");
            }
            Err(e) => return entries(Err(e), &d.for_each, sources, "domain"),
        };
        let mut values = Vec::new();
        for (k, v) in items {
            let mut object = BTreeMap::new();
            object.insert("key".to_string(), k);
            object.insert("value".to_string(), v);
            scope
                .bindings
                .push((d.iterator.clone(), Value::Object(object)));
            let v = scope.eval(&content.expr);
            scope.bindings.pop();
            match v {
                Ok(v) => values.push(v),
                Err(e) => return entries(Err(e), content, sources, "domain"),
            }
        }
        entries(Ok(Value::List(values)), content, sources, "domain")
    }

    /// The certificate from `viewer_certificate`: an ACM certificate of
    /// this module by reference (its names evaluated), an ARN, the default
    /// certificate, or an IAM certificate.
    pub(super) fn certificate(&self, r: &ResourceDecl, scope: &mut Scope) -> CertificateUse {
        r.args
            .get("acm_certificate_arn")
            .and_then(|arn| self.acm_certificate(arn, scope))
            .unwrap_or_else(|| self.other_certificate(r, scope))
    }

    /// An ACM certificate by reference or ARN; None when the ARN is empty.
    fn acm_certificate(&self, arn: &Attr, scope: &mut Scope) -> Option<CertificateUse> {
        if let Some((resource, names)) = self.certificate_by_ref(&arn.expr, 0) {
            return Some(CertificateUse::Acm {
                arn: None,
                resource: Some(resource),
                names,
            });
        }
        match scope.eval(&arn.expr) {
            Ok(Value::String(s)) if !s.is_empty() => Some(CertificateUse::Acm {
                arn: Some(s),
                resource: None,
                names: None,
            }),
            Ok(Value::String(_)) | Ok(Value::Null) => None,
            _ => Some(CertificateUse::Acm {
                arn: None,
                resource: None,
                names: None,
            }),
        }
    }

    /// The certificate a tenant serves its domains with, as the plan reader
    /// reads it (see `input::plan::certificates::tenant_certificate_use`):
    /// one CloudFront manages (`managed_certificate_request`), else its own
    /// (`customizations { certificate { arn } }`), else its multi-tenant
    /// distribution's `viewer_certificate` when that distribution is a
    /// resource of this module, else the one AWS describes for
    /// `distribution_id`.
    pub(super) fn tenant_certificate(&self, r: &ResourceDecl, scope: &mut Scope) -> CertificateUse {
        if r.managed_certificate {
            return CertificateUse::Managed;
        }
        if let Some(own) = r
            .args
            .get(decl::CUSTOM_CERTIFICATE)
            .and_then(|arn| self.acm_certificate(arn, scope))
        {
            return own;
        }
        let parent = r.args.get("distribution_id");
        if let Some(p) = parent.and_then(|a| self.referenced(&a.expr, decl::MULTI_TENANT)) {
            let inherited = self.certificate(p, &mut Scope::new(self));
            if inherited != CertificateUse::Unknown {
                return inherited;
            }
        }
        CertificateUse::Parent {
            distribution_id: match parent.map(|a| scope.eval(&a.expr)) {
                Some(Ok(Value::String(id))) if !id.is_empty() => Some(id),
                _ => None,
            },
        }
    }

    /// The one resource of type `type_name` of this module that `expr`
    /// (`type.name.attr`) refers to; None with `count` or `for_each`.
    fn referenced(
        &self,
        expr: &hcl_edit::expr::Expression,
        type_name: &str,
    ) -> Option<&ResourceDecl> {
        use hcl_edit::template::Element;
        if let hcl_edit::expr::Expression::StringTemplate(t) = expr
            && let [Element::Interpolation(i)] = t.iter().collect::<Vec<_>>()[..]
        {
            return self.referenced(&i.expr, type_name);
        }
        let hcl_edit::expr::Expression::Traversal(t) = expr else {
            return None;
        };
        let hcl_edit::expr::Expression::Variable(root) = &t.expr else {
            return None;
        };
        let Some(hcl_edit::expr::TraversalOperator::GetAttr(name)) =
            t.operators.first().map(|o| o.value())
        else {
            return None;
        };
        self.decl
            .resources
            .iter()
            .find(|r| {
                root.as_str() == type_name && r.type_name == type_name && r.name == name.as_str()
            })
            .filter(|r| r.count.is_none() && r.for_each.is_none())
    }

    pub(super) fn other_certificate(&self, r: &ResourceDecl, scope: &mut Scope) -> CertificateUse {
        if let Some(Ok(Value::String(id))) = r
            .args
            .get("iam_certificate_id")
            .map(|a| scope.eval(&a.expr))
            && !id.is_empty()
        {
            return CertificateUse::Iam { id };
        }
        match r
            .args
            .get("cloudfront_default_certificate")
            .map(|a| scope.eval(&a.expr))
        {
            Some(Ok(Value::Bool(true))) => CertificateUse::CloudFrontDefault,
            _ => CertificateUse::Unknown,
        }
    }

    /// `aws_acm_certificate.x.arn` or
    /// `aws_acm_certificate_validation.x.certificate_arn` -> the certificate's
    /// address and names (None when they are not all known).
    pub(super) fn certificate_by_ref(
        &self,
        expr: &hcl_edit::expr::Expression,
        depth: usize,
    ) -> Option<(String, Option<Vec<DomainName>>)> {
        use hcl_edit::template::Element;
        if let hcl_edit::expr::Expression::StringTemplate(t) = expr
            && let [Element::Interpolation(i)] = t.iter().collect::<Vec<_>>()[..]
        {
            return self.certificate_by_ref(&i.expr, depth);
        }
        let hcl_edit::expr::Expression::Traversal(t) = expr else {
            return None;
        };
        let hcl_edit::expr::Expression::Variable(root) = &t.expr else {
            return None;
        };
        let name = match t.operators.first().map(|o| o.value()) {
            Some(hcl_edit::expr::TraversalOperator::GetAttr(n)) => n.as_str().to_string(),
            _ => return None,
        };
        let decl = self
            .decl
            .resources
            .iter()
            .find(|r| r.type_name == root.as_str() && r.name == name)?;
        if decl.count.is_some() || decl.for_each.is_some() {
            return None;
        }
        match root.as_str() {
            decl::CERTIFICATE_VALIDATION if depth == 0 => {
                let inner = decl.args.get("certificate_arn")?;
                self.certificate_by_ref(&inner.expr, 1)
            }
            decl::CERTIFICATE => {
                let address = format!("{}{}.{}", with_dot(&self.address), decl::CERTIFICATE, name);
                let mut scope = Scope::new(self);
                let mut names = Vec::new();
                let mut known = true;
                if let Some(a) = decl.args.get("domain_name") {
                    match scope.eval(&a.expr) {
                        Ok(Value::String(s)) => names.push(DomainName::new(&s)),
                        _ => known = false,
                    }
                }
                if let Some(a) = decl.args.get("subject_alternative_names") {
                    match scope.eval(&a.expr) {
                        Ok(Value::List(items))
                            if items.iter().all(|i| matches!(i, Value::String(_))) =>
                        {
                            names.extend(items.iter().filter_map(|i| match i {
                                Value::String(s) => Some(DomainName::new(s)),
                                _ => None,
                            }))
                        }
                        _ => known = false,
                    }
                }
                Some((address, (known && !names.is_empty()).then_some(names)))
            }
            _ => None,
        }
    }
}

/// The alias entries of an evaluated `aliases` (or tenant `domain`) value.
pub(super) fn entries(
    value: eval::Result<Value>,
    attr: &Attr,
    sources: &Sources,
    what: &str,
) -> Vec<AliasEntry> {
    let written = {
        let t = sources.text(attr.span).trim();
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.chars().count() > 80 {
            format!("{}...", t.chars().take(77).collect::<String>())
        } else {
            t
        }
    };
    let unknown = |span: Span, reason: String| AliasEntry {
        value: AliasValue::Unknown { reason },
        span,
        sensitive: false,
    };
    let items = match value {
        Err(e) => {
            return vec![unknown(
                attr.span,
                format!("`{written}` cannot be evaluated: {e}"),
            )];
        }
        Ok(Value::Unknown(r)) => return vec![unknown(attr.span, format!("`{written}`: {r}"))],
        Ok(Value::Null) => return Vec::new(),
        Ok(Value::List(items)) => items,
        Ok(other) => {
            return vec![unknown(
                attr.span,
                format!(
                    "`{written}` is a {}, not a list of names; Terraform will refuse it",
                    other.type_name()
                ),
            )];
        }
    };
    let nested = items.iter().any(|i| matches!(i, Value::List(_)));
    let mut flat = Vec::new();
    funcs::flatten_into(items, &mut flat);
    let spans = match &attr.elements {
        Some(spans) if !nested && spans.len() == flat.len() => spans.clone(),
        _ => vec![attr.span; flat.len()],
    };
    let mut out = Vec::new();
    for (v, span) in flat.into_iter().zip(spans) {
        match v {
            Value::String(s) => out.push(AliasEntry {
                value: AliasValue::known(&s),
                span,
                sensitive: false,
            }),
            Value::Unknown(r) => out.push(unknown(span, format!("`{written}`: {r}"))),
            Value::Null => {}
            other => out.push(unknown(
                span,
                format!(
                    "an element of `{what}` is a {}, not a name",
                    other.type_name()
                ),
            )),
        }
    }
    out
}
