"""What each simulated menu holds: its properties in print order, their defaults, which ones a
client may write, how values are normalised, and what makes two items duplicates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from routeros_sim import values

Normaliser = Callable[[str], str]

# A property printed only once it has a value (RouterOS omits an unset comment or address).
UNSET = None


@dataclass(frozen=True)
class MenuSchema:
    path: str
    # Every property in print order → its default (UNSET: printed only when set).
    properties: Mapping[str, str | None]
    # Properties a client cannot add or set (counters, flags the router owns).
    read_only: frozenset[str] = frozenset()
    normalisers: Mapping[str, Normaliser] = field(default_factory=dict)
    # Properties that together identify an item; a second item with the same ones is refused.
    key: tuple[str, ...] = ("name",)
    duplicate_message: str = "failure: already have such name"
    required: tuple[str, ...] = ()
    commands: frozenset[str] = frozenset(
        {"print", "getall", "add", "set", "remove", "enable", "disable", "unset"}
    )

    def writable(self, name: str) -> bool:
        return name in self.properties and name not in self.read_only


PPP_SECRET = MenuSchema(
    path="/ppp/secret",
    properties={
        "name": UNSET,
        "service": "any",
        "caller-id": "",
        "password": "",
        "profile": "default",
        "local-address": UNSET,
        "remote-address": UNSET,
        "routes": "",
        "limit-bytes-in": "0",
        "limit-bytes-out": "0",
        "last-logged-out": "never",
        "disabled": "false",
        "comment": UNSET,
    },
    read_only=frozenset({"last-logged-out"}),
    normalisers={
        "disabled": values.boolean,
        "local-address": values.address,
        "remote-address": values.address,
    },
    required=("name",),
)

PPP_PROFILE = MenuSchema(
    path="/ppp/profile",
    properties={
        "name": UNSET,
        "local-address": UNSET,
        "remote-address": UNSET,
        "address-list": "",
        "rate-limit": UNSET,
        "use-mpls": "default",
        "use-compression": "default",
        "use-encryption": "default",
        "only-one": "default",
        "change-tcp-mss": "yes",
        "use-upnp": "default",
        "on-up": "",
        "on-down": "",
        "default": "false",
        "comment": UNSET,
    },
    read_only=frozenset({"default"}),
    required=("name",),
)

PPP_ACTIVE = MenuSchema(
    path="/ppp/active",
    properties={
        "name": "",
        "service": "pppoe",
        "caller-id": "",
        "address": "",
        "uptime": "0s",
        "encoding": "",
        "session-id": "",
        "limit-bytes-in": "0",
        "limit-bytes-out": "0",
        "radius": "false",
        "comment": UNSET,
    },
    # Sessions come from subscribers dialling in (Router.connect_session); a client can only
    # look at them and remove them, which hangs the subscriber up.
    read_only=frozenset(
        {
            "name",
            "service",
            "caller-id",
            "address",
            "uptime",
            "encoding",
            "session-id",
            "limit-bytes-in",
            "limit-bytes-out",
            "radius",
        }
    ),
    key=(),
    commands=frozenset({"print", "getall", "remove"}),
)

QUEUE_SIMPLE = MenuSchema(
    path="/queue/simple",
    properties={
        "name": UNSET,
        "target": UNSET,
        "parent": "none",
        "packet-marks": "",
        "priority": "8/8",
        "queue": "default-small/default-small",
        "limit-at": "0/0",
        "max-limit": "0/0",
        "burst-limit": "0/0",
        "burst-threshold": "0/0",
        "burst-time": "0s/0s",
        "bucket-size": "0.1/0.1",
        "bytes": "0/0",
        "total-bytes": "0",
        "packets": "0/0",
        "total-packets": "0",
        "rate": "0/0",
        "total-rate": "0",
        "packet-rate": "0/0",
        "dynamic": "false",
        "invalid": "false",
        "disabled": "false",
        "comment": UNSET,
    },
    read_only=frozenset(
        {
            "bytes",
            "total-bytes",
            "packets",
            "total-packets",
            "rate",
            "total-rate",
            "packet-rate",
            "dynamic",
            "invalid",
        }
    ),
    normalisers={
        "target": values.targets,
        "limit-at": values.bits_pair,
        "max-limit": values.bits_pair,
        "burst-limit": values.bits_pair,
        "burst-threshold": values.bits_pair,
        "burst-time": values.text_pair,
        "priority": values.text_pair,
        "queue": values.text_pair,
        "disabled": values.boolean,
    },
    required=("target",),
)

ADDRESS_LIST = MenuSchema(
    path="/ip/firewall/address-list",
    properties={
        "list": UNSET,
        "address": UNSET,
        "timeout": UNSET,
        "creation-time": "",
        "dynamic": "false",
        "disabled": "false",
        "comment": UNSET,
    },
    read_only=frozenset({"creation-time", "dynamic"}),
    normalisers={"address": values.address_or_network, "disabled": values.boolean},
    key=("list", "address"),
    duplicate_message="failure: already have such entry",
    required=("list", "address"),
)

SYSTEM_RESOURCE = MenuSchema(
    path="/system/resource",
    properties={
        "uptime": "0s",
        "version": "7.16 (stable)",
        "build-time": "2024-09-20 13:00:27",
        "free-memory": "1000000000",
        "total-memory": "1073741824",
        "cpu": "QEMU",
        "cpu-count": "1",
        "cpu-frequency": "2400",
        "cpu-load": "1",
        "free-hdd-space": "90000000",
        "total-hdd-space": "100000000",
        "architecture-name": "x86_64",
        "board-name": "CHR",
        "platform": "MikroTik",
    },
    read_only=frozenset(),
    key=(),
    commands=frozenset({"print", "getall"}),
)

SYSTEM_IDENTITY = MenuSchema(
    path="/system/identity",
    properties={"name": "MikroTik"},
    key=(),
    commands=frozenset({"print", "getall", "set"}),
)

# Menus of one item with no .id: print shows it, set changes it.
SINGLETONS = (SYSTEM_RESOURCE, SYSTEM_IDENTITY)
LISTS = (PPP_SECRET, PPP_PROFILE, PPP_ACTIVE, QUEUE_SIMPLE, ADDRESS_LIST)
