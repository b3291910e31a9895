"""AssociateAlias and UpdateDomainAssociation: moving a name CloudFront
holds from its source (a standard distribution or a tenant, in any account)
to a target in the caller's account, under the rules of the Developer
Guide's move pages, each cited beside its check:

- the target is in the caller's account and its certificate covers the
  name;
- a source in the caller's account is moved as it is;
- a source in another account must be disabled, and the name's `_name` TXT
  record (an apex's: `_.name`, only) must hold the target's CloudFront domain (a
  tenant's: its connection group's routing endpoint), read from the test's
  DNS (`dns.py`).

A move takes the name off the source and puts it on the target, and gives
both a new ETag (and `Status` InProgress, `deploy.py`). Only an exact
holder is a source: the guide's wildcard route ("Use a wildcard to move an
alternate domain name", alternate-domain-names-move-options.html) is a
sequence of UpdateDistribution calls and DNS changes, and no AWS page read
gives AssociateAlias a rule for names under a wildcard, so a name nobody
holds exactly is simply added to the target. The API reference names no error code per rule; each
refusal uses a code of the operation's error list in botocore's model.
"""

from moto.core.responses import ActionResult

from . import deploy, dns, store
from .errors import (
    EntityNotFound,
    IllegalUpdate,
    InvalidArgument,
    InvalidIfMatchVersion,
    NoSuchDistribution,
    PreconditionFailed,
)

MOVE_PAGE = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move.html"

SECOND_LEVEL = ("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or")


def is_apex(name):
    """Same reading as the check's `DomainName::parent` (src/model.rs):
    two labels, or three under a two-letter code's second level."""
    labels = name.split(".")
    apex = 3 if len(labels) >= 2 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL else 2
    return len(labels) <= apex


def txt_names(name):
    """Where the move's TXT record is read: `_www.example.com`; for an apex,
    `_.example.com` (`_example.com` would be a name in the parent zone),
    as the check reads the set-up page
    (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html;
    src/checks/remedies/mod.rs, `txt_step`)."""
    if is_apex(name) and not name.startswith("*."):
        return [f"_.{name}"]
    return [f"_{name}"]


class Resource:
    """A distribution or tenant that holds or takes names."""

    def __init__(self, account, kind, resource_id):
        self.account, self.kind, self.id = account, kind, resource_id
        if kind == "distribution":
            self.distribution = store.distributions(account)[resource_id]
        else:
            self.tenant = store.tenants(account)[resource_id]

    @property
    def enabled(self):
        if self.kind == "distribution":
            return bool(store.config_value(self.distribution, "Enabled", True))
        return bool(self.tenant.get("Enabled", True))

    @property
    def etag(self):
        if self.kind == "distribution":
            return self.distribution.etag
        return self.tenant["ETag"]

    def cloudfront_domain(self):
        """Where the name's DNS and TXT record point: a distribution's
        domain, a tenant's connection group's routing endpoint."""
        if self.kind == "distribution":
            return self.distribution.domain_name
        group = store.groups(self.account).get(self.tenant["ConnectionGroupId"]) or {}
        return group.get("RoutingEndpoint", "")

    def covers(self, name):
        if self.kind == "distribution":
            names = store.validation_names(self.account, distribution_id=self.id)
        else:
            names = store.validation_names(self.account, tenant_id=self.id)
        return store.certificate_covers(names, name)

    def names(self):
        if self.kind == "distribution":
            return store.aliases_of(self.distribution)
        return store.domains_of(self.tenant)

    def set_names(self, names):
        if self.kind == "distribution":
            self.distribution.distribution_config.Aliases = (
                {"Quantity": len(names), "Items": list(names)} if names else {"Quantity": 0}
            )
            self.distribution.etag = store.new_etag()
            deploy.changed(self.id)
        else:
            self.tenant["Domains"] = [{"Domain": n, "Status": "active"} for n in names]
            self.tenant["LastModifiedTime"] = store.now()
            self.tenant["ETag"] = store.new_etag()
            deploy.changed(self.id)


def check_move(name, target, source):
    """Refuses the move as CloudFront does; `source` may be None (no one
    holds the name exactly)."""
    if not target.covers(name):
        # "The target ... must have a valid SSL/TLS certificate that covers
        # the alternate domain name"
        # (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html).
        raise InvalidArgument(
            f"The certificate of the target {target.id} does not cover {name}."
        )
    if source is None or source.account == target.account:
        # Within one account the move is made as it is: "This command works
        # for all same-account moves, including when the alternate domain
        # name is an apex domain"
        # (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-options.html);
        # the disabled source and the TXT record are asked only across
        # accounts.
        return
    if source.enabled:
        # Different accounts: "The source standard distribution or
        # distribution tenant must be disabled before you can move the
        # alternate domain name"
        # (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-options.html).
        # The API reference names no code for it; IllegalUpdate ("The
        # update contains modifications that are not allowed") is in
        # AssociateAlias's error list.
        raise IllegalUpdate(
            f"The source of {name} is in another account and is not disabled."
        )
    # Another account: the `_name` TXT record (apex: `_.name`) must hold the
    # target's CloudFront domain, a tenant's routing endpoint
    # (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/alternate-domain-names-move-set-up-target.html).
    wanted = store.normalize(target.cloudfront_domain())
    found = []
    if dns.enabled():
        try:
            for txt in txt_names(name):
                found += dns.txt_values(txt)
        except dns.DnsFailure as e:
            raise InvalidArgument(f"The TXT record of {name} could not be read: {e}") from None
    if wanted not in found:
        raise InvalidArgument(
            f"The TXT record _{name} does not hold {wanted}: a move from another account "
            "needs it."
        )


def move(name, target, source):
    """Takes `name` off the source (if any) and puts it on the target."""
    if source is not None:
        source.set_names([n for n in source.names() if n != name])
    if name not in target.names():
        target.set_names(target.names() + [name])


def holder(name):
    found = store.exact_holder(name)
    if found is None:
        return None
    kind, resource_id, account = found
    return Resource(account, kind, resource_id)


class Moves:
    """Mixed into the emulator's CloudFront response class."""

    def associate_alias(self):
        """PUT /2020-05-31/distribution/{TargetDistributionId}/associate-alias?Alias=
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_AssociateAlias.html):
        "only supports standard distributions", source and target; the
        target in the caller's account (NoSuchDistribution)."""
        account = self.current_account
        target_id = self._get_param("TargetDistributionId") or ""
        name = store.normalize(self._get_param("Alias"))
        if not name:
            raise InvalidArgument("Alias is required.")
        with store.LOCK:
            if target_id not in store.distributions(account):
                raise NoSuchDistribution()
            target = Resource(account, "distribution", target_id)
            if store.config_value(target.distribution, "ConnectionMode") == "tenant-only":
                raise InvalidArgument(
                    "AssociateAlias only supports standard distributions; use "
                    "UpdateDomainAssociation."
                )
            source = holder(name)
            if source is not None and source.id == target_id:
                return ActionResult({})
            if source is not None and source.kind != "distribution":
                raise InvalidArgument(
                    f"{name} is held by a distribution tenant; AssociateAlias only supports "
                    "standard distributions: use UpdateDomainAssociation."
                )
            check_move(name, target, source)
            move(name, target, source)
        return ActionResult({})

    def update_domain_association(self):
        """POST /2020-05-31/domain-association
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDomainAssociation.html):
        TargetResource names exactly one of DistributionId and
        DistributionTenantId, in the caller's account (EntityNotFound);
        If-Match is the target's current ETag (missing:
        InvalidIfMatchVersion; stale: PreconditionFailed)."""
        account = self.current_account
        name = store.normalize(self._get_param("Domain"))
        resource = self._get_param("TargetResource") or {}
        distribution_id = resource.get("DistributionId")
        tenant_id = resource.get("DistributionTenantId")
        if not name:
            raise InvalidArgument("Domain is required.")
        if bool(distribution_id) == bool(tenant_id):
            raise InvalidArgument(
                "Specify exactly one of DistributionId and DistributionTenantId."
            )
        with store.LOCK:
            if distribution_id:
                if distribution_id not in store.distributions(account):
                    raise EntityNotFound()
                target = Resource(account, "distribution", distribution_id)
                if store.config_value(target.distribution, "ConnectionMode") == "tenant-only":
                    # Aliases: "This field only supports standard
                    # distributions" (API_DistributionConfig.html).
                    raise InvalidArgument(
                        f"{distribution_id} is a multi-tenant distribution: its tenants hold "
                        "the domains."
                    )
            else:
                if tenant_id not in store.tenants(account):
                    raise EntityNotFound()
                target = Resource(account, "distribution-tenant", tenant_id)
            if_match = self._get_param("IfMatch")
            if not if_match:
                raise InvalidIfMatchVersion()
            if if_match != target.etag:
                raise PreconditionFailed()
            source = holder(name)
            if source is None or source.id != target.id:
                check_move(name, target, source)
                move(name, target, source)
            return ActionResult({"Domain": name, "ResourceId": target.id, "ETag": target.etag})
