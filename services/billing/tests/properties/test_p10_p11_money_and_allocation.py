from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant


def amount(value: Any) -> Decimal:
    return Decimal(str(value))


def live_total(invoices: list[dict[str, Any]]) -> Decimal:
    return sum((amount(i["total"]) for i in invoices if i["status"] != "void"), Decimal(0))


def paid_total(payments: list[dict[str, Any]]) -> Decimal:
    return sum((amount(p["amount"]) for p in payments if p["status"] != "void"), Decimal(0))


def oldest_first(invoices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        invoices,
        key=lambda i: (
            i["issue_date"],
            i["due_date"],
            len(i["invoice_number"]),
            i["invoice_number"],
        ),
    )


cents = st.integers(1, 40_000_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
prices = st.integers(0, 30_000_000).map(lambda c: f"{Decimal(c) / 100:.2f}")
ledgers = st.fixed_dictionaries(
    {
        "price": prices,
        "months_ago": st.integers(0, 4),
        "payments": st.lists(st.tuples(cents, st.booleans()), max_size=5),
    }
)


# Feature: isp-management-system, Property 10: Money is exact (docs/properties.md)
# Feature: isp-management-system, Property 11: Allocation (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ledger=ledgers)
async def test_balances_are_exact_and_payments_fill_invoices_oldest_first(
    new_tenant: Callable[[], Tenant], ledger: dict
) -> None:
    tenant = new_tenant()
    plan = await tenant.plan(ledger["price"])
    today = datetime.now(UTC).date()
    customer = await tenant.active_customer(
        plan["id"], today - timedelta(days=31 * ledger["months_ago"])
    )
    client = tenant.client("admin")
    for value, voided in ledger["payments"]:
        payment = await tenant.pay(customer, value)
        if voided:
            answer = await client.request(
                "DELETE", f"/payments/{payment['id']}", json={"reason": "bounced"}
            )
            assert answer.status_code == 200, answer.text
    invoices = await tenant.invoices(customer)
    payments = (
        await client.get(f"/customers/{customer}/payments", params={"per_page": 100})
    ).json()["data"]
    account = await tenant.account(customer)

    # Property 10: the account is the exact decimal sum.
    invoiced, paid = live_total(invoices), paid_total(payments)
    outstanding, credit = amount(account["outstanding_balance"]), amount(account["credit"])
    assert outstanding - credit == invoiced - paid
    assert outstanding == max(invoiced - paid, Decimal(0))
    assert credit == max(paid - invoiced, Decimal(0))
    assert outstanding == sum((amount(i["balance_due"]) for i in invoices), Decimal(0))

    # Property 11: allocations never exceed a payment or an invoice; oldest first; the rest is
    # credit.
    to_invoice: dict[str, Decimal] = defaultdict(Decimal)
    for payment in payments:
        given_out = sum((amount(a["amount"]) for a in payment["allocations"]), Decimal(0))
        if payment["status"] == "void":
            assert payment["allocations"] == []
            continue
        assert given_out + amount(payment["unallocated"]) == amount(payment["amount"])
        assert amount(payment["unallocated"]) >= 0
        for allocation in payment["allocations"]:
            to_invoice[allocation["invoice_id"]] += amount(allocation["amount"])
    assert credit == sum((amount(p["unallocated"]) for p in payments), Decimal(0))
    ordered = oldest_first(invoices)
    unpaid_seen = False
    for invoice in ordered:
        total, got = amount(invoice["total"]), to_invoice[invoice["id"]]
        assert got == amount(invoice["amount_paid"]) <= total
        assert invoice["status"] == ("paid" if got == total else "open")
        if unpaid_seen:
            assert got == 0, "a newer invoice got money while an older one was open"
        if got < total:
            unpaid_seen = True
