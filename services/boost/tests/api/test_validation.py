"""Bad input answers VALIDATION_ERROR in the envelope, naming the field; never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


def _fields(answer: Any) -> set[str]:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["success"] is False
    assert body["error"]["code"] == "VALIDATION_ERROR"
    return {f["field"] for f in body["error"]["details"]["fields"]}


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"duration_hours": 0}, "duration_hours"),
        ({"duration_hours": 721}, "duration_hours"),
        ({"duration_hours": "three"}, "duration_hours"),
        ({"requested_speed_download": 0}, "requested_speed_download"),
        ({"requested_speed_upload": -5}, "requested_speed_upload"),
        ({"requested_speed_upload": 10**12}, "requested_speed_upload"),
        ({"customer_id": "nope"}, "customer_id"),
        ({"customer_notes": "   "}, "customer_notes"),
        ({"customer_notes": "a\x00b"}, "customer_notes"),
        ({"total_price": "1.00"}, "total_price"),  # unknown fields are refused
    ],
)
async def test_bad_request_bodies(
    tenant: Tenant, boost_body: Body, override: dict[str, Any], field: str
) -> None:
    customer = await tenant.seed_customer()
    await tenant.set_price()
    body = {**boost_body(customer.id), **override}
    answer = await tenant.client("admin").post("/speed-boosts", json=body)
    assert field in _fields(answer)


@pytest.mark.parametrize(
    "price", ["-1.00", "1.001", "1000000000.00", 5000, 12.5, "abc", "NaN", None]
)
async def test_bad_prices(tenant: Tenant, price: Any) -> None:
    answer = await tenant.client("admin").put(
        "/speed-boosts/pricing", json={"price_per_hour": price}
    )
    assert "price_per_hour" in _fields(answer)


async def test_bad_ids_and_filters(tenant: Tenant) -> None:
    client = tenant.client("admin")
    assert "path.request_id" in _fields(await client.get("/speed-boosts/not-a-uuid"))
    assert "query.status" in _fields(await client.get("/speed-boosts", params={"status": "paused"}))
    assert "query.per_page" in _fields(await client.get("/speed-boosts", params={"per_page": 101}))
