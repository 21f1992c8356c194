"""What an access token says (docs/identity.md, "Tokens"): the claims every service reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from isp_identity.domain.sessions import Subject, SubjectKind


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    audience: str | None
    access_token_seconds: int
    refresh_token_days: int


def access_claims(
    policy: TokenPolicy,
    *,
    tenant_id: UUID,
    subject: Subject,
    roles: Iterable[str],
    session_id: UUID,
    now: datetime,
) -> dict[str, Any]:
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": policy.issuer,
        "sub": str(subject.id),
        "tenant_id": str(tenant_id),
        "roles": sorted(roles),
        "sid": str(session_id),
        "iat": issued,
        "exp": int((now + timedelta(seconds=policy.access_token_seconds)).timestamp()),
        "jti": str(uuid4()),
    }
    if subject.kind is SubjectKind.CUSTOMER:
        claims["customer_id"] = str(subject.id)
    if policy.audience:
        claims["aud"] = policy.audience
    return claims


@dataclass(frozen=True)
class TokenGrant:
    """RFC 6749 §5.1's answer."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"
