from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_audit.domain.categories import Category
from isp_audit.use_cases.log_action import Caller, LogAction, log_action
from isp_audit.use_cases.record_event import record_event
from isp_audit.use_cases.verify_chain import verify_chain

if TYPE_CHECKING:
    from conftest import Tenant

# Each change an intruder with the database's keys could make to one stored row, as SQL that
# certainly changes the value (so the row differs from what was hashed).
EDITS = {
    "description": "description = description || '.'",
    "action": "action = action || 'x'",
    "category": "category = CASE category WHEN 'system' THEN 'payment' ELSE 'system' END",
    "performed_by": "performed_by = 'someone else'",
    "ip_address": "ip_address = CASE WHEN ip_address = '6.6.6.6' THEN '6.6.6.7' ELSE '6.6.6.6' END",
    "customer_id": "customer_id = gen_random_uuid()",
    "customer_id (erased)": (
        "customer_id = CASE WHEN customer_id IS NULL THEN gen_random_uuid() END"
    ),
    "old_value": "old_value = coalesce(old_value, '') || ' '",
    "new_value": "new_value = NULL",
    "event_type": "event_type = coalesce(event_type, '') || '.forged'",
    "correlation_id": "correlation_id = 'elsewhere'",
    "occurred_at": "occurred_at = occurred_at - interval '1 day'",
    "created_at": "created_at = created_at + interval '1 microsecond'",
    "id": "id = gen_random_uuid()",
    "seq": "seq = seq + 1000000",
    "seq (below)": "seq = -seq",
    "prev_hash": "prev_hash = md5(prev_hash) || md5(hash)",
    "hash": "hash = md5(hash) || md5(prev_hash)",
}
CALLER = Caller(sub="auditor-test", ip="192.0.2.1", correlation_id="c-1")


async def _write(tenant: Tenant, kind: int, n: int) -> None:
    if kind == 0:
        command = LogAction(Category.SYSTEM, f"act-{n}", "direct entry", new_value={"n": n})
        await tenant.runtime.run(tenant.id, log_action, command, CALLER)
    else:
        event = tenant.event(
            "customers.customer.plan_changed" if kind == 1 else "nobody.knows.this",
            {"previous_plan_id": f"p{n}", "service_plan_id": f"p{n + 1}"},
        )
        await tenant.runtime.run(tenant.id, record_event, event)


# Feature: isp-management-system, Property 26: Tamper evidence (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kinds=st.lists(st.integers(0, 2), min_size=1, max_size=6),
    victim=st.integers(min_value=0),
    edit=st.sampled_from(sorted(EDITS)),
)
async def test_the_chain_verifies_and_any_change_breaks_it_at_that_row(
    new_tenant: Callable[[], Tenant],
    tamper: Callable[..., Any],
    kinds: list[int],
    victim: int,
    edit: str,
) -> None:
    tenant = new_tenant()
    for n, kind in enumerate(kinds):
        await _write(tenant, kind, n)
    intact = await tenant.runtime.run(tenant.id, verify_chain)
    assert intact.verification.ok and intact.verification.checked == len(kinds)

    seq = victim % len(kinds) + 1
    (changed_id,) = await tamper(
        f"UPDATE audit.audit_logs SET {EDITS[edit]} "
        "WHERE tenant_id = :tenant AND seq = :seq RETURNING id",
        tenant=tenant.id,
        seq=seq,
    )
    report = await tenant.runtime.run(tenant.id, verify_chain)
    verdict = report.verification
    assert not verdict.ok
    assert verdict.first_broken_id == changed_id, (edit, seq, verdict)
