"""Distributions as CloudFront keeps them today: `ConnectionMode` and
`Staging` in every configuration and summary, and the rules CloudFront
applies to a distribution's aliases when it is created or updated."""

from moto.cloudfront.models import Distribution

from . import deploy, names, store
from .errors import (
    InvalidArgument,
    InvalidIfMatchVersion,
    InvalidViewerCertificate,
    NoSuchDistribution,
    PreconditionFailed,
)


def summary_fields():
    """ListDistributions' summaries carry `Staging` (required) and
    `ConnectionMode` (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionSummary.html);
    moto's serializer reads them from these properties."""
    Distribution.staging = property(
        lambda d: bool(getattr(d.distribution_config, "Staging", False))
    )
    Distribution.connection_mode = property(
        lambda d: getattr(d.distribution_config, "ConnectionMode", None) or "direct"
    )


def with_defaults(config):
    """A new configuration keeps what CloudFront fills in when the request
    leaves it out: a standard (`direct`) distribution, not a staging one."""
    config.setdefault("ConnectionMode", "direct")
    config.setdefault("Staging", False)
    return config


def requested_aliases(config):
    items = (config.get("Aliases") or {}).get("Items") or []
    return [store.normalize(a) for a in items]


def certificate_arn(config):
    """The ACM certificate of a request's ViewerCertificate, or ""."""
    viewer = config.get("ViewerCertificate") or {}
    return viewer.get("ACMCertificateArn") or ""


def check_aliases(config, distribution_id=None, current=None):
    """Refuses the aliases CloudFront refuses on this configuration."""
    if config.get("Staging") and config.get("ConnectionMode") == "tenant-only":
        # Staging: "This field only supports standard distributions. You
        # can't specify this field for multi-tenant distributions"
        # (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html).
        raise InvalidArgument("A multi-tenant distribution cannot be a staging distribution.")
    aliases = requested_aliases(config)
    if not aliases:
        return
    staging = config.get("Staging")
    if staging is None and current is not None:
        staging = store.config_value(current, "Staging", False)
    if staging:
        # "Viewers cannot send requests directly to a staging distribution
        # using a DNS name, IP address, or CNAME" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-continuous-deployment.html);
        # the API reference names no dedicated error code, so the emulator
        # answers InvalidArgument, CloudFront's error for a refused value.
        raise InvalidArgument("A staging distribution cannot have alternate domain names (CNAMEs).")
    mode = config.get("ConnectionMode")
    if mode is None and current is not None:
        mode = store.config_value(current, "ConnectionMode")
    if mode == "tenant-only":
        # Aliases: "This field only supports standard distributions. You
        # can't specify this field for multi-tenant distributions"
        # (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html).
        raise InvalidArgument(
            "A multi-tenant distribution cannot have aliases: its tenants hold the domains."
        )
    for alias in aliases:
        # Only an exact duplicate is refused: "CloudFront no longer returns
        # the CNAMEAlreadyExists error code in scenarios involving a
        # cross-account wildcard CNAME" (https://aws.amazon.com/about-aws/whats-new/2021/07/amazon-cloudfront-announces-new-apis-to-locate-and-move-alternate-domain-names-cnames/),
        # and overlapping names in one account were always allowed
        # (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-restrictions).
        names.not_held(alias, distribution_id)
    arn = certificate_arn(config)
    missing = names.uncovered(aliases, store.certificate_names(arn))
    if missing:
        # The certificate must cover every alias (`names.uncovered`);
        # InvalidViewerCertificate ("A viewer certificate specified is not
        # valid", botocore's model) is the error of CreateDistribution's and
        # UpdateDistribution's lists about the certificate.
        raise InvalidViewerCertificate(
            f"The certificate {arn or '(CloudFront default)'} does not cover {missing}."
        )
    own = [current.domain_name] if current is not None else []
    for alias in aliases:
        names.dns_not_elsewhere(alias, own)


class DistributionRules:
    """Mixed into the emulator's CloudFront response class."""

    def create_distribution(self):
        with store.LOCK:
            check_aliases(with_defaults(self._get_param("DistributionConfig", {})))
            answer = super().create_distribution()
            deploy.changed(answer._result["Distribution"].distribution_id)
            return answer

    def create_distribution_with_tags(self):
        config = self._get_param("DistributionConfigWithTags.DistributionConfig", {})
        with store.LOCK:
            check_aliases(with_defaults(config))
            answer = super().create_distribution_with_tags()
            deploy.changed(answer._result["Distribution"].distribution_id)
            return answer

    def update_distribution(self):
        """UpdateDistribution needs If-Match, "The value of the ETag header
        that you received when retrieving the distribution's configuration"
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistribution.html):
        missing, InvalidIfMatchVersion; stale, PreconditionFailed (412; moto
        takes any value). The update gives the distribution a new ETag."""
        distribution_id = self._get_param("Id")
        with store.LOCK:
            current = store.distributions(self.current_account).get(distribution_id or "")
            if current is None:
                raise NoSuchDistribution()
            if_match = self._get_param("IfMatch")
            if not if_match:
                raise InvalidIfMatchVersion()
            if if_match != current.etag:
                raise PreconditionFailed()
            config = self._get_param("DistributionConfig", {})
            check_aliases(config, distribution_id, current)
            # An update without them keeps the distribution's kind.
            for key in ("ConnectionMode", "Staging"):
                config.setdefault(key, store.config_value(current, key))
            answer = super().update_distribution()
            current.etag = answer._result["ETag"] = store.new_etag()
            deploy.changed(distribution_id)
            return answer
