"""Any event of the platform → one audit row (the consumer's inbox has already skipped repeats)."""

from __future__ import annotations

from isp_common.contracts import contract_for
from isp_common.messaging.envelope import Event

from isp_audit.domain.categories import action_of, category_of
from isp_audit.domain.describe import clean_text, customer_of, describe, old_and_new
from isp_audit.domain.entry import AuditEntry, AuditRecord
from isp_audit.domain.masking import mask_text
from isp_audit.use_cases.chain_writer import write_entry
from isp_audit.use_cases.ports import UnitOfWork

UNKNOWN_ACTOR = "unknown"


def contract_description(event_type: str) -> str | None:
    try:
        return contract_for(event_type).description
    except KeyError:
        return None  # a type this build does not know yet is recorded all the same


def entry_from_event(event: Event) -> AuditEntry:
    old_value, new_value = old_and_new(event.data)
    return AuditEntry(
        category=category_of(event.type),
        action=clean_text(action_of(event.type)),
        description=describe(
            contract_description(event.type), event.type, event.aggregate_id, event.data
        ),
        performed_by=clean_text(mask_text(event.actor.sub)) or UNKNOWN_ACTOR,
        ip_address=clean_text(event.actor.ip) if event.actor.ip else None,
        occurred_at=event.occurred_at,
        customer_id=customer_of(event.type, event.aggregate_id, event.data),
        old_value=old_value,
        new_value=new_value,
        event_id=event.id,
        event_type=clean_text(event.type),
        aggregate_id=event.aggregate_id,
        correlation_id=clean_text(event.correlation_id) if event.correlation_id else None,
    )


async def record_event(uow: UnitOfWork, event: Event) -> AuditRecord | None:
    return await write_entry(uow, entry_from_event(event))
