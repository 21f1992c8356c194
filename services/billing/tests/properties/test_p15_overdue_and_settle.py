from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

scenarios = st.fixed_dictionaries(
    {
        "activated_days_ago": st.integers(0, 80),
        "grace": st.integers(0, 10),
        "due_days": st.integers(0, 10),
        "partial": st.integers(0, 150_000),  # a first payment, in whole rupiah
    }
)


def _overdue(invoices: list[dict[str, Any]], grace: int, today: date) -> bool:
    return any(
        i["status"] == "open" and date.fromisoformat(i["due_date"]) + timedelta(days=grace) < today
        for i in invoices
    )


# Feature: isp-management-system, Property 15: Overdue and settle (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios)
async def test_overdue_exactly_when_an_invoice_is_open_past_due_plus_grace_and_paying_settles(
    new_tenant: Callable[[], Tenant],
    outbox_events: Callable[[uuid.UUID], Any],
    scenario: dict,
) -> None:
    tenant = new_tenant()
    admin = tenant.client("admin")
    await admin.put("/billing/settings", json={"invoice_due_days": scenario["due_days"]})
    plan = await tenant.plan("150000.00")
    await admin.put(
        f"/service-plans/{plan['id']}/advanced", json={"grace_period_days": scenario["grace"]}
    )
    today = datetime.now(UTC).date()
    customer = await tenant.active_customer(
        plan["id"], today - timedelta(days=scenario["activated_days_ago"])
    )
    check = await admin.post("/billing/overdue-check", json={"as_of": today.isoformat()})
    assert check.status_code == 200, check.text
    expected = _overdue(await tenant.invoices(customer), scenario["grace"], today)
    assert (await tenant.account(customer))["is_overdue"] is expected
    assert check.json()["data"]["became_overdue"] == int(expected)

    if scenario["partial"]:
        await tenant.pay(customer, f"{scenario['partial']}.00")
        still = _overdue(await tenant.invoices(customer), scenario["grace"], today)
        assert (await tenant.account(customer))["is_overdue"] is still
    outstanding = Decimal((await tenant.account(customer))["outstanding_balance"])
    if outstanding:
        await tenant.pay(customer, f"{outstanding:.2f}")
    account = await tenant.account(customer)
    assert account["is_overdue"] is False
    types = [
        e["type"]
        for e in await outbox_events(tenant.id)
        if e["type"].startswith("billing.account.")
    ]
    flips = [t for t in types if t != "billing.account.updated"]
    if expected:
        assert flips[0] == "billing.account.overdue" and flips[-1] == "billing.account.settled"
    else:
        assert flips == []
    assert all(a != b for a, b in itertools.pairwise(flips))
