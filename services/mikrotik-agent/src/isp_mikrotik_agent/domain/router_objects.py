"""What a subscriber looks like on a MikroTik router: the objects, their attributes, written the
way RouterOS prints them back so that comparing desired and observed needs no second guess."""

from __future__ import annotations

import ipaddress
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from isp_mikrotik_agent.domain.desired import (
    DEFAULT_QUEUE_NAME_TEMPLATE,
    Subscriber,
    SuspensionMode,
    SuspensionSettings,
)
from isp_mikrotik_agent.domain.tags import isolation_profile_tag, subscriber_tag

SECRET = "/ppp/secret"
QUEUE = "/queue/simple"
ADDRESS_LIST = "/ip/firewall/address-list"
PROFILE = "/ppp/profile"
ACTIVE = "/ppp/active"
# The menus the agent owns objects in, in the order a full read walks them.
OWNED_MENUS = (PROFILE, SECRET, QUEUE, ADDRESS_LIST)
# What the agent reads of each menu (fewer words on the wire for a full sync).
PROPLISTS: Mapping[str, tuple[str, ...]] = {
    SECRET: (
        ".id",
        "name",
        "password",
        "service",
        "profile",
        "remote-address",
        "disabled",
        "comment",
    ),
    QUEUE: (
        ".id",
        "name",
        "target",
        "max-limit",
        "burst-limit",
        "burst-threshold",
        "burst-time",
        "disabled",
        "comment",
    ),
    ADDRESS_LIST: (".id", "list", "address", "disabled", "dynamic", "comment"),
    PROFILE: (".id", "name", "address-list", "comment"),
}
DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class RouterObject:
    """One object the agent wants. An attribute set to None must be absent (unset)."""

    menu: str
    tag: str
    attributes: Mapping[str, str | None]
    customer_id: UUID | None = None

    @property
    def name(self) -> str:
        return str(self.attributes.get("name") or self.attributes.get("address") or self.tag)


@dataclass(frozen=True)
class ObservedObject:
    """One object as read from the router, values normalised to RouterOS's printed text."""

    menu: str
    id: str
    attributes: Mapping[str, str] = field(default_factory=dict)

    @property
    def comment(self) -> str | None:
        return self.attributes.get("comment")

    @property
    def name(self) -> str:
        return self.attributes.get("name") or self.attributes.get("address") or self.id


def printed(value: object) -> str:
    """A value as RouterOS prints it (client libraries turn "true" into True and "10" into 10)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def kbps_pair(upload: int, download: int) -> str:
    return f"{upload * 1000}/{download * 1000}"


def queue_name(subscriber: Subscriber, template: str | None) -> str:
    """The queue's name from the plan's template: `{customer_code}`, `{pppoe_username}` and
    `{customer_id}` are filled in; a template with anything else falls back to the default."""
    values = {
        "customer_code": subscriber.customer_code,
        "pppoe_username": subscriber.pppoe_username or "",
        "customer_id": str(subscriber.customer_id),
    }
    chosen = template or DEFAULT_QUEUE_NAME_TEMPLATE
    fields = [f for _, f, _, _ in string.Formatter().parse(chosen) if f is not None]
    if any(f not in values for f in fields):
        chosen = DEFAULT_QUEUE_NAME_TEMPLATE
    try:
        name = chosen.format(**values).strip()
    except (ValueError, IndexError):
        name = ""
    return name or subscriber.customer_code


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def subscriber_objects(
    subscriber: Subscriber, settings: SuspensionSettings, now: datetime, scope: UUID
) -> list[RouterObject]:
    """The secret, the queue and (isolated with a fixed address) the address-list entry, tagged
    for the tenant `scope`."""
    if not subscriber.wants_objects:
        return []
    tag = subscriber_tag(scope, subscriber.customer_id)
    address = _address(subscriber.remote_address)
    isolated = subscriber.suspended and settings.mode is SuspensionMode.ISOLATE
    disabled = subscriber.suspended and settings.mode is SuspensionMode.DISABLE
    username = str(subscriber.pppoe_username)
    secret = RouterObject(
        SECRET,
        tag,
        {
            "name": username,
            "password": subscriber.pppoe_password or "",
            "service": "pppoe",
            "profile": settings.isolation_profile if isolated else DEFAULT_PROFILE,
            "remote-address": address,
            "disabled": "true" if disabled else "false",
            "comment": tag,
        },
        subscriber.customer_id,
    )
    upload, download = subscriber.limits(now)
    burst = subscriber.burst
    queue = RouterObject(
        QUEUE,
        tag,
        {
            "name": queue_name(subscriber, subscriber.queue_name_template),
            "target": f"{address}/32" if address else f"<pppoe-{username}>",
            "max-limit": kbps_pair(upload, download),
            "burst-limit": kbps_pair(burst.rate_upload, burst.rate_download) if burst else "0/0",
            "burst-threshold": (
                kbps_pair(burst.threshold_upload, burst.threshold_download) if burst else "0/0"
            ),
            "burst-time": f"{burst.time_seconds}s/{burst.time_seconds}s" if burst else "0s/0s",
            "disabled": "false",
            "comment": tag,
        },
        subscriber.customer_id,
    )
    objects = [secret, queue]
    if isolated and address:
        objects.append(
            RouterObject(
                ADDRESS_LIST,
                tag,
                {
                    "list": settings.isolation_address_list,
                    "address": address,
                    "disabled": "false",
                    "comment": tag,
                },
                subscriber.customer_id,
            )
        )
    return objects


def isolation_profile(settings: SuspensionSettings, scope: UUID) -> RouterObject:
    """The PPP profile that puts whoever connects with it in the isolation address list."""
    tag = isolation_profile_tag(scope)
    return RouterObject(
        PROFILE,
        tag,
        {
            "name": settings.isolation_profile,
            "address-list": settings.isolation_address_list,
            "comment": tag,
        },
    )


def desired_objects(
    subscribers: Iterable[Subscriber],
    settings: SuspensionSettings,
    now: datetime,
    *,
    with_profile: bool,
    scope: UUID,
) -> list[RouterObject]:
    """All objects for these subscribers; the isolation profile too when asked (a full sync in
    isolate mode) or when one of them needs it."""
    objects = [o for s in subscribers for o in subscriber_objects(s, settings, now, scope)]
    needs_profile = any(
        o.menu == SECRET and o.attributes["profile"] == settings.isolation_profile for o in objects
    )
    if settings.mode is SuspensionMode.ISOLATE and (with_profile or needs_profile):
        objects.insert(0, isolation_profile(settings, scope))
    return objects
