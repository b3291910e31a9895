"""Distributions as CloudFront keeps them today: `ConnectionMode` and
`Staging` in every configuration and summary."""

from moto.cloudfront.models import Distribution


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


class DistributionRules:
    """Mixed into the emulator's CloudFront response class."""

    def create_distribution(self):
        with_defaults(self._get_param("DistributionConfig", {}))
        return super().create_distribution()

    def create_distribution_with_tags(self):
        with_defaults(self._get_param("DistributionConfigWithTags.DistributionConfig", {}))
        return super().create_distribution_with_tags()
