"""What a boost costs: `total_price = duration_hours × price_per_hour`, exactly
(docs/properties.md, Property 23)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from isp_common.money import CENT

# Limits chosen so that the largest total still fits NUMERIC(14,2):
# 999,999,999.99 × 720 < 999,999,999,999.99.
MIN_DURATION_HOURS = 1
MAX_DURATION_HOURS = 720  # thirty days: longer is a plan change, not a boost
MAX_PRICE_PER_HOUR = Decimal("999999999.99")
MAX_SPEED_KBPS = 100_000_000  # 100 Gbps


def total_price(duration_hours: int, price_per_hour: Decimal) -> Decimal:
    """Exact: a whole number of hours times an amount in cents is an amount in cents."""
    if not MIN_DURATION_HOURS <= duration_hours <= MAX_DURATION_HOURS:
        raise ValueError(f"duration_hours must be {MIN_DURATION_HOURS}..{MAX_DURATION_HOURS}")
    total = price_per_hour * duration_hours
    assert total == total.quantize(CENT), "cents times an integer are cents"
    return total.quantize(CENT)


@dataclass(frozen=True)
class BoostPricing:
    """The tenant's price of one hour of boost; None until an operator sets one."""

    price_per_hour: Decimal | None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def is_configured(self) -> bool:
        return self.price_per_hour is not None


def check_price_per_hour(price: Decimal) -> None:
    if not Decimal(0) <= price <= MAX_PRICE_PER_HOUR:
        raise ValueError(f"price_per_hour must be between 0.00 and {MAX_PRICE_PER_HOUR}")
