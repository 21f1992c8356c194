"""The throttle in front of every password or code check that names an account by what was
typed (docs/identity.md, "Passwords, lockout and what a failed login tells"): the login name's
key and the source address's, locked after repeated failures with a doubling backoff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from isp_common.contracts.identity import LoginAttempt
from isp_common.errors import RateLimited

from isp_identity.domain.sessions import Subject, ThrottleState
from isp_identity.domain.throttle import (
    aggregate_id,
    name_key,
    record_failure,
    retry_after_seconds,
    source_key,
)
from isp_identity.use_cases.ports import UnitOfWork

# What an event repeats of a typed name (it may be a password typed in the wrong field; it is
# still what the audit trail must show).
_MAX_LOGGED_NAME = 254


def too_many_attempts(retry_after: int) -> RateLimited:
    return RateLimited(
        "too many failed attempts; try again later", {"retry_after_seconds": retry_after}
    )


@dataclass
class LoginGate:
    uow: UnitOfWork
    login_name: str
    source_address: str | None
    now: datetime
    keys: list[str]
    states: dict[str, ThrottleState | None] = field(default_factory=dict)

    @classmethod
    async def open(
        cls,
        uow: UnitOfWork,
        *,
        login_name: str,
        source_address: str | None,
        now: datetime,
        keys: list[str] | None = None,
    ) -> LoginGate:
        """`keys`: the throttle keys (by default the name's and the source's)."""
        chosen = keys or [name_key(login_name)] + (
            [source_key(source_address)] if source_address else []
        )
        gate = cls(uow, login_name, source_address, now, chosen)
        for key in chosen:
            gate.states[key] = await uow.throttle.get(key, for_update=True)
        return gate

    def retry_after(self) -> int:
        return max(
            (retry_after_seconds(state, self.now) for state in self.states.values()), default=0
        )

    def refuse_locked(self) -> RateLimited:
        """A locked key answers before any password is checked, and the attempt is not counted:
        a lock must end, even while someone keeps knocking."""
        retry = self.retry_after()
        self._raise("identity.login.failed", self.keys[0], "locked", None)
        return too_many_attempts(retry)

    async def fail(self, reason: str, subject: Subject | None = None) -> None:
        for key in self.keys:
            failure = record_failure(key, self.states.get(key), self.now)
            self.states[key] = failure.state
            await self.uow.throttle.save(failure.state)
            if key == self.keys[0]:
                self._raise("identity.login.failed", key, reason, subject)
            if failure.locked:
                self._raise("identity.login.locked", key, "locked", subject)

    def note(self, reason: str, subject: Subject | None = None) -> None:
        """A refusal that is not counted (the password was right, the second factor missing)."""
        self._raise("identity.login.failed", self.keys[0], reason, subject)

    async def succeed(self) -> None:
        await self.uow.throttle.clear(self.keys[0])

    def _raise(self, type_: str, key: str, reason: str, subject: Subject | None) -> None:
        state = self.states.get(key)
        self.uow.raise_event(
            type_,
            aggregate_id(key),
            state.failures if state else 0,
            LoginAttempt(
                login_name=self.login_name[:_MAX_LOGGED_NAME],
                subject_kind=str(subject.kind) if subject else None,
                subject_id=subject.id if subject else None,
                source_address=self.source_address,
                reason=reason,
                locked_until=state.locked_until if state else None,
                at=self.now,
            ),
        )
