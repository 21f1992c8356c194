"""The per-route auth dependency: `principal: Principal = require(Role.ADMIN, Role.SUPPORT)`."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import ip_address
from typing import Any

from fastapi import Depends, Request

from isp_common import context
from isp_common.auth import Principal, TokenVerifier, check_roles
from isp_common.errors import Unauthorized
from isp_common.settings import Network, Settings


def require(*roles: str) -> Any:
    # The header is read here rather than through fastapi.security.HTTPBearer, a second
    # dependency per request; create_app declares the bearer scheme in the OpenAPI document.
    async def dependency(request: Request) -> Principal:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("a bearer token is required")
        verifier: TokenVerifier = request.app.state.verifier
        principal = await verifier.verify(token.strip())
        check_roles(principal, roles)
        settings: Settings = request.app.state.settings
        ip = client_ip(
            request.client.host if request.client else None,
            request.headers.getlist("x-forwarded-for"),
            settings.trusted_proxies,
        )
        context.update(
            tenant_id=principal.tenant_id,
            actor=context.Actor(sub=principal.sub, roles=tuple(sorted(principal.roles)), ip=ip),
        )
        return principal

    return Depends(dependency)


def client_ip(peer: str | None, forwarded: Sequence[str], trusted: Sequence[Network]) -> str | None:
    """The address the request came from, as the audit trail records it.

    X-Forwarded-For is believed only from a trusted proxy, and only as far as the chain of
    trusted proxies goes: walking it from the right (the hop nearest to us), the first address
    that is not a trusted proxy is the client. Anything to its left the client wrote itself.
    """

    def is_trusted(address: str) -> bool:
        try:
            parsed = ip_address(address)
        except ValueError:
            return False
        return any(parsed in network for network in trusted)

    if peer is None or not is_trusted(peer):
        return peer
    hops = [hop.strip() for header in forwarded for hop in header.split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        try:
            ip_address(hop)
        except ValueError:
            break  # not an address a proxy wrote: stop at the last one that is
        client = hop
        if not is_trusted(hop):
            break
    return client
