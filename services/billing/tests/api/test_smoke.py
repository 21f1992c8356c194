from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as money
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Tenant


async def test_activation_invoices_a_full_period_and_payment_settles_it(tenant: Tenant) -> None:
    plan = await tenant.plan("150000.00")
    today = datetime.now(UTC).date()
    customer = await tenant.active_customer(plan["id"], today)
    invoices = await tenant.invoices(customer)
    assert len(invoices) == 1
    invoice = invoices[0]
    assert invoice["status"] == "open" and money(invoice["total"]) == money("150000.00")
    assert invoice["period_start"] == today.isoformat()
    assert invoice["due_date"] == (today + timedelta(days=7)).isoformat()
    account = await tenant.account(customer)
    assert money(account["outstanding_balance"]) == money("150000.00")
    payment = await tenant.pay(customer, "200000.00")
    assert [money(a["amount"]) for a in payment["allocations"]] == [money("150000.00")]
    assert money(payment["unallocated"]) == money("50000.00")
    account = await tenant.account(customer)
    assert money(account["outstanding_balance"]) == 0
    assert money(account["credit"]) == money("50000.00")
    run = await tenant.client("admin").post("/billing/runs", json={"as_of": today.isoformat()})
    assert run.status_code == 200, run.text
    assert run.json()["data"]["invoices_issued"] == 0
