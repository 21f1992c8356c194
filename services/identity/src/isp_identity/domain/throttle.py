"""Login throttling: keyed by what was typed and where it came from, never by an account, so a
name that matches nobody is slowed and locked exactly like one that does (docs/identity.md,
"Passwords, lockout and what a failed login tells")."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from isp_identity.domain.sessions import ThrottleState

FREE_FAILURES = 5
MAX_LOCK_SECONDS = 900
_AGGREGATE_NAMESPACE = uuid5(NAMESPACE_URL, "isp-identity/login-throttle")


def name_key(login_name: str) -> str:
    digest = hashlib.sha256(login_name.strip().lower().encode()).hexdigest()
    return f"name:{digest}"


def source_key(address: str) -> str:
    return f"source:{address[:100]}"


def subject_key(kind: str, subject_id: UUID) -> str:
    """Password checks behind an access token (changing a password, turning TOTP off)."""
    return f"subject:{kind}:{subject_id}"


def aggregate_id(key: str) -> UUID:
    """What the events of one key are about."""
    return uuid5(_AGGREGATE_NAMESPACE, key)


def lock_seconds(failures: int) -> int:
    """0 up to FREE_FAILURES failures, then 1, 2, 4, … seconds, at most 15 minutes."""
    if failures < FREE_FAILURES:
        return 0
    exponent = failures - FREE_FAILURES
    return MAX_LOCK_SECONDS if exponent >= 10 else min(2**exponent, MAX_LOCK_SECONDS)


def retry_after_seconds(state: ThrottleState | None, now: datetime) -> int:
    """How long the key is still locked (whole seconds, at least 1), or 0."""
    if state is None or state.locked_until is None or state.locked_until <= now:
        return 0
    return max(1, math.ceil((state.locked_until - now).total_seconds()))


@dataclass(frozen=True)
class Failure:
    state: ThrottleState
    locked: bool  # this failure locked the key


def record_failure(key: str, state: ThrottleState | None, now: datetime) -> Failure:
    failures = (state.failures if state else 0) + 1
    seconds = lock_seconds(failures)
    locked_until = now + timedelta(seconds=seconds) if seconds else None
    return Failure(ThrottleState(key, failures, now, locked_until), locked_until is not None)
