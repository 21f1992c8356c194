"""An audit row: what happened (the entry) and where it sits in the tenant's hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class AuditEntry:
    """What is recorded, before the chain places it. The seed's AuditLog fields, plus where the
    row came from when it came from an event."""

    category: str  # a Category; stored rows are read back as they are, even if tampered with
    action: str
    description: str
    performed_by: str
    occurred_at: datetime
    customer_id: UUID | None = None
    old_value: str | None = None
    new_value: str | None = None
    ip_address: str | None = None
    event_id: UUID | None = None
    event_type: str | None = None
    aggregate_id: UUID | None = None
    correlation_id: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    """A stored row: the entry, its place in the chain (`seq`, `prev_hash`) and its `hash`."""

    id: UUID
    tenant_id: UUID
    seq: int
    entry: AuditEntry
    created_at: datetime
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainHead:
    """The newest row of a tenant's chain (seq 0 and the genesis hash before the first)."""

    seq: int
    hash: str
    created_at: datetime | None
