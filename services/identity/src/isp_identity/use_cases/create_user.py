"""An admin adds a staff user: with a password, or with a one-time reset token (answered once)
with which the user sets their own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from isp_identity.domain.accounts import StaffUser
from isp_identity.domain.passwords import check_new_password
from isp_identity.domain.staff import new_staff_user, password_changed
from isp_identity.use_cases.account_events import raise_user_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.issue_password_reset import IssuedReset, reset_for
from isp_identity.use_cases.ports import Passwords, UnitOfWork


@dataclass(frozen=True, kw_only=True)
class NewUser:
    email: str
    full_name: str
    roles: Iterable[str]
    password: str | None = None


@dataclass(frozen=True)
class CreatedUser:
    user: StaffUser
    reset: IssuedReset | None


async def create_user(
    uow: UnitOfWork, command: NewUser, *, passwords: Passwords, reset_valid_for: timedelta
) -> CreatedUser:
    """CONFLICT when the email is taken in the tenant (whatever its case)."""
    now = utc_now()
    user = new_staff_user(
        id=uuid4(), email=command.email, full_name=command.full_name, roles=command.roles, now=now
    )
    if command.password is not None:
        check_new_password(command.password, "password", not_like=[user.email])
    await uow.users.add(user)
    raise_user_event(uow, "created", user)
    if command.password is None:
        return CreatedUser(user, await reset_for(uow, user, valid_for=reset_valid_for, now=now))
    user = password_changed(user, passwords.hash(command.password), now)
    await uow.users.save(user)
    raise_user_event(uow, "password_changed", user)
    return CreatedUser(user, None)
