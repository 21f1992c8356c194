"""Secrets handed out once: `<uuid>.<secret>` tokens (password reset) and the subscribers'
activation codes. Only a hash of the secret is stored; the text itself is answered once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from uuid import UUID, uuid4

PASSWORD_RESET = "password_reset"
# No 0/O, 1/I/L: a code read over the phone or copied from paper must not be mistyped.
ACTIVATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVATION_CODE_LENGTH = 8


@dataclass(frozen=True)
class IssuedSecret:
    id: UUID
    text: str  # what the holder presents: `<id>.<secret>`
    secret_hash: str  # sha256 hex of the secret half


def issue_secret_token() -> IssuedSecret:
    token_id, secret = uuid4(), secrets.token_urlsafe(32)
    return IssuedSecret(token_id, f"{token_id}.{secret}", secret_hash(secret))


def secret_hash(secret: str) -> str:
    """The secret is 256 random bits: sha256 suffices (a slow hash protects guessable ones)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_secret_token(text: str) -> tuple[UUID, str] | None:
    """(id, secret) of a presented `<id>.<secret>`; None when it is not of that shape."""
    token_id, dot, secret = text.partition(".")
    if not dot or not secret:
        return None
    try:
        return UUID(token_id), secret
    except ValueError:
        return None


def new_activation_code() -> str:
    return "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))


def normalised_activation_code(code: str) -> str:
    """What the subscriber typed, as it was issued: upper-case, without spaces or hyphens."""
    return code.strip().upper().replace(" ", "").replace("-", "")
