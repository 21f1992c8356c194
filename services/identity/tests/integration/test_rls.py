"""Row-level security: the service's own role, inside another tenant's unit of work, sees none
of a tenant's rows even with no WHERE at all, and cannot write rows under another tenant; the
login lookup (read-only, under app.identity_login) shows the tenants and the token tables of
every tenant, and nothing else."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from isp_common.db import cross_tenant_read
from isp_common.testing.reordering import customer_history, deliver_all, history_events

from isp_identity.consumers.customers import customers_consumer

if TYPE_CHECKING:
    from conftest import Tenant

TABLES = ("tenants", "users", "portal_accounts", "one_time_tokens")
LOOKUP_SHOWS = {"tenants", "one_time_tokens"}


async def populated(owner: Tenant) -> None:
    slug = f"isp-{uuid.uuid4().hex[:12]}"
    body = {
        "slug": slug,
        "name": "Owner",
        "admin_email": f"admin@{slug}.example",
        "admin_full_name": "Owner Admin",
        "id": str(owner.id),
    }  # no admin_password: a one-time token is issued
    assert (await owner.client("platform_admin").post("/tenants", json=body)).status_code == 201
    customer = uuid.uuid4()
    history = customer_history(
        customer, ["created"], plans=[uuid.uuid4()], activated_on=datetime.now(UTC).date()
    )
    events = history_events(owner.id, "customers", customer, history)
    await deliver_all(customers_consumer(owner.runtime), events, [0])


async def counts(tenant: Tenant, owner: Tenant) -> dict[str, int]:
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        return {
            table: int(
                await uow.connection.scalar(
                    text(f"SELECT count(*) FROM identity.{table} WHERE tenant_id = :owner"),
                    {"owner": owner.id},
                )
                or 0
            )
            for table in TABLES
        }


async def test_another_tenant_sees_no_row_of_any_table(new_tenant: Callable[[], Tenant]) -> None:
    owner, stranger = new_tenant(), new_tenant()
    await populated(owner)
    assert all(n >= 1 for n in (await counts(owner, owner)).values())
    assert await counts(stranger, owner) == dict.fromkeys(TABLES, 0)


async def test_a_unit_of_work_cannot_write_under_another_tenant(
    new_tenant: Callable[[], Tenant],
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    with pytest.raises(DBAPIError, match="row-level security"):
        async with stranger.runtime.unit_of_work(stranger.id) as uow:
            await uow.connection.execute(
                text(
                    "INSERT INTO identity.users (id, tenant_id, email, full_name, roles, status,"
                    " totp_enabled, version, created_at, updated_at) VALUES (:id, :owner,"
                    " 'x@y.z', 'X', ARRAY['admin'], 'active', false, 1, now(), now())"
                ),
                {"id": uuid.uuid4(), "owner": owner.id},
            )


async def test_the_login_lookup_shows_tenants_and_tokens_only_under_its_setting(
    new_tenant: Callable[[], Tenant],
) -> None:
    owner = new_tenant()
    await populated(owner)
    db = owner.runtime.db
    async with cross_tenant_read(db, "app.identity_login") as connection:
        seen = {
            table: int(
                await connection.scalar(
                    text(f"SELECT count(*) FROM identity.{table} WHERE tenant_id = :owner"),
                    {"owner": owner.id},
                )
                or 0
            )
            for table in TABLES
        }
    assert {table for table, n in seen.items() if n} == LOOKUP_SHOWS
    # Some other setting (another service's scheduler policy) shows nothing here.
    async with cross_tenant_read(db, "app.scheduler") as connection:
        tenants = await connection.scalar(
            text("SELECT count(*) FROM identity.tenants WHERE id = :owner"), {"owner": owner.id}
        )
    assert tenants == 0
