"""Where a customer hangs on the tree, as customers.customer.* events tell it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

# A terminated or deleted customer frees its ODP port (as the customers service counts it).
RELEASED_STATUSES = frozenset({"terminated"})


@dataclass(frozen=True)
class Placement:
    customer_id: UUID
    odp_id: UUID | None
    odc_id: UUID | None
    olt_id: UUID | None
    status: str
    is_deleted: bool
    version: int

    @property
    def occupies_a_port(self) -> bool:
        return not self.is_deleted and self.status not in RELEASED_STATUSES
