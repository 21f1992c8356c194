"""Which audit rows a list asks for (the filters of `GET /audit-logs`, docs/audit.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from isp_audit.domain.categories import Category


@dataclass(frozen=True)
class AuditFilter:
    category: Category | None = None
    action: str | None = None
    customer_id: UUID | None = None
    performed_by: str | None = None
    created_from: datetime | None = None  # inclusive
    created_before: datetime | None = None  # exclusive
    event_type: str | None = None
    aggregate_id: UUID | None = None
