"""What the emulator keeps beside moto's state: distribution tenants and
connection groups per account, and the index of every name CloudFront holds
(distributions' aliases and tenants' domains, in every account moto knows).

moto 5.2.1 keeps distributions (with `ConnectionMode` and `Staging` in their
configuration) but has no tenants or connection groups; those live here,
keyed by account, behind one lock (the server is threaded).
"""

import string
import threading
from datetime import datetime, timezone

from moto.acm.models import acm_backends
from moto.cloudfront.models import cloudfront_backends
from moto.moto_api._internal import mock_random as random

LOCK = threading.RLock()
# account -> {tenant id -> tenant dict}, in creation order.
TENANTS: dict = {}
# account -> {group id -> connection group dict}, in creation order.
GROUPS: dict = {}
# Set once at start by moto_server.py's flags.
RULES = {"strict_certificates": False}


def reset():
    """Forgets tenants and connection groups (moto's reset forgets the rest)."""
    with LOCK:
        TENANTS.clear()
        GROUPS.clear()


def now():
    return datetime.now(timezone.utc)


def random_suffix(length, alphabet=string.ascii_letters + string.digits):
    return "".join(random.choice(alphabet) for _ in range(length))


def new_etag():
    return "E" + random_suffix(13, string.ascii_uppercase + string.digits)


def routing_endpoint():
    """A connection group's routing endpoint has the form of a distribution's
    domain, such as d111111abcdef8.cloudfront.net (API reference,
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ConnectionGroup.html)."""
    return "d" + random_suffix(13, string.ascii_lowercase + string.digits) + ".cloudfront.net"


def mask(value):
    """IDs of holders come back partially hidden, first half `*`
    (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListConflictingAliases.html:
    "the distribution and account IDs are partially hidden")."""
    half = len(value) // 2
    return "*" * half + value[half:]


def normalize(name):
    return (name or "").strip().lower().rstrip(".")


def covers(wild, name):
    """`*.example.com` covers every name below example.com."""
    suffix = wild[1:]
    return wild.startswith("*.") and len(name) > len(suffix) and name.endswith(suffix)


def conflicts_with(held, asked):
    """A held name conflicts with the asked one when they are equal, when the
    held wildcard covers the asked name, or when the asked wildcard covers the
    held name (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDomainConflicts.html:
    `www.example.com` lists `*.example.com`; `*.example.com` lists the names
    it covers)."""
    return held == asked or covers(held, asked) or covers(asked, held)


def distributions(account):
    return cloudfront_backends[account]["aws"].distributions


def config_value(distribution, key, default=None):
    return getattr(distribution.distribution_config, key, default)


def aliases_of(distribution):
    """The aliases of a moto distribution (its config keeps the request's
    members as attributes)."""
    aliases = config_value(distribution, "Aliases") or {}
    items = aliases.get("Items") or []
    if isinstance(items, dict):
        items = items.get("CNAME", [])
    if isinstance(items, str):
        items = [items]
    return [normalize(a) for a in items]


def domains_of(tenant):
    return [normalize(d["Domain"]) for d in tenant["Domains"]]


def accounts():
    with LOCK:
        known = set(cloudfront_backends.keys()) | set(TENANTS) | set(GROUPS)
    return sorted(known)


def holders():
    """Every (name, resource type, resource id, account) CloudFront holds, in
    every account, in a stable order."""
    found = []
    for account in accounts():
        for distribution in list(distributions(account).values()):
            for alias in aliases_of(distribution):
                found.append((alias, "distribution", distribution.distribution_id, account))
        with LOCK:
            tenants = list(TENANTS.get(account, {}).values())
        for tenant in tenants:
            for domain in domains_of(tenant):
                found.append((domain, "distribution-tenant", tenant["Id"], account))
    found.sort()
    return found


def exact_holder(name, except_id=None):
    """The resource that holds exactly this name, in any account, other than
    `except_id` (the resource being updated)."""
    name = normalize(name)
    for held, kind, resource_id, account in holders():
        if held == name and resource_id != except_id:
            return kind, resource_id, account
    return None


def certificate_names(arn):
    """The names an ACM certificate holds (its domain and SANs), read from
    moto's ACM in the certificate's own account and region; none if unknown."""
    parts = (arn or "").split(":")
    if len(parts) < 6 or parts[2] != "acm":
        return []
    try:
        described = acm_backends[parts[4]][parts[3]].get_certificate(arn).describe()
    except Exception:  # an unknown ARN covers nothing
        return []
    certificate = described["Certificate"]
    names = [certificate.get("DomainName")] + list(certificate.get("SubjectAlternativeNames") or [])
    return [normalize(n) for n in names if n]


def certificate_covers(names, domain):
    """A certificate covers a name it holds, and `*.example.com` covers one
    label below example.com; a wildcard domain needs the wildcard itself
    (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements:
    "CloudFront checks the subject alternative name (SAN) on the certificate")."""
    for name in names:
        if name == domain:
            return True
        if name.startswith("*.") and not domain.startswith("*."):
            if "." in domain and domain.split(".", 1)[1] == name[2:]:
                return True
    return False


def distribution_certificate(distribution):
    certificate = config_value(distribution, "ViewerCertificate")
    return getattr(certificate, "acm_certificate_arn", "") or ""


def validation_names(account, distribution_id=None, tenant_id=None):
    """The names the validation resource's certificate covers: a
    distribution's ACM certificate; a tenant's own certificate, else its
    parent's, plus its domains when CloudFront manages its certificate."""
    if distribution_id:
        return certificate_names(distribution_certificate(distributions(account)[distribution_id]))
    tenant = tenants(account)[tenant_id]
    custom = ((tenant.get("Customizations") or {}).get("Certificate") or {}).get("Arn")
    parent = distributions(account).get(tenant["DistributionId"])
    arn = custom or (distribution_certificate(parent) if parent else "")
    managed = domains_of(tenant) if tenant.get("ManagedCertificateRequest") else []
    return certificate_names(arn) + managed


def tenants(account):
    with LOCK:
        return TENANTS.setdefault(account, {})


def groups(account):
    with LOCK:
        return GROUPS.setdefault(account, {})


def new_group(account, name, enabled=True, ipv6=True, tags=None, anycast=None, default=False):
    group_id = "cg_" + random_suffix(27)
    created = now()
    group = {
        "Id": group_id,
        "Name": name,
        "Arn": f"arn:aws:cloudfront::{account}:connection-group/{group_id}",
        "CreatedTime": created,
        "LastModifiedTime": created,
        "Tags": tags,
        "Ipv6Enabled": ipv6,
        "RoutingEndpoint": routing_endpoint(),
        "AnycastIpListId": anycast,
        "Status": "Deployed",
        "Enabled": enabled,
        "IsDefault": default,
        "ETag": new_etag(),
    }
    with LOCK:
        groups(account)[group_id] = group
    return group


def default_group(account):
    """The account's default connection group, created when a tenant first
    needs it: "When you first create a distribution tenant and you don't
    specify a connection group, CloudFront will automatically create a
    default connection group for you"
    (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ConnectionGroup.html)."""
    with LOCK:
        for group in groups(account).values():
            if group["IsDefault"]:
                return group
        return new_group(account, "CreatedByCloudFront", default=True)


def find_group(account, identifier):
    """A connection group of this account by ID, name or ARN."""
    with LOCK:
        for group in groups(account).values():
            if identifier in (group["Id"], group["Name"], group["Arn"]):
                return group
    return None


def find_tenant(account, identifier):
    """A tenant of this account by ID, name or ARN
    (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetDistributionTenant.html)."""
    with LOCK:
        for tenant in tenants(account).values():
            if identifier in (tenant["Id"], tenant["Name"], tenant["Arn"]):
                return tenant
    return None


def page(items, marker, max_items, limit=100):
    """One page of `items` from the offset `marker`; returns the page and the
    next marker ("" at the end). Raises ValueError on a marker that is not an
    offset this emulator gave out."""
    start = int(marker) if marker else 0
    if start < 0 or start > len(items):
        raise ValueError(marker)
    size = max(1, min(int(max_items or limit), limit))
    chunk = items[start : start + size]
    following = start + size
    return chunk, (str(following) if following < len(items) else "")
