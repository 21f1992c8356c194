"""Opaque secrets handed to a client as `<uuid>.<secret>` (refresh tokens, reset tokens): the
uuid finds the row, and only the sha256 of the secret half is stored, so a copy of the database
logs nobody in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from uuid import UUID, uuid4

# secrets.token_urlsafe(32): 43 characters; anything far longer is not one of ours.
_MAX_SECRET_LENGTH = 128


@dataclass(frozen=True)
class OpaqueToken:
    id: UUID
    secret: str

    @property
    def text(self) -> str:
        return f"{self.id}.{self.secret}"

    @property
    def secret_hash(self) -> str:
        return hash_secret(self.secret)


def new_opaque_token() -> OpaqueToken:
    return OpaqueToken(uuid4(), secrets.token_urlsafe(32))


def parse_opaque_token(text: str) -> OpaqueToken | None:
    """None for anything that is not `<uuid>.<secret>`: the caller answers as for a wrong one."""
    token_id, dot, secret = text.strip().partition(".")
    if not dot or not secret or len(secret) > _MAX_SECRET_LENGTH:
        return None
    try:
        return OpaqueToken(UUID(token_id), secret)
    except ValueError:
        return None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(stored_hash: str, secret: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_secret(secret))
