"""ListConflictingAliases and ListDomainConflicts, answered from every
account's distributions (and, for ListDomainConflicts, tenants)."""

from moto.core.responses import ActionResult

from . import store
from .errors import EntityNotFound, InvalidArgument, NoSuchDistribution


def require_coverage(names, domain):
    """The validation resource must have "an attached TLS certificate, which
    covers the specified domain" (ListDomainConflicts) or "that includes the
    provided alias" (ListConflictingAliases); the API reference names no
    error code for one that does not, so the emulator answers
    InvalidArgument."""
    if not store.certificate_covers(names, domain):
        raise InvalidArgument(
            f"The certificate attached to the validation resource does not cover {domain}."
        )


def paged(items, marker, max_items):
    try:
        return store.page(items, marker, max_items)
    except ValueError:
        raise InvalidArgument(f"The marker is not valid: {marker!r}.") from None


class ConflictLookups:
    """Mixed into the emulator's CloudFront response class."""

    def list_conflicting_aliases(self):
        """"ListConflictingAliases only supports standard distributions"
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListConflictingAliases.html):
        tenants' domains are not listed. The probe distribution must be in
        the caller's account (NoSuchDistribution otherwise); IDs are masked."""
        probe = self._get_param("DistributionId") or ""
        alias = store.normalize(self._get_param("Alias"))
        if probe not in store.distributions(self.current_account):
            raise NoSuchDistribution()
        require_coverage(store.validation_names(self.current_account, probe), alias)
        found = [
            (held, resource_id, account)
            for held, kind, resource_id, account in store.holders()
            if kind == "distribution" and store.conflicts_with(held, alias)
        ]
        max_items = self._get_param("MaxItems") or 100
        chunk, following = paged(found, self._get_param("Marker"), max_items)
        items = [
            {"Alias": held, "DistributionId": store.mask(d), "AccountId": store.mask(a)}
            for held, d, a in chunk
        ]
        return ActionResult(
            {
                "ConflictingAliasesList": {
                    "NextMarker": following or None,
                    "MaxItems": min(max(int(max_items), 1), 100),
                    "Quantity": len(items),
                    "Items": items or None,
                }
            }
        )

    def list_domain_conflicts(self):
        """ListDomainConflicts (POST /2020-05-31/domain-conflicts,
        https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDomainConflicts.html):
        "supports both standard distributions and distribution tenants"; the
        validation resource is "a standard distribution or distribution
        tenant in your account" (EntityNotFound, 404, when it is not) whose
        certificate covers the domain; a name
        lists itself and the wildcard that overlaps it, `*.example.com` lists
        itself and the names it covers; IDs are masked as
        ListConflictingAliases masks them; pages follow Marker/MaxItems."""
        domain = store.normalize(self._get_param("Domain"))
        resource = self._get_param("DomainControlValidationResource") or {}
        distribution_id = resource.get("DistributionId")
        tenant_id = resource.get("DistributionTenantId")
        if not domain:
            raise InvalidArgument("Domain is required.")
        if bool(distribution_id) == bool(tenant_id):
            raise InvalidArgument(
                "Specify exactly one of DistributionId and DistributionTenantId."
            )
        account = self.current_account
        if distribution_id and distribution_id not in store.distributions(account):
            raise EntityNotFound()
        if tenant_id and tenant_id not in store.tenants(account):
            raise EntityNotFound()
        require_coverage(store.validation_names(account, distribution_id, tenant_id), domain)
        found = [
            (held, kind, resource_id, holder_account)
            for held, kind, resource_id, holder_account in store.holders()
            if store.conflicts_with(held, domain)
        ]
        chunk, following = paged(
            found, self._get_param("Marker"), self._get_param("MaxItems")
        )
        return ActionResult(
            {
                "DomainConflicts": [
                    {
                        "Domain": held,
                        "ResourceType": kind,
                        "ResourceId": store.mask(resource_id),
                        "AccountId": store.mask(holder_account),
                    }
                    for held, kind, resource_id, holder_account in chunk
                ],
                "NextMarker": following or None,
            }
        )
