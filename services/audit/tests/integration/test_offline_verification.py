"""The auditor's script of docs/audit.md, run as printed there, on exports of a real trail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from isp_audit.use_cases.record_event import record_event

if TYPE_CHECKING:
    from conftest import Tenant

DOC = Path(__file__).resolve().parents[4] / "docs" / "audit.md"


@pytest.fixture(scope="module")
def auditor_script() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    (block,) = re.findall(r'```python\n("""verify_audit_trail\.py.*?)```', text, re.DOTALL)
    namespace: dict[str, Any] = {"__name__": "verify_audit_trail"}
    exec(compile(block, "verify_audit_trail.py", "exec"), namespace)
    return namespace


async def _written_trail(tenant: Tenant) -> None:
    admin = tenant.client("admin")
    await admin.post(
        "/audit-logs",
        json={
            "category": "customer",
            "action": "note",
            "description": 'Ünïcode, "quotes", commas, and a\nsecond line',
            "old_value": "",
            "new_value": {"z": [1, 2.5, None], "a": "é"},
        },
    )
    for data in ({"customer_code": "CUST-7", "previous_plan_id": "p1"}, {}):
        event = tenant.event("customers.customer.plan_changed", data, correlation_id=None)
        await tenant.runtime.run(tenant.id, record_event, event)


async def _json_export(tenant: Tenant) -> list[dict[str, Any]]:
    answer = await tenant.client("admin").get("/audit-logs", params={"per_page": 100})
    return list(answer.json()["data"])


async def _csv_export(owner_url: str, tenant: Tenant, path: Path) -> None:
    url = make_url(owner_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET timezone = 'UTC'")
        await conn.copy_from_query(
            "SELECT * FROM audit.audit_logs WHERE tenant_id = $1 ORDER BY seq",
            tenant.id,
            output=str(path),
            format="csv",
            header=True,
            null="\\N",
        )
    finally:
        await conn.close()


async def test_a_json_export_verifies_offline_and_shows_a_change(
    tenant: Tenant, auditor_script: dict[str, Any], tmp_path: Path
) -> None:
    await _written_trail(tenant)
    rows = await _json_export(tenant)
    export = tmp_path / "trail.json"
    export.write_text(json.dumps(rows), encoding="utf-8")
    ok, message = auditor_script["verify"](auditor_script["load"](str(export)))
    assert ok, message

    head = (await tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert auditor_script["verify"](rows, (head["head_seq"], head["head_hash"]))[0]

    rows[1]["performed_by"] = "nobody"
    ok, message = auditor_script["verify"](rows)
    assert not ok and rows[1]["id"] in message


async def test_a_csv_export_from_copy_verifies_offline_and_shows_a_change(
    tenant: Tenant,
    auditor_script: dict[str, Any],
    owner_url: str,
    tamper: Callable[..., Any],
    tmp_path: Path,
) -> None:
    await _written_trail(tenant)
    export = tmp_path / "trail.csv"
    await _csv_export(owner_url, tenant, export)
    ok, message = auditor_script["verify"](auditor_script["load"](str(export)))
    assert ok, message

    (changed,) = await tamper(
        "UPDATE audit.audit_logs SET occurred_at = occurred_at + interval '1 second' "
        "WHERE tenant_id = :t AND seq = 2 RETURNING id",
        t=tenant.id,
    )
    await _csv_export(owner_url, tenant, export)
    ok, message = auditor_script["verify"](auditor_script["load"](str(export)))
    assert not ok and str(changed) in message
