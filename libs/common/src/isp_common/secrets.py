"""Secrets (PPPoE, router, SNMP passwords): Fernet-encrypted at rest and in events, write-only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import Field, GetCoreSchemaHandler, SecretStr
from pydantic_core import CoreSchema

if TYPE_CHECKING:
    from isp_common.settings import Settings

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


def service_secret_box(settings: Settings) -> SecretBox:
    """The one way a service gets ISP_SECRET_KEY: only the services in SECRET_KEY_HOLDERS may,
    so a service that does not decrypt never holds a key (and production needs none for it)."""
    if not settings.holds_secret_key:
        raise RuntimeError(
            f"{settings.service_name} does not decrypt secrets; only the services in "
            "isp_common.settings.SECRET_KEY_HOLDERS get a SecretBox"
        )
    return SecretBox(settings.secret_key)


class _KeepWhitespace:
    """Annotated metadata: the secret's text is taken exactly as sent. A model's
    `str_strip_whitespace` (RequestModel trims every text) would otherwise trim a password,
    and " p a s s " would be stored as "p a s s": the subscriber's router would then fail to
    log in with the password the operator typed."""

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        _no_strip(schema)
        return schema


def _no_strip(node: Any) -> None:
    # An explicit `strip_whitespace: False` on the text schema wins over the model's config.
    if isinstance(node, dict):
        if node.get("type") == "str":
            node["strip_whitespace"] = False
        for child in node.values():
            _no_strip(child)
    elif isinstance(node, list):
        for child in node:
            _no_strip(child)


# A secret as an API accepts it: never echoed back, never shown by repr or logs, never trimmed.
WriteOnlySecret = Annotated[
    SecretStr,
    Field(min_length=1, max_length=256, json_schema_extra={"writeOnly": True}),
    _KeepWhitespace(),
]
