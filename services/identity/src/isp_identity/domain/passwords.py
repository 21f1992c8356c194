"""What a new password must be: long enough, not absurdly long, not one of the passwords
attackers try first, and not the login name itself.

common-passwords.txt.gz is Django's list (django/contrib/auth/common-passwords.txt.gz,
BSD-3-Clause, © Django Software Foundation and contributors): 20,000 passwords from breach
corpora, lower-cased.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from isp_common.errors import ValidationFailed

MIN_LENGTH = 10
# argon2 hashes any length, but a megabyte "password" is a denial-of-service, not a secret.
MAX_LENGTH = 256
_COMMON = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def check_new_password(password: str, field: str, *, not_like: Iterable[str] = ()) -> None:
    """VALIDATION_ERROR naming `field` and the rule broken, never the value."""
    rule: str | None = None
    if len(password) < MIN_LENGTH:
        rule = f"at least {MIN_LENGTH} characters"
    elif len(password) > MAX_LENGTH:
        rule = f"at most {MAX_LENGTH} characters"
    elif password.lower() in _common_passwords():
        rule = "too common: it is on the list of passwords attackers try first"
    elif any(name and password.lower() == name.lower() for name in not_like):
        rule = "must not be the login name"
    if rule is not None:
        raise ValidationFailed(
            "The password is not acceptable",
            {"fields": [{"field": field, "message": rule, "type": "password_policy"}]},
        )
