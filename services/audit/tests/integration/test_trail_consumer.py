"""Through the real RabbitMQ: events of any type, repeated, out of order, become one row each."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Bus, Tenant


async def trail(tenant: Tenant) -> list[dict[str, Any]]:
    answer = await tenant.client("admin").get("/audit-logs", params={"per_page": 100})
    return list(answer.json()["data"])


async def test_any_event_once_even_when_repeated_or_stale(tenant: Tenant, bus: Bus) -> None:
    customer = uuid.uuid4()
    newer = tenant.event("customers.customer.suspended", aggregate_id=customer, aggregate_version=5)
    older = tenant.event("customers.customer.activated", aggregate_id=customer, aggregate_version=4)
    unknown = tenant.event("someone.thing.happened", {"customer_id": str(customer), "x": [1]})
    await bus.deliver([newer, newer, older, unknown, older])
    rows = await trail(tenant)
    assert sorted(r["event_id"] for r in rows) == sorted(str(e.id) for e in (newer, older, unknown))
    by_type = {r["event_type"]: r for r in rows}
    assert by_type["customers.customer.activated"]["customer_id"] == str(customer)
    assert by_type["customers.customer.activated"]["action"] == "activated"
    assert by_type["customers.customer.activated"]["category"] == "customer"
    assert by_type["customers.customer.activated"]["performed_by"] == "operator-7"
    assert by_type["customers.customer.activated"]["ip_address"] == "10.1.2.3"
    assert by_type["customers.customer.activated"]["description"].startswith(
        "The customer became active"
    )
    assert by_type["someone.thing.happened"]["category"] == "system"
    assert by_type["someone.thing.happened"]["customer_id"] == str(customer)
    assert "not in the contract registry" in by_type["someone.thing.happened"]["description"]
    verdict = (await tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"] and verdict["checked"] == 3


async def test_old_values_and_masked_secrets(tenant: Tenant, bus: Bus) -> None:
    plan_changed = tenant.event(
        "customers.customer.plan_changed",
        {
            "service_plan_id": "new-plan",
            "previous_plan_id": "old-plan",
            "pppoe_password_encrypted": "gAAAAAB-ciphertext",
            "router": {"api_password": "hunter2", "snmp_community": "public-ish"},
        },
    )
    await bus.deliver([plan_changed])
    (row,) = await trail(tenant)
    assert row["old_value"] == '{"service_plan_id":"old-plan"}'
    for secret in ("gAAAAAB-ciphertext", "hunter2", "public-ish"):
        assert secret not in str(row)
    assert '"pppoe_password_encrypted":"***"' in row["new_value"]
