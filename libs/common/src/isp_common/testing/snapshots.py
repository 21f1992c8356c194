"""What other services' events carry, as the tests of a service that keeps a replica of it
make it up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from isp_common.contracts.billing import ServicePlanSnapshot


def plan_snapshot(**overrides: Any) -> ServicePlanSnapshot:
    """An active 20M/10M plan at 150000.00 a month, as billing's `billing.plan.*` events carry it;
    keywords override fields."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "name": "Home 20M",
        "bandwidth_download": 20_000,
        "bandwidth_upload": 10_000,
        "monthly_price": Decimal("150000.00"),
        "is_active": True,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    return ServicePlanSnapshot(**{**values, **overrides})
