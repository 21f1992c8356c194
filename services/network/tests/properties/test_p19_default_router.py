"""docs/properties.md, Property 19: a tenant has at most one is_default_mikrotik device at any
time, whatever sequence of creates, changes and deletes, and when they race."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

ROUTER = {"device_name": "R", "device_type": "router", "ip_address": "10.0.0.1"}
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.booleans()),
        st.tuples(st.just("make_default"), st.integers(0, 5)),
        st.tuples(st.just("unset_default"), st.integers(0, 5)),
        st.tuples(st.just("delete"), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=8,
)


async def _defaults(client: object) -> list[str]:
    answer = await client.get("/devices", params={"is_default_mikrotik": True})  # type: ignore[attr-defined]
    return [d["id"] for d in answer.json()["data"]]


# Feature: isp-management-system, Property 19: One default router
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
async def test_at_most_one_default_router_in_any_sequence(
    new_tenant: Callable[[], Tenant], ops: list[tuple[str, object]]
) -> None:
    client = new_tenant().client("admin")
    devices: list[str] = []
    default: str | None = None  # the model
    for op, arg in ops:
        if op == "create":
            answer = await client.post("/devices", json={**ROUTER, "is_default_mikrotik": arg})
            assert answer.status_code == 201, answer.text
            devices.append(answer.json()["data"]["id"])
            default = devices[-1] if arg else default
        elif devices:
            target = devices[int(arg) % len(devices)]  # type: ignore[call-overload]
            if op == "delete":
                assert (await client.delete(f"/devices/{target}")).status_code == 200
                devices.remove(target)
                default = None if default == target else default
            else:
                wanted = op == "make_default"
                body = {"is_default_mikrotik": wanted}
                assert (await client.patch(f"/devices/{target}", json=body)).status_code == 200
                if wanted:
                    default = target
                elif default == target:
                    default = None
        assert await _defaults(client) == ([default] if default else [])


# Feature: isp-management-system, Property 19: One default router
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(creates=st.integers(0, 4), promotions=st.integers(2, 6))
async def test_at_most_one_default_router_under_concurrency(
    new_tenant: Callable[[], Tenant], creates: int, promotions: int
) -> None:
    """Racing requests that each make a router the default all succeed; the last to commit
    holds it, and there is never a second one."""
    client = new_tenant().client("admin")
    existing = [
        (await client.post("/devices", json=ROUTER)).json()["data"]["id"] for _ in range(promotions)
    ]
    answers = await asyncio.gather(
        *(
            client.post("/devices", json={**ROUTER, "is_default_mikrotik": True})
            for _ in range(creates)
        ),
        *(client.patch(f"/devices/{d}", json={"is_default_mikrotik": True}) for d in existing),
    )
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers]
    assert len(await _defaults(client)) == 1
