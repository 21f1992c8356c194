"""Lifecycle dates are calendar dates of the tenant's timezone (billing.settings.updated keeps
a replica of it) and lie in [2000-01-01, the tenant's today + 1 year] (docs/customers.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from isp_common.contracts.billing import BillingSettingsSnapshot
from isp_common.messaging.envelope import new_event

from isp_customers.consumers.handlers import HANDLERS
from isp_customers.domain.dates import one_year_after
from isp_customers.use_cases.activate import activate_customer
from isp_customers.use_cases.terminate import terminate_customer

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
# 23:00 UTC on 9 March is 06:00 on 10 March in Jakarta (UTC+7).
LATE_EVENING_UTC = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)


async def settings_published(tenant: Tenant, timezone: str, version: int) -> None:
    snapshot = BillingSettingsSnapshot(
        timezone=timezone, currency="IDR", version=version, updated_at=datetime.now(UTC)
    )
    event = new_event(
        "billing.settings.updated",
        tenant_id=tenant.id,
        producer="billing",
        aggregate_id=tenant.id,
        aggregate_version=version,
        data=snapshot,
    )
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        await HANDLERS[event.type](event, uow)
        await uow.commit()


async def new_customer(tenant: Tenant, customer_body: Body) -> uuid.UUID:
    plan = await tenant.seed_plan()
    created = await tenant.client("admin").post("/customers", json=customer_body(plan.id))
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["data"]["id"])


async def test_a_utc_plus_7_tenant_at_23_utc_activates_and_terminates_on_its_next_day(
    tenant: Tenant, customer_body: Body
) -> None:
    await settings_published(tenant, "Asia/Jakarta", 1)
    customer = await new_customer(tenant, customer_body)
    run = tenant.runtime.run
    active = await run(tenant.id, activate_customer, customer, now=LATE_EVENING_UTC)
    assert active.customer.activation_date == date(2026, 3, 10)
    ended = await run(tenant.id, terminate_customer, customer, "moved", now=LATE_EVENING_UTC)
    assert ended.customer.termination_date == date(2026, 3, 10)


async def test_a_tenant_billing_never_told_of_uses_the_utc_date(
    tenant: Tenant, customer_body: Body
) -> None:
    customer = await new_customer(tenant, customer_body)
    active = await tenant.runtime.run(tenant.id, activate_customer, customer, now=LATE_EVENING_UTC)
    assert active.customer.activation_date == date(2026, 3, 9)


async def test_an_older_settings_event_does_not_replace_a_newer_one(
    tenant: Tenant, customer_body: Body
) -> None:
    await settings_published(tenant, "UTC", 2)
    await settings_published(tenant, "Asia/Jakarta", 1)  # late, replayed or out of order
    await settings_published(tenant, "UTC", 2)  # a duplicate
    customer = await new_customer(tenant, customer_body)
    active = await tenant.runtime.run(tenant.id, activate_customer, customer, now=LATE_EVENING_UTC)
    assert active.customer.activation_date == date(2026, 3, 9)


async def test_lifecycle_dates_outside_their_window_are_refused_naming_the_field(
    tenant: Tenant, customer_body: Body
) -> None:
    client = tenant.client("admin")
    customer = await new_customer(tenant, customer_body)
    other_plan = await tenant.seed_plan(name="Fast")
    url = f"/customers/{customer}"
    too_late = (one_year_after(datetime.now(UTC).date()) + timedelta(days=1)).isoformat()
    for path, body, field in [
        ("activate", {"activation_date": "1999-12-31"}, "activation_date"),
        ("activate", {"activation_date": too_late}, "activation_date"),
        ("activate", {"activation_date": "9999-12-31"}, "activation_date"),
        ("change-plan", {"new_plan_id": str(other_plan.id), "effective_date": too_late}, None),
        ("change-plan", {"new_plan_id": str(other_plan.id), "effective_date": "1999-01-01"}, None),
        ("terminate", {"reason": "x", "termination_date": too_late}, "termination_date"),
        ("terminate", {"reason": "x", "termination_date": "1999-12-31"}, "termination_date"),
    ]:
        answer = await client.post(f"{url}/{path}", json=body)
        assert answer.status_code == 422, (path, body, answer.text)
        fields = answer.json()["error"]["details"]["fields"]
        assert fields[0]["field"] == (field or "effective_date"), (path, body)
    unchanged = (await client.get(url)).json()["data"]
    assert unchanged["status"] == "pending_activation" and unchanged["version"] == 1
    in_a_year = one_year_after(datetime.now(UTC).date()).isoformat()
    answer = await client.post(f"{url}/activate", json={"activation_date": in_a_year})
    assert answer.status_code == 200, answer.text
