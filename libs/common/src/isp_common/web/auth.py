"""The per-route auth dependency: `principal: Principal = require(Role.ADMIN, Role.SUPPORT)`."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from isp_common import context
from isp_common.auth import Principal, TokenVerifier, check_roles
from isp_common.errors import Unauthorized

_bearer = HTTPBearer(auto_error=False, description="A JWT carrying tenant_id, sub and roles")


def require(*roles: str) -> Any:
    async def dependency(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
    ) -> Principal:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthorized("a bearer token is required")
        verifier: TokenVerifier = request.app.state.verifier
        principal = await verifier.verify(credentials.credentials)
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
