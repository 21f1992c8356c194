from __future__ import annotations

from isp_common.contracts.customers import CustomerSnapshot

from isp_tickets.domain.customers import KnownCustomer
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.ticket_changes import save_change


async def apply_customer_snapshot(uow: UnitOfWork, snapshot: CustomerSnapshot, *, by: str) -> int:
    """Keeps the replica, and when the customer is deleted closes every ticket of theirs that
    is not closed yet (docs/tickets.md, "Deleted customers"), each with its activity and event.
    Returns how many."""
    deleted = snapshot.is_deleted
    if deleted:
        # Tickets being opened for this customer commit first; later ones see the deletion.
        await uow.customers.hold_for_deletion(snapshot.id)
    applied = await uow.customers.upsert(
        KnownCustomer(
            id=snapshot.id,
            customer_code=snapshot.customer_code,
            full_name=snapshot.full_name,
            is_deleted=deleted,
            version=snapshot.version,
        )
    )
    if not (applied and deleted):
        return 0
    now = utc_now()
    closing = await uow.tickets.unclosed_of_customer(snapshot.id)
    for ticket in closing:
        await save_change(uow, ticket.close_for_deleted_customer(by=by, now=now))
    return len(closing)
