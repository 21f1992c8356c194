"""TOTP second factor (RFC 6238: 30-second steps, 6 digits, SHA-1, what authenticator apps
expect), through pyotp."""

from __future__ import annotations

from datetime import datetime

import pyotp


class PyotpCodes:
    def new_secret(self) -> str:
        return pyotp.random_base32()

    def provisioning_uri(self, secret: str, account_name: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)

    def verify(self, secret: str, code: str, now: datetime) -> bool:
        code = code.strip().replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            return False
        return pyotp.TOTP(secret).verify(code, for_time=now, valid_window=1)
