"""The PPPoE password is write-only: stored encrypted, never in a response nor a clear event."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
PASSWORD = "s3cr3t-Pppoe-Pa55"


async def test_the_password_never_comes_back(
    tenant: Tenant, customer_body: Body, outbox_events: Events, owner_engine: AsyncEngine
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    body = customer_body(plan.id, pppoe_username="rina", pppoe_password=PASSWORD)
    created = await client.post("/customers", json=body)
    customer_id = created.json()["data"]["id"]
    answers = [
        created,
        await client.get(f"/customers/{customer_id}"),
        await client.get("/customers"),
        await client.get(f"/customers/by-code/{created.json()['data']['customer_code']}"),
        await client.patch(f"/customers/{customer_id}", json={"pppoe_password": PASSWORD + "2"}),
        await client.post(f"/customers/{customer_id}/activate"),
        # A refused body must not echo it either.
        await client.post("/customers", json={**body, "phone": "bad", "pppoe_password": PASSWORD}),
        await client.patch(f"/customers/{customer_id}", json={"pppoe_password": PASSWORD, "x": 1}),
    ]
    for answer in answers:
        assert PASSWORD not in answer.text
        assert "pppoe_password_encrypted" not in answer.text
    assert answers[1].json()["data"]["has_pppoe_password"] is True

    events = await outbox_events(uuid.UUID(customer_id))
    assert events and all(PASSWORD not in str(event) for event in events)
    token = events[0]["data"]["pppoe_password_encrypted"]
    assert tenant.runtime.secrets.decrypt(token) == PASSWORD
    assert (
        tenant.runtime.secrets.decrypt(events[1]["data"]["pppoe_password_encrypted"])
        == PASSWORD + "2"
    )

    async with owner_engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT pppoe_password_encrypted FROM customers.customers WHERE id = :id"),
            {"id": customer_id},
        )
    assert PASSWORD not in stored
    assert tenant.runtime.secrets.decrypt(stored).startswith(PASSWORD)


async def test_no_password_no_flag(tenant: Tenant, customer_body: Body) -> None:
    plan = await tenant.seed_plan()
    created = await tenant.client("admin").post("/customers", json=customer_body(plan.id))
    assert created.json()["data"]["has_pppoe_password"] is False
