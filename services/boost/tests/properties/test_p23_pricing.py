from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_boost.domain.pricing import MAX_DURATION_HOURS, MAX_PRICE_PER_HOUR

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]

prices = st.one_of(
    st.decimals(min_value=0, max_value=MAX_PRICE_PER_HOUR, places=2),
    st.sampled_from([Decimal("0.00"), Decimal("0.01"), MAX_PRICE_PER_HOUR]),
)
hours = st.one_of(st.integers(1, MAX_DURATION_HOURS), st.sampled_from([1, MAX_DURATION_HOURS]))


# Feature: isp-management-system, Property 23: Boost pricing (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(price_per_hour=prices, duration_hours=hours, later_price=prices)
async def test_total_price_is_duration_times_price_per_hour_exactly(
    new_tenant: Callable[[], Tenant],
    boost_body: Body,
    outbox_events: Events,
    price_per_hour: Decimal,
    duration_hours: int,
    later_price: Decimal,
) -> None:
    tenant = new_tenant()
    customer = await tenant.seed_customer()
    admin = tenant.client("admin")
    price_text = format(price_per_hour, "f")
    put = await admin.put("/speed-boosts/pricing", json={"price_per_hour": price_text})
    assert put.status_code == 200, put.text
    answer = await admin.post(
        "/speed-boosts", json=boost_body(customer.id, duration_hours=duration_hours)
    )
    assert answer.status_code == 201, answer.text
    request = answer.json()["data"]
    expected = format((price_per_hour * duration_hours).quantize(Decimal("0.01")), "f")
    assert Decimal(request["price_per_hour"]) == price_per_hour
    assert request["total_price"] == expected
    # The event billing charges from says the same.
    (requested,) = await outbox_events(uuid.UUID(request["id"]))
    assert requested["data"]["total_price"] == expected
    # A later price applies to later requests only.
    await admin.put("/speed-boosts/pricing", json={"price_per_hour": format(later_price, "f")})
    again = (await admin.get(f"/speed-boosts/{request['id']}")).json()["data"]
    assert again["total_price"] == expected
