"""Row-level security: the service's own role, inside another tenant's unit of work, sees none of
a tenant's rows even with no WHERE at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
TABLES = ("tickets", "ticket_activities", "sla_policies", "customers", "counters")


async def test_another_tenant_sees_no_row_of_any_table(
    new_tenant: Callable[[], Tenant], ticket_body: Body
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    customer = await owner.seed_customer()
    admin = owner.client("admin")
    await admin.post("/tickets", json=ticket_body(customer_id=str(customer.id)))
    sla = {"low_hours": 9, "medium_hours": 9, "high_hours": 9, "urgent_hours": 9}
    assert (await admin.put("/tickets/sla", json=sla)).status_code == 200

    async def counts(tenant: Tenant) -> dict[str, int]:
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            return {
                table: int(
                    await uow.connection.scalar(text(f"SELECT count(*) FROM tickets.{table}")) or 0
                )
                for table in TABLES
            }

    assert all(n >= 1 for n in (await counts(owner)).values())
    assert await counts(stranger) == dict.fromkeys(TABLES, 0)
