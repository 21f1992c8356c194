"""Refresh tokens and their families, one-time tokens, login throttling and signing keys: the
records behind the token endpoint (rules: docs/identity.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class SubjectKind(StrEnum):
    USER = "user"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: UUID  # a staff user's id, or a customer's id


@dataclass(frozen=True)
class TokenFamily:
    """Every refresh token descending from one login; revoked as one."""

    id: UUID
    subject: Subject
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None


@dataclass(frozen=True)
class RefreshToken:
    id: UUID
    family_id: UUID
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class OneTimeToken:
    id: UUID
    user_id: UUID
    purpose: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class ThrottleState:
    key: str
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key_encrypted: str
    public_jwk: dict[str, Any]
    created_at: datetime
    signs_until: datetime
    verifies_until: datetime
