"""CloudFront as it is today, over moto 5.2.1's CloudFront.

moto keeps distributions; this package adds what CloudFront has and moto
lacks, answered through moto's own request parser and response serializer,
which follow botocore's service model, so every XML shape is the model's:
ListConflictingAliases and ListDomainConflicts across every account,
distribution tenants, connection groups, AssociateAlias and
UpdateDomainAssociation, and the rules CloudFront applies when a
distribution or tenant takes or moves a name. `install()` routes every
CloudFront path to `EmulatorResponse` before moto's server starts.

What it enforces (each rule cited beside its code):

- CreateDistribution / UpdateDistribution / CreateDistributionTenant /
  UpdateDistributionTenant (`distributions.py`, `tenants.py`, `names.py`):
  - 409 CNAMEAlreadyExists when another distribution or tenant, in any
    account, holds the exact name; a wildcard overlapping a name is
    allowed, in one account or across accounts (CNAMEs.html restrictions;
    AWS's July 2021 announcement of the move APIs);
  - 409 CNAMEAlreadyExists when the name's CNAME chain at the test's
    resolver leads to another distribution's domain or connection group's
    routing endpoint (the check's dns-points-elsewhere rule; see
    `names.dns_not_elsewhere` for what AWS's pages say); only when a
    resolver is configured, never for a wildcard;
  - 400 InvalidViewerCertificate (distributions) or InvalidArgument
    (tenants, whose error list has no certificate error) when the
    certificate does not cover a name (CNAMEs.html requirements); only
    with `--strict-certificates`, so that other tests may seed holders
    without certificates;
  - 400 InvalidArgument for a staging distribution or a multi-tenant one
    with aliases (API_DistributionConfig.html; continuous deployment
    guide);
  - If-Match on the Update calls: missing, 400 InvalidIfMatchVersion;
    not the current ETag, 412 PreconditionFailed; every change gives a
    new ETag (API_UpdateDistribution.html, API_UpdateDistributionTenant.html).
- AssociateAlias / UpdateDomainAssociation (`moves.py`): the target in the
  caller's account (404 NoSuchDistribution / EntityNotFound), its
  certificate covering the name (400 InvalidArgument); AssociateAlias only
  between standard distributions; from another account the source must be
  disabled (400 IllegalUpdate) and the TXT record `_name` (an apex also
  `_.name`) must hold the target's CloudFront domain (400 InvalidArgument),
  read from the test's resolver; within one account neither is asked
  (alternate-domain-names-move-*.html). UpdateDomainAssociation checks
  If-Match against the target's ETag.
- `Status` (`deploy.py`): `InProgress` for `--deploy-ms` after a change,
  then `Deployed` (0 by default: `Deployed` at once).
"""

import moto.cloudfront.urls as cloudfront_urls
from moto.cloudfront.responses import CloudFrontResponse
from moto.core import serialize

from . import deploy, distributions
from .conflicts import ConflictLookups
from .distributions import DistributionRules
from .groups import ConnectionGroups
from .moves import Moves
from .tenants import Tenants

# The paths moto 5.2.1 lacks (botocore's service model,
# data/cloudfront/2020-05-31/service-2.json, gives the URIs). An identifier
# may be an ARN, whose `/` arrives decoded: it takes the rest of the path.
EXTRA_PATHS = [
    "{0}/2020-05-31/conflicting-alias$",
    "{0}/2020-05-31/domain-conflicts$",
    "{0}/2020-05-31/distribution-tenant$",
    "{0}/2020-05-31/distribution-tenant/(?P<Identifier>.+)$",
    "{0}/2020-05-31/distribution-tenants$",
    "{0}/2020-05-31/distribution-tenants-by-customization$",
    "{0}/2020-05-31/connection-group$",
    "{0}/2020-05-31/connection-group/(?P<Identifier>.+)$",
    "{0}/2020-05-31/connection-groups$",
    "{0}/2020-05-31/distribution/(?P<TargetDistributionId>[^/]+)/associate-alias$",
    "{0}/2020-05-31/domain-association$",
]


class RestXmlSerializer(serialize.RestXMLSerializer):
    """moto names the root of an answer without a payload member
    `<Operation>Response`; CloudFront names it after the output shape, as
    the API reference's response syntax shows (`<ListDomainConflictsResult>`,
    https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListDomainConflicts.html),
    and the Rust SDK refuses any other root."""

    def _serialize_body(self, body):
        wrapper = f"{self.operation_model.name}Response"
        output = self.operation_model.output_shape
        if output is not None and isinstance(body, dict) and list(body) == [wrapper]:
            body = {output.name: body[wrapper]}
        return super()._serialize_body(body)


class EmulatorResponse(
    ConflictLookups, Tenants, ConnectionGroups, Moves, DistributionRules, CloudFrontResponse
):
    """moto's CloudFront responses plus the operations of the mixins."""


def install():
    """Sends every CloudFront path, moto's and the added ones, to
    `EmulatorResponse`; call before the server handles a request."""
    distributions.summary_fields()
    deploy.install()
    serialize.SERVICE_SPECIFIC_SERIALIZERS["cloudfront"] = {"rest-xml": RestXmlSerializer}
    paths = dict.fromkeys(list(cloudfront_urls.url_paths) + EXTRA_PATHS)
    cloudfront_urls.url_paths.clear()
    cloudfront_urls.url_paths.update({p: EmulatorResponse.dispatch for p in paths})
