"""What boost knows of other services' aggregates, from their events (its replicas)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

ACTIVE = "active"


@dataclass(frozen=True)
class Speeds:
    download: int  # kbps
    upload: int  # kbps


@dataclass(frozen=True)
class KnownCustomer:
    id: UUID
    status: str  # the customers service's status
    service_plan_id: UUID | None
    is_deleted: bool

    @property
    def can_be_boosted(self) -> bool:
        return self.status == ACTIVE and not self.is_deleted


@dataclass(frozen=True)
class KnownPlan:
    id: UUID
    speeds: Speeds
    is_deleted: bool
