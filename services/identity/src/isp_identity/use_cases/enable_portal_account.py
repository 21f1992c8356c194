"""Staff enable a subscriber's portal login: with a password they choose for them, or with a
one-time activation code (answered once) with which the subscriber sets their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from isp_common.errors import NotFound

from isp_identity.domain.accounts import PortalAccount
from isp_identity.domain.one_time_tokens import new_activation_code
from isp_identity.domain.passwords import check_new_password
from isp_identity.domain.portal import enabled_with_activation, enabled_with_password
from isp_identity.domain.refresh import RevocationReason
from isp_identity.domain.sessions import Subject, SubjectKind
from isp_identity.use_cases.account_events import raise_portal_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.ports import Passwords, UnitOfWork
from isp_identity.use_cases.sessions import revoke_all_sessions


@dataclass(frozen=True)
class EnabledAccount:
    account: PortalAccount
    activation_code: str | None  # the one time it is seen
    activation_expires_at: datetime | None


async def enable_with_password(
    uow: UnitOfWork, customer_id: UUID, password: str, *, passwords: Passwords
) -> EnabledAccount:
    account = await _account(uow, customer_id)
    names = [n for n in (account.customer_code, account.pppoe_username, account.phone) if n]
    check_new_password(password, "password", not_like=names)
    now = utc_now()
    enabled = enabled_with_password(account, passwords.hash(password), now)
    await uow.portal_accounts.save(enabled)
    # Sessions opened with an earlier password end with it.
    subject = Subject(SubjectKind.CUSTOMER, customer_id)
    await revoke_all_sessions(uow, subject, RevocationReason.PASSWORD_CHANGED, now)
    raise_portal_event(uow, "enabled", enabled)
    return EnabledAccount(enabled, None, None)


async def enable_with_activation(
    uow: UnitOfWork, customer_id: UUID, *, passwords: Passwords, valid_for: timedelta
) -> EnabledAccount:
    """A new code replaces any earlier one, and any password (domain.portal)."""
    account = await _account(uow, customer_id)
    now = utc_now()
    code = new_activation_code()
    expires_at = now + valid_for
    enabled = enabled_with_activation(account, passwords.hash(code), expires_at, now)
    await uow.portal_accounts.save(enabled)
    subject = Subject(SubjectKind.CUSTOMER, customer_id)
    await revoke_all_sessions(uow, subject, RevocationReason.PASSWORD_RESET, now)
    raise_portal_event(uow, "enabled", enabled)
    return EnabledAccount(enabled, code, expires_at)


async def _account(uow: UnitOfWork, customer_id: UUID) -> PortalAccount:
    """NOT_FOUND until customers' event about the customer has reached identity."""
    account = await uow.portal_accounts.get(customer_id, for_update=True)
    if account is None or account.customer_deleted:
        raise NotFound("customer")
    return account
