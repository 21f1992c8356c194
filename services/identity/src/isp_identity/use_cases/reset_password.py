"""A staff user sets a new password with the one-time reset token an admin handed them: the
token is spent, and every session of theirs ends."""

from __future__ import annotations

from datetime import datetime

from isp_common.errors import Unauthorized

from isp_identity.domain.accounts import UserStatus
from isp_identity.domain.one_time_tokens import PASSWORD_RESET
from isp_identity.domain.opaque_tokens import OpaqueToken, secret_matches
from isp_identity.domain.passwords import check_new_password
from isp_identity.domain.refresh import RevocationReason
from isp_identity.domain.sessions import Subject, SubjectKind
from isp_identity.domain.throttle import name_key
from isp_identity.use_cases.change_password import set_password
from isp_identity.use_cases.login_accounts import LoginAccount
from isp_identity.use_cases.password_work import hash_password
from isp_identity.use_cases.ports import Passwords, UnitOfWork
from isp_identity.use_cases.sessions import revoke_all_sessions


def invalid_reset_token() -> Unauthorized:
    return Unauthorized("invalid or expired reset token")


async def reset_password(
    uow: UnitOfWork,
    presented: OpaqueToken,
    new_password: str,
    passwords: Passwords,
    now: datetime,
) -> None:
    token = await uow.one_time_tokens.get(presented.id, for_update=True)
    if (
        token is None
        or token.purpose != PASSWORD_RESET
        or token.used_at is not None
        or token.expires_at <= now
        or not secret_matches(token.secret_hash, presented.secret)
    ):
        raise invalid_reset_token()
    user = await uow.users.get(token.user_id, for_update=True)
    if user is None or user.status is not UserStatus.ACTIVE:
        raise invalid_reset_token()
    # Checked before the token is spent: a refused password leaves the link usable.
    check_new_password(new_password, "new_password", not_like=[user.email])
    await uow.one_time_tokens.mark_used(token.id, now)
    account = LoginAccount(Subject(SubjectKind.USER, user.id), staff=user)
    await set_password(uow, account, await hash_password(passwords, new_password), now)
    await revoke_all_sessions(uow, account.subject, RevocationReason.PASSWORD_RESET, now)
    await uow.throttle.clear(name_key(user.email))  # a reset also lifts a lock on the name
