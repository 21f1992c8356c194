from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_boost.domain.status import BoostStatus


@dataclass(frozen=True)
class BoostFilter:
    customer_id: UUID | None = None
    status: BoostStatus | None = None
    # A subscriber's token sees only its own requests, whatever else it asks for.
    only_customer_id: UUID | None = None
