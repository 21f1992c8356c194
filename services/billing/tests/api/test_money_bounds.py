"""Money beyond NUMERIC(14,2), in an exponent or not finite is a 422 naming the field, never a
500 ("1e30" used to overflow Decimal.quantize inside validation)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Tenant

UNBOUNDED = ["1e30", "1E+2", "NaN", "-Infinity", "1000000000000.00", "9" * 40]


def fields(answer: object) -> list[str]:
    return [f["field"] for f in answer.json()["error"]["details"]["fields"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("price", UNBOUNDED)
async def test_an_unbounded_plan_price_is_a_validation_error(tenant: Tenant, price: str) -> None:
    body = {"name": "Huge", "bandwidth_download": 1, "bandwidth_upload": 1, "monthly_price": price}
    answer = await tenant.client("admin").post("/service-plans", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
    assert fields(answer) == ["monthly_price"]


async def test_an_unbounded_payment_amount_is_a_validation_error(tenant: Tenant) -> None:
    plan = await tenant.plan("150000.00")
    customer = await tenant.active_customer(plan["id"], datetime.now(UTC).date())
    for amount in UNBOUNDED:
        body = {"customer_id": str(customer), "amount": amount, "payment_method": "cash",
                "payment_for": "monthly_subscription"}  # fmt: skip
        answer = await tenant.client("finance").post("/payments", json=body)
        assert answer.status_code == 422, (amount, answer.text)
        assert fields(answer) == ["amount"]
