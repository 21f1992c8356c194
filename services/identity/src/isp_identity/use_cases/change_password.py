"""A logged-in staff user or subscriber changes their own password: the current one proves it
is them (throttled like a login, per account), and every session of theirs ends, this one
included."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from isp_common.auth import Principal
from isp_common.errors import ValidationFailed

from isp_identity.domain.passwords import check_new_password
from isp_identity.domain.refresh import RevocationReason
from isp_identity.domain.staff import password_changed
from isp_identity.domain.throttle import subject_key
from isp_identity.use_cases.account_events import raise_portal_event, raise_user_event
from isp_identity.use_cases.caller import caller_account
from isp_identity.use_cases.login_accounts import LoginAccount
from isp_identity.use_cases.login_throttle import LoginGate
from isp_identity.use_cases.outcome import Outcome, refused
from isp_identity.use_cases.password_work import hash_password, verify_password
from isp_identity.use_cases.ports import Passwords, UnitOfWork
from isp_identity.use_cases.sessions import revoke_all_sessions


def wrong_password(field: str) -> ValidationFailed:
    return ValidationFailed(
        "The password is not acceptable",
        {"fields": [{"field": field, "message": "does not match", "type": "password_mismatch"}]},
    )


async def verify_own_password(
    uow: UnitOfWork,
    account: LoginAccount,
    password: str,
    field: str,
    passwords: Passwords,
    now: datetime,
) -> ValidationFailed | None:
    """None when `password` is the account's; else the refusal, the failure counted."""
    key = subject_key(str(account.subject.kind), account.subject.id)
    gate = await LoginGate.open(
        uow, login_name=str(account.subject.id), source_address=None, now=now, keys=[key]
    )
    if gate.retry_after():
        raise gate.refuse_locked()  # nothing new to keep: raising is fine
    if not await verify_password(passwords, account.password_hash, password):
        await gate.fail("bad_credentials", account.subject)
        return wrong_password(field)
    await gate.succeed()
    return None


async def change_password(
    uow: UnitOfWork,
    principal: Principal,
    current_password: str,
    new_password: str,
    passwords: Passwords,
    now: datetime,
) -> Outcome[bool]:
    account = await caller_account(uow, principal, now, for_update=True)
    refusal = await verify_own_password(
        uow, account, current_password, "current_password", passwords, now
    )
    if refusal is not None:
        return refused(refusal)
    check_new_password(new_password, "new_password", not_like=account.login_names)
    await set_password(uow, account, await hash_password(passwords, new_password), now)
    await revoke_all_sessions(uow, account.subject, RevocationReason.PASSWORD_CHANGED, now)
    return Outcome(True)


async def set_password(
    uow: UnitOfWork, account: LoginAccount, password_hash: str, now: datetime
) -> None:
    if account.staff is not None:
        user = password_changed(account.staff, password_hash, now)
        await uow.users.save(user)
        raise_user_event(uow, "password_changed", user)
        return
    assert account.portal is not None
    portal = account.portal
    changed = replace(
        portal,
        password_hash=password_hash,
        password_changed_at=now,
        version=portal.version + 1,
        updated_at=now,
    )
    await uow.portal_accounts.save(changed)
    raise_portal_event(uow, "password_changed", changed)
