"""Bearer JWT → Principal; a route declares the roles it needs with `require(...)`.

HS256 with a shared secret for local runs and tests; RS256 through an OIDC provider's JWKS in
production (set ISP_JWKS_URL, ISP_JWT_ISSUER, ISP_JWT_AUDIENCE).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

import jwt

from isp_common.errors import Forbidden, NotFound, Unauthorized
from isp_common.settings import Settings


class Role(StrEnum):
    ADMIN = "admin"
    FINANCE = "finance"
    SUPPORT = "support"
    TECHNICIAN = "technician"
    VIEWER = "viewer"
    CUSTOMER = "customer"


STAFF = (Role.ADMIN, Role.FINANCE, Role.SUPPORT, Role.TECHNICIAN, Role.VIEWER)


@dataclass(frozen=True)
class Principal:
    tenant_id: UUID
    sub: str
    roles: frozenset[str]
    customer_id: UUID | None = None

    @property
    def is_customer(self) -> bool:
        return Role.CUSTOMER in self.roles and not (self.roles & set(STAFF))

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & {str(r) for r in roles})

    def ensure_can_see_customer(self, customer_id: UUID) -> None:
        """A subscriber's token sees only its own customer: anything else does not exist."""
        if self.is_customer and self.customer_id != customer_id:
            raise NotFound("customer")


class TokenVerifier:
    """Verifies a token once and then remembers it until it expires: a client sends the same
    token with every request, and checking its signature again costs more than the rest of a
    simple read."""

    CACHE_SIZE = 10_000

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires_at = cached
            if time.time() < expires_at:
                return principal
            del self._verified[token]
        principal, expires_at = await self._verify_signature(token)
        self._verified[token] = (principal, expires_at)
        if len(self._verified) > self.CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    async def _verify_signature(self, token: str) -> tuple[Principal, float]:
        try:
            if self._jwks is not None:
                key: Any = (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
            else:
                key = self._settings.jwt_secret
            claims = jwt.decode(
                token,
                key,
                algorithms=[self._settings.jwt_algorithm],
                issuer=self._settings.jwt_issuer,
                audience=self._settings.jwt_audience,
                options={
                    "require": ["exp", "sub"],
                    "verify_aud": bool(self._settings.jwt_audience),
                },
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized("invalid or expired token") from exc
        return principal_from_claims(claims), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        tenant_id = UUID(str(claims["tenant_id"]))
        roles = claims.get("roles") or []
        if isinstance(roles, str):
            roles = roles.split()
        customer_id = UUID(str(claims["customer_id"])) if claims.get("customer_id") else None
    except (KeyError, ValueError) as exc:
        raise Unauthorized("token lacks a valid tenant_id") from exc
    known = {str(r) for r in Role}
    principal = Principal(
        tenant_id=tenant_id,
        sub=str(claims["sub"]),
        roles=frozenset(r for r in roles if r in known),
        customer_id=customer_id,
    )
    if not principal.roles:
        raise Unauthorized("token carries no known role")
    if Role.CUSTOMER in principal.roles and principal.customer_id is None:
        raise Unauthorized("a customer token must carry customer_id")
    return principal


def mint_token(
    settings: Settings,
    *,
    tenant_id: UUID,
    roles: Iterable[str],
    sub: str = "cli",
    customer_id: UUID | None = None,
    ttl_seconds: int = 12 * 3600,
) -> str:
    """An HS256 token for local runs and tests (`isp token`)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "tenant_id": str(tenant_id),
        "roles": [str(r) for r in roles],
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if customer_id:
        claims["customer_id"] = str(customer_id)
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def check_roles(principal: Principal, roles: Iterable[str]) -> Principal:
    if not principal.has_any(roles):
        raise Forbidden("this action needs one of the roles: " + ", ".join(sorted(map(str, roles))))
    return principal
