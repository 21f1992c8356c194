"""Secrets arrive in clear in a request and leave this module encrypted, never otherwise."""

from __future__ import annotations

from typing import Any

from isp_common.secrets import SecretBox


def encrypt_secrets(
    box: SecretBox, clear: dict[str, str | None], *, suffix: str = "_encrypted"
) -> dict[str, Any]:
    """`{"telnet_password": "x"}` → `{"telnet_password_encrypted": <Fernet token>}`; None
    removes the secret."""
    return {
        f"{name}{suffix}": None if value is None else box.encrypt(value)
        for name, value in clear.items()
    }
