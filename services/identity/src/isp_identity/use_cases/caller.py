"""The account behind an access token, for identity's own endpoints: these refuse a token whose
login session (`sid`) has ended, though other services accept it until it expires."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from isp_common.auth import Principal
from isp_common.errors import Unauthorized

from isp_identity.domain.refresh import family_is_live
from isp_identity.use_cases.login_accounts import LoginAccount, account_of, subject_of
from isp_identity.use_cases.ports import UnitOfWork


def session_ended() -> Unauthorized:
    return Unauthorized("the session of this token has ended; log in again")


async def ensure_session_live(uow: UnitOfWork, principal: Principal, now: datetime) -> None:
    if principal.session_id is None:
        return  # not issued by a login (a development token): nothing to end
    try:
        family_id = UUID(principal.session_id)
    except ValueError:
        raise session_ended() from None
    family = await uow.sessions.family(family_id)
    if not family_is_live(family, now) or family is None or family.subject != subject_of(principal):
        raise session_ended()


async def caller_account(
    uow: UnitOfWork, principal: Principal, now: datetime, *, for_update: bool = False
) -> LoginAccount:
    await ensure_session_live(uow, principal, now)
    subject = subject_of(principal)
    account = await account_of(uow, subject, for_update=for_update) if subject else None
    if account is None or not account.active:
        raise Unauthorized("this token names no active account")
    return account
