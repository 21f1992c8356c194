"""Where the platform may point a RouterOS API client (ISP_ROUTER_NETWORKS).

The agent logs in to a router with the admin credentials it holds, so whoever sets a router's
address chooses where those credentials go. A router is an IP address inside the operator's
router networks; a host name is refused, because the address it resolves to when it is saved
says nothing of the one it resolves to when the agent connects (DNS rebinding). Link-local
(including the cloud metadata address 169.254.169.254), multicast, unspecified and broadcast
addresses are never routers, whatever the allow-list says.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Private ranges (RFC 1918, shared CGNAT space, IPv6 unique local) and loopback: the
# development simulator listens on 127.0.0.1. Production lists its own router networks.
DEFAULT_ROUTER_NETWORKS = (
    "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7,127.0.0.0/8,::1/128"
)
_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


def parse_router_networks(text: str) -> tuple[IPNetwork, ...]:
    """`10.0.0.0/8, 192.168.0.0/16` → networks; ValueError names the entry that is not one."""
    networks: list[IPNetwork] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"ISP_ROUTER_NETWORKS: {entry!r} is not a CIDR network") from None
    return tuple(networks)


def router_target_problem(host: str | None, allowed: Sequence[IPNetwork]) -> str | None:
    """Why `host` cannot be a router the platform connects to, or None when it can."""
    if not host:
        return None
    try:
        address: IPAddress = ipaddress.ip_address(host.strip())
    except ValueError:
        return "a router's address must be an IP address (host names are not resolved)"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_link_local:
        return "a link-local address is never a router"
    if address.is_multicast:
        return "a multicast address is never a router"
    if address.is_unspecified:
        return "an unspecified address is never a router"
    if address == _BROADCAST:
        return "a broadcast address is never a router"
    if not any(address in network for network in allowed):
        return "the address is outside the operator's router networks (ISP_ROUTER_NETWORKS)"
    return None
