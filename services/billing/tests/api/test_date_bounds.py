"""Dates a caller sends are bounded by the tenant's today (docs/billing.md, "Dates"): each bound
answers a 422 naming its field and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from isp_billing.domain.cycles import MAX_PERIODS_PER_RUN, add_months

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[UUID], Any]


def utc_today() -> date:
    return datetime.now(UTC).date()


def refused_field(answer: Any) -> str:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    return str(error["details"]["fields"][0]["field"])


async def test_an_overdue_check_after_the_tenants_today_is_refused_and_suspends_no_one(
    tenant: Tenant,
) -> None:
    plan = await tenant.plan("150000.00")
    customer = await tenant.active_customer(plan["id"], utc_today())
    admin = tenant.client("admin")
    for as_of in ("2999-01-01", (utc_today() + timedelta(days=1)).isoformat(), "1999-12-31"):
        answer = await admin.post("/billing/overdue-check", json={"as_of": as_of})
        assert refused_field(answer) == "as_of", as_of
    assert (await tenant.account(customer))["is_overdue"] is False
    today = await admin.post("/billing/overdue-check", json={"as_of": utc_today().isoformat()})
    assert today.status_code == 200, today.text


async def test_a_run_more_than_a_month_ahead_is_refused(tenant: Tenant) -> None:
    plan = await tenant.plan("150000.00")
    customer = await tenant.active_customer(plan["id"], utc_today())
    admin = tenant.client("admin")
    latest = add_months(utc_today(), 1)
    for as_of in ("2999-01-01", (latest + timedelta(days=1)).isoformat(), "1999-12-31"):
        answer = await admin.post("/billing/runs", json={"as_of": as_of})
        assert refused_field(answer) == "as_of", as_of
    assert len(await tenant.invoices(customer)) == 1
    ahead = await admin.post("/billing/runs", json={"as_of": latest.isoformat()})
    assert ahead.status_code == 200, ahead.text
    assert len(await tenant.invoices(customer)) == 2  # next month's, in advance


async def test_a_run_issues_at_most_twelve_periods_per_customer_and_catches_up_later(
    tenant: Tenant,
) -> None:
    plan = await tenant.plan("100000.00")
    today = utc_today()
    activated = add_months(today, -30)  # periods 0 … 30 have started: 31 of them
    customer = await tenant.active_customer(plan["id"], activated)
    assert len(await tenant.invoices(customer)) == MAX_PERIODS_PER_RUN
    admin = tenant.client("admin")
    issued = []
    for _ in range(3):
        answer = await admin.post("/billing/runs", json={"as_of": today.isoformat()})
        assert answer.status_code == 200, answer.text
        issued.append(answer.json()["data"]["invoices_issued"])
    assert issued == [MAX_PERIODS_PER_RUN, 31 - 2 * MAX_PERIODS_PER_RUN, 0]
    starts = sorted(i["period_start"] for i in await tenant.invoices(customer))
    assert starts == sorted(add_months(activated, k).isoformat() for k in range(31))


async def test_a_payment_dated_after_the_tenants_today_or_before_2000_is_refused(
    tenant: Tenant,
) -> None:
    plan = await tenant.plan("150000.00")
    customer = await tenant.active_customer(plan["id"], utc_today())
    finance = tenant.client("finance")
    for payment_date in ((utc_today() + timedelta(days=1)).isoformat(), "2999-12-31", "1999-12-31"):
        answer = await finance.post(
            "/payments",
            json={
                "customer_id": str(customer),
                "amount": "150000.00",
                "payment_method": "cash",
                "payment_date": payment_date,
            },
        )
        assert refused_field(answer) == "payment_date", payment_date
    assert (await tenant.account(customer))["outstanding_balance"] == "150000.00"
    paid = await tenant.pay(customer, "150000.00", payment_date=utc_today().isoformat())
    assert paid["payment_date"] == utc_today().isoformat()


async def test_dates_default_to_the_tenants_today_not_utcs(tenant: Tenant) -> None:
    # Kiritimati is UTC+14 and Pago Pago UTC-11: one of them is always on another day than UTC.
    admin = tenant.client("admin")
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        put = await admin.put("/billing/settings", json={"timezone": zone})
        assert put.status_code == 200, put.text
        local = datetime.now(ZoneInfo(zone)).date()
        run = await admin.post("/billing/runs")
        check = await admin.post("/billing/overdue-check")
        assert run.json()["data"]["as_of"] == local.isoformat(), zone
        assert check.json()["data"]["as_of"] == local.isoformat(), zone
        # The bound moves with the tenant's calendar: its today is accepted.
        at_today = await admin.post("/billing/overdue-check", json={"as_of": local.isoformat()})
        assert at_today.status_code == 200, at_today.text


async def test_saving_the_settings_publishes_them_with_a_growing_version(
    tenant: Tenant, outbox_events: Events
) -> None:
    admin = tenant.client("admin")
    for zone in ("Asia/Jakarta", "Asia/Makassar"):
        assert (await admin.put("/billing/settings", json={"timezone": zone})).status_code == 200
    events = [e for e in await outbox_events(tenant.id) if e["type"] == "billing.settings.updated"]
    assert [(e["data"]["timezone"], e["data"]["version"]) for e in events] == [
        ("Asia/Jakarta", 1),
        ("Asia/Makassar", 2),
    ]
    assert [e["aggregate_version"] for e in events] == [1, 2]
    assert {e["aggregate_id"] for e in events} == {str(tenant.id)}
