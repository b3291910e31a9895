"""`Status` of distributions and tenants: a mutating call (Create, Update,
AssociateAlias, UpdateDomainAssociation) makes the resource `InProgress`
for `DELAY["ms"]` milliseconds, then it is `Deployed`. CloudFront answers a
change with `InProgress` and says `Deployed` once "the distribution's
information is fully propagated to all CloudFront edge locations"
(https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Distribution.html,
Status). The delay is 0 unless `moto_server.py --deploy-ms N` or
POST /moto-wrapper/deploy-ms?ms=N sets it: with 0 every read, including
the mutating call's own answer, says `Deployed`, as moto alone does.
"""

import time

from moto.cloudfront.models import Distribution

from . import store

DELAY = {"ms": 0.0}
# resource id -> time.monotonic() at which it is Deployed.
PENDING: dict = {}


def changed(resource_id):
    """Marks a resource just changed."""
    with store.LOCK:
        if DELAY["ms"] > 0:
            PENDING[resource_id] = time.monotonic() + DELAY["ms"] / 1000
        else:
            PENDING.pop(resource_id, None)


def status(resource_id):
    with store.LOCK:
        until = PENDING.get(resource_id)
        if until is None:
            return "Deployed"
        if time.monotonic() >= until:
            del PENDING[resource_id]
            return "Deployed"
        return "InProgress"


def refresh(tenant):
    """A tenant dict's `Status`, brought up to date before it is answered."""
    tenant["Status"] = status(tenant["Id"])
    return tenant


def install():
    """moto's serializer reads `Distribution.status`."""
    Distribution.status = property(lambda d: status(d.distribution_id), lambda d, v: None)


def reset():
    with store.LOCK:
        PENDING.clear()
