"""Every row reaches the trail through here: placed after the tenant's chain head, hashed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from isp_audit.domain.chain import append
from isp_audit.domain.entry import AuditEntry, AuditRecord
from isp_audit.use_cases.ports import UnitOfWork


async def write_entry(uow: UnitOfWork, entry: AuditEntry) -> AuditRecord | None:
    """The stored record, or None when the entry's event is in the trail already."""
    head = await uow.audit_logs.lock_head()
    record = append(head, uuid.uuid4(), uow.tenant_id, entry, datetime.now(UTC))
    return record if await uow.audit_logs.append(record) else None
