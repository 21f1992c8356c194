"""Secrets never reach an audit row (docs/properties.md, Property 8; docs/audit.md): any value
under a secret-looking key is replaced by a mask, at any depth, and `key=value` pairs in free
text are masked too.

Over-masking is the safe side: `token_count` loses its value, a password never shows."""

from __future__ import annotations

import re
from typing import Any

MASK = "***"

# Matched anywhere in a key, case-insensitively: `password`, `pppoe_password_encrypted`,
# `snmpCommunity`, `api_key`, `Authorization`, `client-secret`, …
SECRET_KEY_WORDS = (
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "community",
    "credential",
    "api_key",
    "apikey",
    "api-key",
    "private_key",
    "privatekey",
    "authorization",
    "cookie",
)
_SECRET_KEY = re.compile("|".join(re.escape(w) for w in SECRET_KEY_WORDS), re.IGNORECASE)
# `password=hunter2`, `token: abc`, `"secret": "x"` inside free text: a word, a separator, then
# a value running to the next blank, comma, semicolon, ampersand or quote, masked when the word
# is a secret key. Words start only at a word boundary and nothing backtracks (possessive
# quantifiers), and the scan only moves forward: a long text costs linear time.
_KEY_AND_SEPARATOR = re.compile(r"""(?<![\w\-])(?P<key>[\w\-]++)["']?+\s*+[=:]\s*+["']?+""")
_VALUE = re.compile(r"""[^\s,;&"']++""")


def is_secret_key(key: str) -> bool:
    return _SECRET_KEY.search(key) is not None


def mask_secrets(value: Any) -> Any:
    """A copy of a JSON-like value with every secret masked (dict keys as text)."""
    if isinstance(value, dict):
        return {
            str(key): MASK if is_secret_key(str(key)) else mask_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_text(text: str) -> str:
    """Free text with the value of every `secret-key = value` pair masked."""
    pieces: list[str] = []
    kept_up_to = 0
    scan_from = 0
    while (pair := _KEY_AND_SEPARATOR.search(text, scan_from)) is not None:
        scan_from = pair.end()
        # `a=password=x`: the value after a harmless key is scanned for pairs of its own.
        if not is_secret_key(pair["key"]):
            continue
        value = _VALUE.match(text, pair.end())
        if value is None:
            continue
        pieces += [text[kept_up_to : pair.end()], MASK]
        kept_up_to = scan_from = value.end()
    pieces.append(text[kept_up_to:])
    return "".join(pieces)
