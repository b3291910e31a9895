"""Distributions as CloudFront keeps them today: `ConnectionMode` and
`Staging` in every configuration and summary, and the rules CloudFront
applies to a distribution's aliases when it is created or updated."""

from moto.cloudfront.models import Distribution

from . import store
from .errors import InvalidArgument, cname_taken


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
        if store.exact_holder(alias, except_id=distribution_id):
            raise cname_taken(alias)


class DistributionRules:
    """Mixed into the emulator's CloudFront response class."""

    def create_distribution(self):
        with store.LOCK:
            check_aliases(with_defaults(self._get_param("DistributionConfig", {})))
            return super().create_distribution()

    def create_distribution_with_tags(self):
        config = self._get_param("DistributionConfigWithTags.DistributionConfig", {})
        with store.LOCK:
            check_aliases(with_defaults(config))
            return super().create_distribution_with_tags()

    def update_distribution(self):
        distribution_id = self._get_param("Id")
        current = store.distributions(self.current_account).get(distribution_id or "")
        with store.LOCK:
            if current is not None:
                config = self._get_param("DistributionConfig", {})
                check_aliases(config, distribution_id, current)
                # An update without them keeps the distribution's kind.
                for key in ("ConnectionMode", "Staging"):
                    config.setdefault(key, store.config_value(current, key))
            return super().update_distribution()
