"""Connection groups: Create, Get, GetByRoutingEndpoint and List, kept in
`store` per account. A tenant is reached through its connection group's
routing endpoint; each account's default group is made when its first tenant
needs one (`store.default_group`)."""

from moto.core.responses import ActionResult

from . import store
from .conflicts import paged
from .errors import EntityAlreadyExists, EntityNotFound, InvalidArgument


def summary(group):
    return {k: v for k, v in group.items() if k not in ("Tags", "Ipv6Enabled")}


class ConnectionGroups:
    """Mixed into the emulator's CloudFront response class."""

    def create_connection_group(self):
        account = self.current_account
        name = self._get_param("Name") or ""
        if not name:
            raise InvalidArgument("Name is required.")
        with store.LOCK:
            if store.find_group(account, name):
                raise EntityAlreadyExists()
            enabled = self._get_param("Enabled")
            ipv6 = self._get_param("Ipv6Enabled")
            group = store.new_group(
                account,
                name,
                enabled=True if enabled is None else bool(enabled),
                ipv6=True if ipv6 is None else bool(ipv6),
                tags=self._get_param("Tags"),
                anycast=self._get_param("AnycastIpListId"),
            )
        return ActionResult({"ConnectionGroup": group, "ETag": group["ETag"]})

    def get_connection_group(self):
        """By ID, name or ARN
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetConnectionGroup.html)."""
        group = store.find_group(self.current_account, self._get_param("Identifier") or "")
        if group is None:
            raise EntityNotFound()
        return ActionResult({"ConnectionGroup": group, "ETag": group["ETag"]})

    def get_connection_group_by_routing_endpoint(self):
        """GET /2020-05-31/connection-group?RoutingEndpoint=d111111abcdef8.cloudfront.net
        (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetConnectionGroupByRoutingEndpoint.html),
        among the caller's connection groups."""
        endpoint = store.normalize(self._get_param("RoutingEndpoint"))
        for group in list(store.groups(self.current_account).values()):
            if group["RoutingEndpoint"] == endpoint:
                return ActionResult({"ConnectionGroup": group, "ETag": group["ETag"]})
        raise EntityNotFound()

    def list_connection_groups(self):
        anycast = (self._get_param("AssociationFilter") or {}).get("AnycastIpListId")
        groups = [
            summary(g)
            for g in list(store.groups(self.current_account).values())
            if not anycast or g.get("AnycastIpListId") == anycast
        ]
        chunk, following = paged(groups, self._get_param("Marker"), self._get_param("MaxItems"))
        return ActionResult({"ConnectionGroups": chunk, "NextMarker": following or None})
