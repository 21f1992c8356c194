from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.contracts.billing import AccountSnapshot

from isp_customers.use_cases.apply_account_snapshot import apply_account_snapshot

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]
Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]
State = tuple[str, str | None]  # status, cause of the suspension

PENDING, ACTIVE, SUSPENDED, TERMINATED = "pending_activation", "active", "suspended", "terminated"


def expected_after(state: State, command: str) -> State | None:
    """The model of the state machine: the next state, or None where the command is refused.
    Billing's verdicts are never refused: where they do not apply they change nothing."""
    status, cause = state
    if command == "overdue":
        return (SUSPENDED, "overdue") if status == ACTIVE else state
    if command == "settled":
        return (ACTIVE, None) if cause == "overdue" else state
    if status == TERMINATED:
        return None
    return {
        ("activate", PENDING): (ACTIVE, None),
        ("activate", SUSPENDED): (ACTIVE, None) if cause == "manual" else None,
        ("suspend", ACTIVE): (SUSPENDED, "manual"),
        ("terminate", PENDING): (TERMINATED, None),
        ("terminate", ACTIVE): (TERMINATED, None),
        ("terminate", SUSPENDED): (TERMINATED, None),
        ("change-plan", status): state,
    }.get((command, status))


COMMANDS = ["activate", "suspend", "terminate", "change-plan", "overdue", "settled"]


# Feature: isp-management-system, Property 6: Lifecycle (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(commands=st.lists(st.sampled_from(COMMANDS), min_size=1, max_size=10))
async def test_commands_follow_the_state_machine_or_change_nothing(
    new_tenant: Callable[[], Tenant],
    customer_body: Body,
    outbox_events: Events,
    commands: list[str],
) -> None:
    tenant = new_tenant()
    plans = [await tenant.seed_plan(name="A"), await tenant.seed_plan(name="B")]
    client = tenant.client("admin")
    before = (await client.post("/customers", json=customer_body(plans[0].id))).json()["data"]
    customer_id = uuid.UUID(before["id"])
    url = f"/customers/{customer_id}"
    state: State = (PENDING, None)
    for account_version, command in enumerate(commands, start=1):
        expected = expected_after(state, command)
        if command in ("overdue", "settled"):
            snapshot = AccountSnapshot(
                customer_id=customer_id,
                outstanding_balance=Decimal("150000.00") if command == "overdue" else Decimal(0),
                credit=Decimal(0),
                is_overdue=command == "overdue",
                version=account_version,
            )
            await tenant.runtime.run(tenant.id, apply_account_snapshot, snapshot)
        else:
            other_plan = plans[1] if before["service_plan_id"] == str(plans[0].id) else plans[0]
            body = {
                "activate": {},
                "suspend": {"reason": "maintenance"},
                "terminate": {"reason": "moved"},
                "change-plan": {"new_plan_id": str(other_plan.id)},
            }[command]
            answer = await client.post(f"{url}/{command}", json=body)
            if expected is None:
                assert answer.status_code == 409, answer.text
                error = answer.json()["error"]
                assert error["code"] == "INVALID_STATE"
                assert error["details"]["current_state"] == state[0]
            else:
                assert answer.status_code == 200, answer.text
        after = (await client.get(url)).json()["data"]
        if expected is None or (expected == state and command in ("overdue", "settled")):
            unchanged = ("status", "version", "updated_at", "service_plan_id", "suspension_cause")
            assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
        else:
            state = expected
            assert after["version"] == before["version"] + 1
        assert (
            after["status"],
            after["suspension_cause"] if after["status"] == SUSPENDED else None,
        ) == (
            state[0],
            state[1] if state[0] == SUSPENDED else None,
        )
        before = after
    # Every accepted change raised exactly one event; refused ones raised none.
    assert len(await outbox_events(customer_id)) == before["version"]
