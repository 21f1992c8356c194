"""Writers of one tenant at once (API requests and events together) still form one chain."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime
from typing import TYPE_CHECKING

from isp_audit.use_cases.record_event import record_event

if TYPE_CHECKING:
    from conftest import Tenant


async def test_concurrent_writers_form_one_unbroken_chain(tenant: Tenant) -> None:
    admin = tenant.client("admin")
    posts = [
        admin.post(
            "/audit-logs", json={"category": "system", "action": f"a{n}", "description": "x"}
        )
        for n in range(15)
    ]
    events = [tenant.runtime.run(tenant.id, record_event, tenant.event()) for _ in range(15)]
    answers = await asyncio.gather(*posts, *events)
    assert all(a.status_code == 201 for a in answers[:15])
    listed = (await admin.get("/audit-logs", params={"per_page": 100})).json()
    assert listed["meta"]["total"] == 30
    assert sorted(r["seq"] for r in listed["data"]) == list(range(1, 31))
    by_seq = sorted(listed["data"], key=lambda r: r["seq"])
    for before, after in itertools.pairwise(by_seq):
        assert after["prev_hash"] == before["hash"]
        assert datetime.fromisoformat(after["created_at"]) >= datetime.fromisoformat(
            before["created_at"]
        )
    verdict = (await admin.get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"] and verdict["checked"] == 30
