from __future__ import annotations

from decimal import Decimal

from isp_boost.domain.pricing import BoostPricing, check_price_per_hour
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork


async def set_pricing(uow: UnitOfWork, price_per_hour: Decimal, updated_by: str) -> BoostPricing:
    """The tenant's price for new requests; requests already made keep the price they got."""
    check_price_per_hour(price_per_hour)
    pricing = BoostPricing(price_per_hour, utc_now(), updated_by)
    await uow.pricing.put(pricing)
    return pricing
