"""What customers knows of other services' aggregates (from their events) and the rules on them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from isp_common.errors import Conflict

from isp_customers.domain.errors import invalid_field


@dataclass(frozen=True)
class ServicePlan:
    id: UUID
    name: str
    monthly_price: Decimal
    is_active: bool
    is_deleted: bool = False

    def ensure_assignable(self, field: str) -> None:
        if self.is_deleted:
            raise invalid_field(field, "unknown service plan")
        if not self.is_active:
            raise invalid_field(field, f"service plan {self.name!r} is not active")


@dataclass(frozen=True)
class Odp:
    id: UUID
    name: str
    capacity: int
    odc_id: UUID | None = None
    olt_id: UUID | None = None
    is_active: bool = True
    is_deleted: bool = False

    def ensure_can_take(self, live_customers: int) -> None:
        """`live_customers`: those placed here already, not counting the one being placed."""
        if self.is_deleted:
            raise invalid_field("odp_id", "unknown ODP")
        if not self.is_active:
            raise invalid_field("odp_id", f"ODP {self.name!r} is not active")
        if live_customers >= self.capacity:
            raise Conflict(
                f"ODP {self.name!r} is full",
                {"odp_id": str(self.id), "capacity": self.capacity, "used": live_customers},
            )
