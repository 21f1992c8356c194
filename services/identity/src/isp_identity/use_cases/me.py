"""Who the caller is, from the token and (when it names one) the account."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from isp_common.auth import Principal

from isp_identity.use_cases.caller import ensure_session_live
from isp_identity.use_cases.login_accounts import account_of, subject_of
from isp_identity.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class Me:
    sub: str
    tenant_id: UUID
    roles: list[str]
    kind: str  # user | customer | token (a token naming no account)
    customer_id: UUID | None = None
    email: str | None = None
    full_name: str | None = None
    totp_enabled: bool = False


async def who_am_i(uow: UnitOfWork, principal: Principal, now: datetime) -> Me:
    await ensure_session_live(uow, principal, now)
    subject = subject_of(principal)
    account = await account_of(uow, subject) if subject else None
    me = Me(
        sub=principal.sub,
        tenant_id=principal.tenant_id,
        roles=sorted(principal.roles),
        kind="token",
        customer_id=principal.customer_id,
    )
    if account is None:
        return me
    if account.staff is not None:
        staff = account.staff
        return replace(
            me,
            kind="user",
            email=staff.email,
            full_name=staff.full_name,
            totp_enabled=staff.totp_enabled,
        )
    return replace(me, kind="customer")
