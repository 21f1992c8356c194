"""Bearer JWT → Principal; a route declares the roles it needs with `require(...)`.

HS256 with shared secrets (ISP_JWT_SECRET), or RS256 through the identity service's or another
OIDC provider's JWKS (ISP_JWKS_URL), or both; each with several keys at once, so keys rotate
without downtime (see isp_common.token_keys). A key verifies only tokens whose header names its
own algorithm. Production always checks issuer and audience.
"""

from __future__ import annotations

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
from isp_common.token_keys import KeySet, key_set_for


class Role(StrEnum):
    ADMIN = "admin"
    FINANCE = "finance"
    SUPPORT = "support"
    TECHNICIAN = "technician"
    VIEWER = "viewer"
    CUSTOMER = "customer"
    # The platform's operator: creates tenants (identity), belongs to no ISP's staff.
    PLATFORM_ADMIN = "platform_admin"


STAFF = (Role.ADMIN, Role.FINANCE, Role.SUPPORT, Role.TECHNICIAN, Role.VIEWER)


def ensure_customer_visible(
    only_customer_id: UUID | None, customer_id: UUID | None, missing: str = "customer"
) -> None:
    """NOT_FOUND (`missing`) when a scope limited to `only_customer_id` asks about another
    customer's data; no scope (None) sees every customer. See Principal for the idiom."""
    if only_customer_id is not None and customer_id != only_customer_id:
        raise NotFound(missing)


@dataclass(frozen=True)
class Principal:
    """Who calls, from the token.

    A subscriber sees only their own data, and another customer's data does not exist for
    them (NOT_FOUND, never FORBIDDEN, so that ids cannot be probed). Every service says it
    one way, through this class; no route compares customer ids itself:

    - a customer id the request names (path or body): `ensure_can_see_customer(customer_id)`;
    - a record loaded by its own id: `ensure_can_see_customer(record.customer_id, "invoice")`,
      NOT_FOUND naming the record;
    - a list or a new record that may name a customer: `customer_filter(customer_id)`, the
      subscriber's own customer whatever else it asks for;
    - a use case or a filter that loads the records itself gets `only_customer_id` (None for
      staff) and checks with `ensure_customer_visible`.
    """

    tenant_id: UUID
    sub: str
    roles: frozenset[str]
    customer_id: UUID | None = None
    # The login session (identity's refresh token family) the token was issued in, if any:
    # identity's own endpoints refuse a token whose session was revoked.
    session_id: str | None = None

    @property
    def is_customer(self) -> bool:
        return Role.CUSTOMER in self.roles and not (self.roles & set(STAFF))

    @property
    def only_customer_id(self) -> UUID | None:
        """The one customer a subscriber's token is limited to; None for staff. (A customer
        token always carries its customer_id: principal_from_claims refuses one without.)"""
        return self.customer_id if self.is_customer else None

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & {str(r) for r in roles})

    def ensure_can_see_customer(self, customer_id: UUID | None, missing: str = "customer") -> None:
        """A subscriber's token sees only its own customer: anything else does not exist."""
        ensure_customer_visible(self.only_customer_id, customer_id, missing)

    def customer_filter(self, customer_id: UUID | None) -> UUID | None:
        """The customer a list or a new record is about: for a subscriber its own (naming
        another is NOT_FOUND), for staff what the request names (None: any)."""
        if customer_id is not None:
            self.ensure_can_see_customer(customer_id)
        return self.only_customer_id or customer_id


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    expires_at: float
    key_id: str  # the key that verified it: once that key is gone, so is the trust


class TokenVerifier:
    """Verifies a token once and then remembers it until it expires or its key is removed: a
    client sends the same token with every request, and checking its signature again costs
    more than the rest of a simple read."""

    CACHE_SIZE = 10_000

    def __init__(self, settings: Settings, keys: KeySet | None = None) -> None:
        """`keys`: what verifies; by default what the settings name (key_set_for)."""
        self._settings = settings
        self._keys: KeySet = keys if keys is not None else key_set_for(settings)
        self._verified: OrderedDict[str, _Verified] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            if time.time() < cached.expires_at and await self._keys.still_has(cached.key_id):
                return cached.principal
            self._verified.pop(token, None)
        verified = await self._verify_signature(token)
        self._verified[token] = verified
        if len(self._verified) > self.CACHE_SIZE:
            self._verified.popitem(last=False)
        return verified.principal

    async def _verify_signature(self, token: str) -> _Verified:
        issuer, audience = self._settings.jwt_issuer, self._settings.jwt_audience
        required = ["exp", "sub"] + (["iss"] if issuer else []) + (["aud"] if audience else [])
        try:
            header = jwt.get_unverified_header(token)
            kid, algorithm = header.get("kid"), header.get("alg")
            for key in await self._keys.candidates(kid if isinstance(kid, str) else None):
                if key.algorithm != algorithm:
                    continue  # a key verifies only with its own algorithm: no confusion
                try:
                    claims = jwt.decode(
                        token,
                        key.key,
                        algorithms=[key.algorithm],
                        issuer=issuer,
                        audience=audience,
                        options={"require": required, "verify_aud": bool(audience)},
                    )
                except jwt.InvalidSignatureError:
                    continue  # another key of the set may have signed it
                principal = principal_from_claims(claims)
                return _Verified(principal, float(claims["exp"]), key.id)
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized("invalid or expired token") from exc
        raise Unauthorized("invalid or expired token")


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
        session_id=str(claims["sid"]) if claims.get("sid") else None,
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
    """An HS256 token for local runs and tests (`isp token`), signed with the first secret."""
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
    return jwt.encode(claims, settings.jwt_secrets[0], algorithm="HS256")


def check_roles(principal: Principal, roles: Iterable[str]) -> Principal:
    if not principal.has_any(roles):
        raise Forbidden("this action needs one of the roles: " + ", ".join(sorted(map(str, roles))))
    return principal
