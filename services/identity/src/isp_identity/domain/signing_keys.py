"""When a signing key signs and how long it still verifies (docs/identity.md, "Signing keys")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from isp_identity.domain.sessions import SigningKey

# A token signed just before its key stops signing lives this long after that.
_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class KeyWindow:
    signs_until: datetime
    verifies_until: datetime


def key_window(now: datetime, rotation_days: int, access_token_seconds: int) -> KeyWindow:
    signs_until = now + timedelta(days=rotation_days)
    return KeyWindow(
        signs_until, signs_until + timedelta(seconds=access_token_seconds) + _CLOCK_SKEW
    )


def signing_key(keys: Sequence[SigningKey], now: datetime) -> SigningKey | None:
    """The newest key still signing, if any."""
    signing = [key for key in keys if key.signs_until > now]
    return max(signing, key=lambda key: key.created_at) if signing else None
