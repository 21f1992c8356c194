"""TOTP second factor (RFC 6238: 30-second steps, 6 digits, SHA-1, what authenticator apps
expect), through pyotp. The step a code belongs to is what the replay guard records."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp


class PyotpCodes:
    def new_secret(self) -> str:
        return pyotp.random_base32()

    def provisioning_uri(self, secret: str, account_name: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)

    def verify(self, secret: str, code: str, now: datetime) -> bool:
        return self.matching_step(secret, code, now) is not None

    def matching_step(self, secret: str, code: str, now: datetime) -> int | None:
        code = code.strip().replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            return None
        totp = pyotp.TOTP(secret)
        for drift in (0, -1, 1):
            at = now + timedelta(seconds=drift * totp.interval)
            if totp.verify(code, for_time=at):
                return int(totp.timecode(at))
        return None
