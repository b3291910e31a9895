"""The rules CloudFront applies to every name a distribution or tenant
takes with Create/Update: nobody else holds it exactly, the certificate
covers it, and its DNS does not lead to another resource of CloudFront.
Used by `distributions.py` and `tenants.py`; each rule is cited beside its
check.
"""

from . import dns, store
from .errors import CNAMEAlreadyExists, InvalidArgument, cname_taken

def not_held(name, resource_id=None):
    """Adding a name another resource holds exactly, in any account, is
    refused with CNAMEAlreadyExists (`errors.cname_taken` cites it)."""
    if store.exact_holder(name, except_id=resource_id):
        raise cname_taken(name)


def uncovered(names, cert_names):
    """The first of `names` the certificate names do not cover, or None.

    "To add an alternate domain name (CNAME) to a CloudFront distribution,
    you must attach to your distribution a trusted, valid TLS certificate
    that covers the alternate domain name"
    (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements).
    Only when the server runs with --strict-certificates (other tests
    seed holders without certificates)."""
    if not store.RULES["strict_certificates"]:
        return None
    for name in names:
        if not store.certificate_covers(cert_names, name):
            return name
    return None


def cloudfront_domains(except_domains=()):
    """Every CloudFront name of a resource, in every account: distributions'
    domains and connection groups' routing endpoints, minus the asker's
    own (`except_domains`)."""
    own = {store.normalize(d) for d in except_domains if d}
    found = {}
    for account in store.accounts():
        for d in list(store.distributions(account).values()):
            found[store.normalize(d.domain_name)] = d.distribution_id
        for group in list(store.groups(account).values()):
            found[store.normalize(group["RoutingEndpoint"])] = group["Id"]
    return {k: v for k, v in found.items() if k not in own}


def dns_not_elsewhere(name, own_domains=()):
    """A name whose DNS (the CNAME chain at the test's resolver) leads to
    another distribution's domain or another connection group's routing
    endpoint is refused with CNAMEAlreadyExists (409). The check's own
    documentation of the rule (docs/codes/dns-points-elsewhere.md) quotes
    CloudFront's error text: "One or more aliases specified for the
    distribution includes an incorrectly configured DNS record that points
    to another CloudFront distribution"; the emulator's search of AWS's
    pages (API reference, Developer Guide, knowledge center
    https://repost.aws/knowledge-center/resolve-cnamealreadyexists-error)
    did not find that sentence again, so the rule is enforced to match the
    check and is marked as the one AWS documents least. Skipped without a
    resolver (`dns.enabled()`) and for a wildcard, which names no single
    record; a CloudFront name that no resource has is not "another
    CloudFront distribution" and passes."""
    if not dns.enabled() or name.startswith("*."):
        return
    try:
        chain = dns.cname_chain(name)
    except dns.DnsFailure as e:
        raise InvalidArgument(f"The DNS record of {name} could not be read: {e}") from None
    others = cloudfront_domains(own_domains)
    for link in chain:
        if link in others:
            raise CNAMEAlreadyExists(
                "One or more aliases specified for the distribution includes an incorrectly "
                "configured DNS record that points to another CloudFront distribution. You "
                f"must update the DNS record to correct the problem. ({name} -> {link})"
            )

