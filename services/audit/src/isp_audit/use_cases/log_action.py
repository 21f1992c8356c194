"""`POST /audit-logs`: an action logged directly, by whoever calls, from where they call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from isp_common.errors import AppError

from isp_audit.domain.categories import Category
from isp_audit.domain.describe import canonical_json
from isp_audit.domain.entry import AuditEntry, AuditRecord
from isp_audit.domain.masking import mask_secrets, mask_text
from isp_audit.use_cases.chain_writer import write_entry
from isp_audit.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class LogAction:
    category: Category
    action: str
    description: str
    customer_id: UUID | None = None
    # Text as given, or any JSON value (stored as its canonical JSON text); masked either way.
    old_value: Any = None
    new_value: Any = None


@dataclass(frozen=True)
class Caller:
    sub: str
    ip: str | None
    correlation_id: str | None


def stored_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return mask_text(value) or None
    return canonical_json(mask_secrets(value))


async def log_action(uow: UnitOfWork, command: LogAction, caller: Caller) -> AuditRecord:
    entry = AuditEntry(
        category=command.category,
        action=command.action,
        description=mask_text(command.description),
        performed_by=caller.sub,
        ip_address=caller.ip,
        occurred_at=datetime.now(UTC),
        customer_id=command.customer_id,
        old_value=stored_value(command.old_value),
        new_value=stored_value(command.new_value),
        correlation_id=caller.correlation_id,
    )
    record = await write_entry(uow, entry)
    if record is None:  # only an event can be in the trail already; this entry has none
        raise AppError("a direct entry was refused by the trail")
    return record
