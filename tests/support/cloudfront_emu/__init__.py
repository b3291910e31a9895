"""CloudFront as it is today, over moto 5.2.1's CloudFront.

moto keeps distributions; this package adds what CloudFront has and moto
lacks, answered through moto's own request parser and response serializer,
which follow botocore's service model, so every XML shape is the model's:
ListConflictingAliases and ListDomainConflicts across every account,
distribution tenants, connection groups, AssociateAlias and
UpdateDomainAssociation, and the rules CloudFront applies when a
distribution or tenant takes or moves a name (`names.py`, `moves.py`), and
`Status` after a change (`deploy.py`). `install()` routes every
CloudFront path to `EmulatorResponse` before moto's server starts.
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
