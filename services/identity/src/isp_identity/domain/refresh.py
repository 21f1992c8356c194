"""Refresh token rotation: each refresh spends the presented token and issues the next one of
the same family; a spent token presented again means two parties hold the family (a stolen
token, or a replay), so the whole family is revoked (docs/identity.md, "Tokens")."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import uuid4

from isp_identity.domain.opaque_tokens import OpaqueToken, new_opaque_token, secret_matches
from isp_identity.domain.sessions import RefreshToken, Subject, TokenFamily


class RevocationReason(StrEnum):
    LOGOUT = "logout"
    REUSE_DETECTED = "reuse_detected"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_DISABLED = "disabled"


class RefreshDecision(StrEnum):
    ROTATE = "rotate"  # spend it, issue the next one
    REUSED = "reused"  # spent before: revoke the family
    REFUSED = "refused"  # unknown, wrong secret, expired, or its family is over


def new_family(subject: Subject, now: datetime, days: int) -> TokenFamily:
    """A login's family; its id is also the access tokens' `sid`."""
    return TokenFamily(
        id=uuid4(),
        subject=subject,
        created_at=now,
        expires_at=now + timedelta(days=days),
        revoked_at=None,
        revoked_reason=None,
    )


def next_token(family: TokenFamily, now: datetime) -> tuple[OpaqueToken, RefreshToken]:
    """A new refresh token of the family, living as long as the family does."""
    opaque = new_opaque_token()
    stored = RefreshToken(
        id=opaque.id,
        family_id=family.id,
        secret_hash=opaque.secret_hash,
        created_at=now,
        expires_at=family.expires_at,
        used_at=None,
    )
    return opaque, stored


def family_is_live(family: TokenFamily | None, now: datetime) -> bool:
    return family is not None and family.revoked_at is None and now < family.expires_at


def decide_refresh(
    presented: OpaqueToken,
    stored: RefreshToken | None,
    family: TokenFamily | None,
    now: datetime,
) -> RefreshDecision:
    if stored is None or not secret_matches(stored.secret_hash, presented.secret):
        return RefreshDecision.REFUSED
    if not family_is_live(family, now) or now >= stored.expires_at:
        return RefreshDecision.REFUSED
    if stored.used_at is not None:
        return RefreshDecision.REUSED
    return RefreshDecision.ROTATE


def revoked(family: TokenFamily, reason: RevocationReason, now: datetime) -> TokenFamily:
    return replace(family, revoked_at=now, revoked_reason=str(reason))
