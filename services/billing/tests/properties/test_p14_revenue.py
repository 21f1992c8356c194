from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

START = date(2025, 11, 20)
payments = st.lists(
    st.fixed_dictionaries(
        {
            "amount": st.integers(1, 10_000_000).map(lambda c: f"{Decimal(c) / 100:.2f}"),
            "day": st.integers(0, 100),
            "payment_method": st.sampled_from(["cash", "transfer", "e-wallet", "credit_card"]),
            "payment_for": st.sampled_from(
                ["monthly_subscription", "installation", "speed_boost", "other"]
            ),
            "void": st.booleans(),
        }
    ),
    max_size=6,
)
ranges = st.tuples(st.integers(0, 100), st.integers(0, 100)).map(sorted)


# Feature: isp-management-system, Property 14: Revenue (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(recorded=payments, window=ranges)
async def test_revenue_is_the_sum_of_non_void_payments_in_the_period_in_every_grouping(
    new_tenant: Callable[[], Tenant], recorded: list[dict], window: list[int]
) -> None:
    tenant = new_tenant()
    customer = uuid.uuid4()
    await tenant.customer_event("created", customer, None, status="pending_activation")
    client = tenant.client("finance")
    for p in recorded:
        made = await tenant.pay(
            customer,
            p["amount"],
            payment_method=p["payment_method"],
            payment_for=p["payment_for"],
            payment_date=(START + timedelta(days=p["day"])).isoformat(),
        )
        if p["void"]:
            await client.request("DELETE", f"/payments/{made['id']}", json={"reason": "error"})
    date_from, date_to = (START + timedelta(days=d) for d in window)
    inside = [
        p
        for p in recorded
        if not p["void"] and date_from <= START + timedelta(days=p["day"]) <= date_to
    ]
    keys = {
        "month": lambda p: (START + timedelta(days=p["day"])).strftime("%Y-%m"),
        "payment_method": lambda p: p["payment_method"],
        "payment_for": lambda p: p["payment_for"],
    }
    total = sum((Decimal(p["amount"]) for p in inside), Decimal(0))
    for group_by, key in keys.items():
        answer = await client.get(
            "/billing/revenue",
            params={
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "group_by": group_by,
            },
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()["data"]
        expected: dict[str, Decimal] = defaultdict(Decimal)
        for p in inside:
            expected[key(p)] += Decimal(p["amount"])
        assert {g["key"]: Decimal(g["amount"]) for g in report["groups"]} == dict(expected)
        assert Decimal(report["total"]) == total
        assert report["count"] == len(inside)
