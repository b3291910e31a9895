"""Distribution tenants: Create, Get, GetByDomain, List,
ListByCustomization and Update, kept in `store` per account."""

from moto.core.responses import ActionResult

from . import deploy, names, store
from .conflicts import paged
from .errors import (
    EntityAlreadyExists,
    EntityNotFound,
    InvalidArgument,
    InvalidIfMatchVersion,
    PreconditionFailed,
)


def summary(tenant):
    deploy.refresh(tenant)
    return {
        k: v
        for k, v in tenant.items()
        if k not in ("Tags", "Parameters", "ManagedCertificateRequest")
    }


class Tenants:
    """Mixed into the emulator's CloudFront response class."""

    def _parent(self, distribution_id):
        """A tenant's distribution is a multi-tenant one (`ConnectionMode`
        tenant-only) in the caller's account: "This field specifies whether
        the connection mode is through a standard distribution (direct) or a
        multi-tenant distribution with distribution tenants (tenant-only)"
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html)."""
        parent = store.distributions(self.current_account).get(distribution_id or "")
        if parent is None:
            raise EntityNotFound()
        if store.config_value(parent, "ConnectionMode") != "tenant-only":
            raise InvalidArgument(
                f"Distribution {distribution_id} is not a multi-tenant distribution "
                "(ConnectionMode tenant-only)."
            )
        return parent

    def _group_id(self, group_id):
        """The tenant's connection group, in the caller's account; none given
        means the account's default one: "When you create a new distribution
        tenant and don't specify a connection group, the default one will be
        associated with your distribution tenant"
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ConnectionGroup.html)."""
        if not group_id:
            return store.default_group(self.current_account)["Id"]
        group = store.find_group(self.current_account, group_id)
        if group is None:
            raise EntityNotFound()
        return group["Id"]

    def _domains(self, items, tenant_id=None):
        """The requested domains; one held exactly by another distribution or
        tenant in any account is refused with CNAMEAlreadyExists."""
        domains = []
        for item in items or []:
            name = store.normalize(item.get("Domain"))
            if not name:
                raise InvalidArgument("A domain is empty.")
            names.not_held(name, tenant_id)
            if name not in domains:
                domains.append(name)
        if not domains:
            raise InvalidArgument("A distribution tenant needs at least one domain.")
        return domains

    def _check_taken(self, domains, cert_names, group_id):
        """The certificate (the tenant's own, else its parent's, or one
        CloudFront manages for the tenant's domains) covers every domain,
        and no domain's DNS leads to another resource (its own CloudFront
        name is its connection group's routing endpoint).

        The certificate rule is CNAMEs.html's for distributions
        (`names.uncovered`) applied to the certificate a tenant serves with:
        a tenant's Customizations carry "the Amazon Resource Names (ARNs)
        for the ACM certificate and WAF web ACL. These are specific values
        that you can override or disable from the multi-tenant
        distribution"
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistributionTenant.html).
        No tenant page found says it in so many words; the API reference
        lists no certificate error for CreateDistributionTenant, so the
        emulator answers InvalidArgument."""
        missing = names.uncovered(domains, cert_names)
        if missing:
            raise InvalidArgument(f"The tenant's certificate does not cover {missing}.")
        group = store.groups(self.current_account).get(group_id) or {}
        for name in domains:
            names.dns_not_elsewhere(name, [group.get("RoutingEndpoint", "")])

    def _cert_names(self, parent, customizations, managed, domains):
        custom = ((customizations or {}).get("Certificate") or {}).get("Arn")
        arn = custom or store.distribution_certificate(parent)
        return store.certificate_names(arn) + (list(domains) if managed else [])

    def create_distribution_tenant(self):
        account = self.current_account
        name = self._get_param("Name") or ""
        distribution_id = self._get_param("DistributionId")
        with store.LOCK:
            parent = self._parent(distribution_id)
            if store.find_tenant(account, name):
                raise EntityAlreadyExists()
            domains = self._domains(self._get_param("Domains"))
            group_id = self._group_id(self._get_param("ConnectionGroupId"))
            managed = self._get_param("ManagedCertificateRequest")
            customizations = self._get_param("Customizations")
            self._check_taken(
                domains, self._cert_names(parent, customizations, managed, domains), group_id
            )
            tenant_id = "dt_" + store.random_suffix(27)
            created = store.now()
            enabled = self._get_param("Enabled")
            tenant = {
                "Id": tenant_id,
                "DistributionId": distribution_id,
                "Name": name,
                "Arn": f"arn:aws:cloudfront::{account}:distribution-tenant/{tenant_id}",
                "Domains": [{"Domain": d, "Status": "active"} for d in domains],
                "Tags": self._get_param("Tags"),
                "Customizations": customizations,
                "Parameters": self._get_param("Parameters"),
                "ManagedCertificateRequest": managed,
                "ConnectionGroupId": group_id,
                "CreatedTime": created,
                "LastModifiedTime": created,
                "Enabled": True if enabled is None else bool(enabled),
                "Status": "Deployed",
                "ETag": store.new_etag(),
            }
            store.tenants(account)[tenant_id] = tenant
            deploy.changed(tenant_id)
            deploy.refresh(tenant)
        return ActionResult({"DistributionTenant": tenant, "ETag": tenant["ETag"]})

    def get_distribution_tenant(self):
        tenant = store.find_tenant(self.current_account, self._get_param("Identifier"))
        if tenant is None:
            raise EntityNotFound()
        deploy.refresh(tenant)
        return ActionResult({"DistributionTenant": tenant, "ETag": tenant["ETag"]})

    def get_distribution_tenant_by_domain(self):
        domain = store.normalize(self._get_param("Domain"))
        for tenant in list(store.tenants(self.current_account).values()):
            if domain in store.domains_of(tenant):
                deploy.refresh(tenant)
                return ActionResult({"DistributionTenant": tenant, "ETag": tenant["ETag"]})
        raise EntityNotFound()

    def list_distribution_tenants(self):
        wanted = self._get_param("AssociationFilter") or {}
        tenants = [
            summary(t)
            for t in list(store.tenants(self.current_account).values())
            if all(t.get(k) == v for k, v in wanted.items() if v)
        ]
        chunk, following = paged(
            tenants, self._get_param("Marker"), self._get_param("MaxItems")
        )
        return ActionResult(
            {"DistributionTenantList": chunk, "NextMarker": following or None}
        )

    def list_distribution_tenants_by_customization(self):
        web_acl = self._get_param("WebACLArn")
        certificate = self._get_param("CertificateArn")

        def matches(tenant):
            custom = tenant.get("Customizations") or {}
            return (not web_acl or (custom.get("WebAcl") or {}).get("Arn") == web_acl) and (
                not certificate or (custom.get("Certificate") or {}).get("Arn") == certificate
            )

        tenants = [
            summary(t) for t in list(store.tenants(self.current_account).values()) if matches(t)
        ]
        chunk, following = paged(
            tenants, self._get_param("Marker"), self._get_param("MaxItems")
        )
        return ActionResult(
            {"DistributionTenantList": chunk, "NextMarker": following or None}
        )

    def update_distribution_tenant(self):
        """UpdateDistributionTenant needs the current ETag in If-Match
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistributionTenant.html):
        missing, InvalidIfMatchVersion; stale, PreconditionFailed."""
        account = self.current_account
        with store.LOCK:
            tenant = store.tenants(account).get(self._get_param("Id") or "")
            if tenant is None:
                raise EntityNotFound()
            if_match = self._get_param("IfMatch")
            if not if_match:
                raise InvalidIfMatchVersion()
            if if_match != tenant["ETag"]:
                raise PreconditionFailed()
            changes = {}
            if self._get_param("DistributionId"):
                self._parent(self._get_param("DistributionId"))
                changes["DistributionId"] = self._get_param("DistributionId")
            if self._get_param("ConnectionGroupId"):
                changes["ConnectionGroupId"] = self._group_id(self._get_param("ConnectionGroupId"))
            for key in ("Customizations", "Parameters", "Enabled", "ManagedCertificateRequest"):
                if self._get_param(key) is not None:
                    changes[key] = self._get_param(key)
            if self._get_param("Domains") is not None:
                domains = self._domains(self._get_param("Domains"), tenant["Id"])
                after = {**tenant, **changes}
                parent = store.distributions(account).get(after["DistributionId"])
                self._check_taken(
                    domains,
                    self._cert_names(
                        parent,
                        after.get("Customizations"),
                        after.get("ManagedCertificateRequest"),
                        domains,
                    ),
                    after["ConnectionGroupId"],
                )
                changes["Domains"] = [{"Domain": d, "Status": "active"} for d in domains]
            tenant.update(changes)
            tenant["LastModifiedTime"] = store.now()
            tenant["ETag"] = store.new_etag()
            deploy.changed(tenant["Id"])
            deploy.refresh(tenant)
        return ActionResult({"DistributionTenant": tenant, "ETag": tenant["ETag"]})
