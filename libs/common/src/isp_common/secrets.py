"""Secrets (PPPoE, router, SNMP passwords): Fernet-encrypted at rest and in events, write-only."""

from __future__ import annotations

from typing import Annotated

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import Field, SecretStr

MASK = "********"


class SecretBox:
    """Encrypts with the first configured key and decrypts with any, so keys can be rotated."""

    def __init__(self, keys: str) -> None:
        self._fernet = MultiFernet(
            [Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()]
        )

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("secret cannot be decrypted with the configured keys") from exc


# A secret as an API accepts it: never echoed back, never shown by repr or logs.
WriteOnlySecret = Annotated[
    SecretStr, Field(min_length=1, max_length=256, json_schema_extra={"writeOnly": True})
]
