"""Rows are append-only: the service's role cannot change or remove them, and a trigger refuses
it even to the owner; only an intruder who switches triggers off gets through (and the chain
then shows it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from isp_audit.domain.categories import Category
from isp_audit.use_cases.log_action import Caller, LogAction, log_action

if TYPE_CHECKING:
    from conftest import Tenant

CALLER = Caller(sub="tester", ip="127.0.0.1", correlation_id=None)


async def _one_row(tenant: Tenant) -> Any:
    command = LogAction(Category.SYSTEM, "test", "a row to attack")
    return await tenant.runtime.run(tenant.id, log_action, command, CALLER)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit.audit_logs SET description = 'rewritten'",
        "DELETE FROM audit.audit_logs",
        "TRUNCATE audit.audit_logs",
    ],
)
async def test_the_service_role_cannot_change_or_remove_rows(
    tenant: Tenant, statement: str
) -> None:
    record = await _one_row(tenant)
    with pytest.raises(DBAPIError, match=r"permission denied|append-only"):
        async with tenant.runtime.unit_of_work(tenant.id) as uow:
            await uow.connection.execute(text(statement))
    assert (await tenant.runtime.run(tenant.id, _get, record.id)) is not None


async def _get(uow: Any, record_id: Any) -> Any:
    return await uow.audit_logs.get(record_id)


async def test_the_service_role_has_no_update_or_delete_privilege(
    owner_engine: AsyncEngine,
) -> None:
    async with owner_engine.connect() as conn:
        granted = (
            await conn.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE grantee = 'isp_audit' AND table_schema = 'audit' "
                    "AND table_name = 'audit_logs'"
                )
            )
        ).scalars()
        assert sorted(granted) == ["INSERT", "SELECT"]


async def test_the_trigger_refuses_even_the_owner(
    tenant: Tenant, owner_engine: AsyncEngine
) -> None:
    await _one_row(tenant)
    for statement in (
        "UPDATE audit.audit_logs SET description = 'x' WHERE tenant_id = :t",
        "DELETE FROM audit.audit_logs WHERE tenant_id = :t",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with owner_engine.begin() as conn:
                await conn.execute(text(statement), {"t": tenant.id})


async def test_an_owner_edit_with_triggers_off_is_named_by_verify(
    tenant: Tenant, tamper: Callable[..., Any]
) -> None:
    records = [await _one_row(tenant) for _ in range(5)]
    changed = await tamper(
        "UPDATE audit.audit_logs SET description = 'nothing happened' WHERE id = :id RETURNING id",
        id=records[2].id,
    )
    assert changed == [records[2].id]
    verdict = (await tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"] is False
    assert verdict["first_broken_id"] == str(records[2].id)
    assert verdict["first_broken_seq"] == 3
    assert verdict["checked"] == 3


async def test_removing_the_newest_rows_is_noticed(
    tenant: Tenant, tamper: Callable[..., Any]
) -> None:
    records = [await _one_row(tenant) for _ in range(4)]
    await tamper("DELETE FROM audit.audit_logs WHERE id = :id RETURNING id", id=records[-1].id)
    verdict = (await tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"] is False and verdict["checked"] == 3
    assert "missing from the end" in verdict["reason"]


async def test_removing_a_middle_row_names_the_row_after_the_gap(
    tenant: Tenant, tamper: Callable[..., Any]
) -> None:
    records = [await _one_row(tenant) for _ in range(4)]
    await tamper("DELETE FROM audit.audit_logs WHERE id = :id RETURNING id", id=records[1].id)
    verdict = (await tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"] is False
    assert verdict["first_broken_id"] == str(records[2].id)
