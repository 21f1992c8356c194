"""The little tickets knows of a customer: enough to show who a ticket is about and to refuse
tickets for a deleted one."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, kw_only=True)
class KnownCustomer:
    id: UUID
    customer_code: str
    full_name: str
    is_deleted: bool
    version: int
