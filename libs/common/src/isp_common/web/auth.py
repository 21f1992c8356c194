"""The per-route auth dependency: `principal: Principal = require(Role.ADMIN, Role.SUPPORT)`."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from isp_common import context
from isp_common.auth import Principal, TokenVerifier, check_roles
from isp_common.errors import Unauthorized


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
        ip = request.client.host if request.client else None
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            ip = forwarded.split(",")[0].strip()
        context.update(
            tenant_id=principal.tenant_id,
            actor=context.Actor(sub=principal.sub, roles=tuple(sorted(principal.roles)), ip=ip),
        )
        return principal

    return Depends(dependency)
