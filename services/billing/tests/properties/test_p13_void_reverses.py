from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

cents = st.integers(1, 30_000_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
scenarios = st.fixed_dictionaries(
    {
        "months_ago": st.integers(0, 3),
        "payments": st.lists(
            st.tuples(cents, st.integers(0, 90)), min_size=1, max_size=4
        ),  # amount, days ago
        "void_index": st.integers(0, 3),
        "grace": st.integers(0, 5),
    }
)


async def _ledger(tenant: Tenant, customer: uuid.UUID) -> dict[str, Any]:
    invoices = await tenant.invoices(customer)
    account = await tenant.account(customer)
    return {
        "invoices": sorted((i["period_start"], i["status"], i["amount_paid"]) for i in invoices),
        "account": {
            k: account[k]
            for k in (
                "outstanding_balance",
                "credit",
                "due_date",
                "last_payment_date",
                "is_overdue",
            )
        },
    }


async def _world(
    tenant: Tenant, customer: uuid.UUID, scenario: dict, skip: int | None
) -> tuple[uuid.UUID, list[dict]]:
    plan = await tenant.plan("150000.00")
    await tenant.client("admin").put(
        f"/service-plans/{plan['id']}/advanced", json={"grace_period_days": scenario["grace"]}
    )
    today = datetime.now(UTC).date()
    await tenant.active_customer(
        plan["id"], today - timedelta(days=31 * scenario["months_ago"]), customer
    )
    await tenant.client("admin").post("/billing/overdue-check", json={})
    made = []
    for index, (value, days_ago) in enumerate(scenario["payments"]):
        if index == skip:
            continue
        made.append(
            await tenant.pay(
                customer, value, payment_date=(today - timedelta(days=days_ago)).isoformat()
            )
        )
    return customer, made


# Feature: isp-management-system, Property 13: Void reverses exactly (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios)
async def test_voiding_a_payment_is_as_if_it_was_never_recorded(
    new_tenant: Callable[[], Tenant], scenario: dict
) -> None:
    index = scenario["void_index"] % len(scenario["payments"])
    with_void, without = new_tenant(), new_tenant()
    customer, payments = await _world(with_void, uuid.uuid4(), scenario, None)
    answer = await with_void.client("finance").request(
        "DELETE", f"/payments/{payments[index]['id']}", json={"reason": "cheque bounced"}
    )
    assert answer.status_code == 200, answer.text
    voided = answer.json()["data"]
    assert voided["status"] == "void" and voided["allocations"] == []
    assert voided["void_reason"] == "cheque bounced"
    again = await with_void.client("finance").request(
        "DELETE", f"/payments/{payments[index]['id']}", json={"reason": "twice"}
    )
    assert again.status_code == 409
    other, _ = await _world(without, uuid.uuid4(), scenario, index)
    assert await _ledger(with_void, customer) == await _ledger(without, other)
