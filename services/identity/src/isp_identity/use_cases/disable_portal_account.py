from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_identity.domain.accounts import PortalAccount
from isp_identity.domain.portal import disabled
from isp_identity.domain.refresh import RevocationReason
from isp_identity.domain.sessions import Subject, SubjectKind
from isp_identity.use_cases.account_events import raise_portal_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.ports import UnitOfWork
from isp_identity.use_cases.sessions import revoke_all_sessions


async def disable_portal_account(uow: UnitOfWork, customer_id: UUID) -> PortalAccount:
    """Takes the subscriber's login away (any activation code too) and ends their sessions;
    disabling a disabled account changes nothing."""
    account = await uow.portal_accounts.get(customer_id, for_update=True)
    if account is None or account.customer_deleted:
        raise NotFound("customer")
    now = utc_now()
    changed = disabled(account, now)
    if changed is None:
        return account
    await uow.portal_accounts.save(changed)
    subject = Subject(SubjectKind.CUSTOMER, customer_id)
    await revoke_all_sessions(uow, subject, RevocationReason.ACCOUNT_DISABLED, now)
    raise_portal_event(uow, "disabled", changed)
    return changed
