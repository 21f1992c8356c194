"""Secrets handed out once to set a password: password-reset tokens (opaque `<uuid>.<secret>`
tokens, see opaque_tokens) and subscribers' activation codes. Only a hash is stored; the text
itself is answered once."""

from __future__ import annotations

import secrets

PASSWORD_RESET = "password_reset"
# No 0/O, 1/I/L: a code read over the phone or copied from paper must not be mistyped.
ACTIVATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVATION_CODE_LENGTH = 8


def new_activation_code() -> str:
    return "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))


def normalised_activation_code(code: str) -> str:
    """What the subscriber typed, as it was issued: upper-case, without spaces or hyphens."""
    return code.strip().upper().replace(" ", "").replace("-", "")
