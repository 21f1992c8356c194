from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_billing.domain.cycles import add_months

if TYPE_CHECKING:
    from conftest import Tenant

scenarios = st.fixed_dictionaries(
    {
        # Customers activated some days ago (the 31st and month ends included by the offsets).
        "activated_days_ago": st.lists(st.integers(0, 200), min_size=1, max_size=3),
        "cycle": st.sampled_from(["monthly", "quarterly"]),
        "runs": st.lists(st.integers(0, 60), min_size=1, max_size=4),  # days before today
        "repeat": st.integers(1, 3),
    }
)


# Feature: isp-management-system, Property 12: Idempotent billing run (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios)
async def test_each_period_is_invoiced_once_however_often_the_run_runs(
    new_tenant: Callable[[], Tenant], scenario: dict
) -> None:
    tenant = new_tenant()
    client = tenant.client("admin")
    plan = await tenant.plan("100000.00")
    await client.put(
        f"/service-plans/{plan['id']}/advanced", json={"billing_cycle": scenario["cycle"]}
    )
    months = 1 if scenario["cycle"] == "monthly" else 3
    today = datetime.now(UTC).date()
    customers = {}
    for days_ago in scenario["activated_days_ago"]:
        # Created pending first, so that the runs below (not activation) do the issuing.
        customer_id = uuid.uuid4()
        await tenant.customer_event("created", customer_id, plan["id"], status="pending_activation")
        customers[customer_id] = today - timedelta(days=days_ago)
    for customer_id, activated in customers.items():
        await tenant.customer_event("activated", customer_id, plan["id"], activation_date=activated)
    latest = today
    for days_before in scenario["runs"]:
        as_of = today - timedelta(days=days_before)
        for _ in range(scenario["repeat"]):
            answer = await client.post("/billing/runs", json={"as_of": as_of.isoformat()})
            assert answer.status_code == 200, answer.text
    for customer_id, activated in customers.items():
        invoices = await tenant.invoices(customer_id)
        starts = Counter(i["period_start"] for i in invoices)
        assert all(n == 1 for n in starts.values()), starts
        expected = []
        k = 0
        while add_months(activated, k * months) <= latest:
            expected.append(add_months(activated, k * months).isoformat())
            k += 1
        assert sorted(starts) == sorted(expected)
    numbers = (await client.get("/invoices", params={"per_page": 100})).json()["data"]
    assert len({i["invoice_number"] for i in numbers}) == len(numbers)
