"""A customer's event keeps their portal account (the replica's rules: domain.portal)."""

from __future__ import annotations

from isp_identity.domain.portal import CustomerFacts, follow_customer
from isp_identity.domain.refresh import RevocationReason
from isp_identity.domain.sessions import Subject, SubjectKind
from isp_identity.use_cases.account_events import raise_portal_event
from isp_identity.use_cases.clock import utc_now
from isp_identity.use_cases.ports import UnitOfWork
from isp_identity.use_cases.sessions import revoke_all_sessions


async def apply_customer_snapshot(uow: UnitOfWork, facts: CustomerFacts) -> bool:
    """Whether the snapshot changed the account. A deleted or terminated customer's login is
    disabled and their sessions end."""
    account = await uow.portal_accounts.get(facts.customer_id, for_update=True)
    now = utc_now()
    change = follow_customer(account, facts, now)
    if change is None:
        return False
    await uow.portal_accounts.save(change.account)
    if change.disabled:
        subject = Subject(SubjectKind.CUSTOMER, facts.customer_id)
        await revoke_all_sessions(uow, subject, RevocationReason.ACCOUNT_DISABLED, now)
        raise_portal_event(uow, "disabled", change.account)
    return True
