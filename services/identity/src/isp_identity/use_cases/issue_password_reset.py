"""A one-time password-reset token for a staff user, answered once (the admin hands it over);
issuing one makes every earlier unused one worthless."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from isp_common.errors import NotFound

from isp_identity.domain.accounts import StaffUser
from isp_identity.domain.one_time_tokens import PASSWORD_RESET
from isp_identity.domain.opaque_tokens import new_opaque_token
from isp_identity.domain.sessions import OneTimeToken
from isp_identity.domain.staff import reset_requested
from isp_identity.use_cases.account_events import raise_user_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class IssuedReset:
    reset_token: str  # `<uuid>.<secret>`: the one time it is seen
    expires_at: datetime


async def issue_password_reset(
    uow: UnitOfWork, user_id: UUID, *, valid_for: timedelta
) -> IssuedReset:
    user = await uow.users.get(user_id, for_update=True)
    if user is None:
        raise NotFound("user")
    return await reset_for(uow, user, valid_for=valid_for, now=utc_now())


async def reset_for(
    uow: UnitOfWork, user: StaffUser, *, valid_for: timedelta, now: datetime
) -> IssuedReset:
    """Issues the token and raises identity.user.password_reset_requested."""
    await uow.one_time_tokens.discard_unused(user.id, PASSWORD_RESET, now)
    token = new_opaque_token()
    expires_at = now + valid_for
    await uow.one_time_tokens.add(
        OneTimeToken(
            id=token.id,
            user_id=user.id,
            purpose=PASSWORD_RESET,
            secret_hash=token.secret_hash,
            created_at=now,
            expires_at=expires_at,
            used_at=None,
        )
    )
    requested = reset_requested(user, now)
    await uow.users.save(requested)
    raise_user_event(uow, "password_reset_requested", requested)
    return IssuedReset(token.text, expires_at)
