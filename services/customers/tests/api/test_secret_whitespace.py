"""A PPPoE password is stored exactly as typed: RequestModel trims every other text, and used to
trim the password too (" p a s s " was stored as "p a s s", so the router login failed)."""

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
SPACED = " p a s s "
TABBED = "\tpass word\n "


async def test_a_password_with_outer_whitespace_is_stored_byte_identical(
    tenant: Tenant, customer_body: Body, outbox_events: Events, owner_engine: AsyncEngine
) -> None:
    plan = await tenant.seed_plan()
    client = tenant.client("admin")
    body = customer_body(plan.id, pppoe_username="  rina  ", pppoe_password=SPACED)
    created = await client.post("/customers", json=body)
    assert created.status_code == 201, created.text
    customer_id = created.json()["data"]["id"]
    assert created.json()["data"]["pppoe_username"] == "rina"  # plain texts are still trimmed

    async def stored() -> str:
        async with owner_engine.connect() as conn:
            token = await conn.scalar(
                text("SELECT pppoe_password_encrypted FROM customers.customers WHERE id = :id"),
                {"id": customer_id},
            )
        return str(tenant.runtime.secrets.decrypt(token))

    assert (await stored()).encode() == SPACED.encode()
    changed = await client.patch(f"/customers/{customer_id}", json={"pppoe_password": TABBED})
    assert changed.status_code == 200, changed.text
    assert (await stored()).encode() == TABBED.encode()

    events = await outbox_events(uuid.UUID(customer_id))
    sent = [tenant.runtime.secrets.decrypt(e["data"]["pppoe_password_encrypted"]) for e in events]
    assert sent == [SPACED, TABBED]


async def test_an_imported_password_keeps_its_outer_whitespace(
    tenant: Tenant, owner_engine: AsyncEngine
) -> None:
    plan = await tenant.seed_plan()
    content = (
        "full_name,phone,address,service_plan_id,pppoe_username,pppoe_password\n"
        f'Ani,+62 811 1,Jl. A 1,{plan.id},  ani  ,"{SPACED}"\n'
    ).encode()
    client = tenant.client("admin")
    answer = await client.post("/customers/import", files={"file": ("c.csv", content, "text/csv")})
    assert answer.status_code == 201, answer.text
    async with owner_engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT pppoe_username, pppoe_password_encrypted FROM customers.customers"
                    " WHERE tenant_id = :tenant"
                ),
                {"tenant": tenant.id},
            )
        ).one()
    assert row.pppoe_username == "ani"  # a plain cell is trimmed
    assert tenant.runtime.secrets.decrypt(row.pppoe_password_encrypted).encode() == SPACED.encode()
