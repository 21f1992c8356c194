"""docs/properties.md, Property 20: device serial numbers are unique per tenant (409 on a
duplicate), also when requests race; another tenant may hold the same serial."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import Tenant

SERIALS = ["ZTEG-01", "ZTEG-02", "zteg-01", "HWTC-9"]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.one_of(st.none(), st.sampled_from(SERIALS))),
        st.tuples(st.just("change"), st.tuples(st.integers(0, 5), st.sampled_from(SERIALS))),
        st.tuples(st.just("delete"), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=8,
)


# Feature: isp-management-system, Property 20: Serial uniqueness
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
async def test_serials_stay_unique(
    new_tenant: Callable[[], Tenant], ops: list[tuple[str, object]]
) -> None:
    client = new_tenant().client("admin")
    held: dict[str, str | None] = {}  # device id → serial, the model
    order: list[str] = []
    for op, arg in ops:
        if op == "create":
            serial = arg
            body = {"device_name": "ONU", "device_type": "onu", "serial_number": serial}
            answer = await client.post("/devices", json=body)
            taken = serial is not None and serial in held.values()
            assert answer.status_code == (409 if taken else 201), answer.text
            if not taken:
                order.append(answer.json()["data"]["id"])
                held[order[-1]] = serial  # type: ignore[assignment]
        elif order:
            index, serial = arg if op == "change" else (arg, None)  # type: ignore[misc]
            target = order[int(index) % len(order)]
            if op == "delete":
                assert (await client.delete(f"/devices/{target}")).status_code == 200
                order.remove(target)
                del held[target]
                continue
            taken = any(s == serial for d, s in held.items() if d != target)
            answer = await client.patch(f"/devices/{target}", json={"serial_number": serial})
            assert answer.status_code == (409 if taken else 200), answer.text
            if not taken:
                held[target] = serial
    listed = (await client.get("/devices", params={"per_page": 100})).json()["data"]
    serials = [d["serial_number"] for d in listed if d["serial_number"] is not None]
    assert len(serials) == len(set(serials))
    assert sorted(serials) == sorted(s for s in held.values() if s is not None)


# Feature: isp-management-system, Property 20: Serial uniqueness
async def test_racing_creates_of_one_serial_leave_one(new_tenant: Callable[[], Tenant]) -> None:
    client = new_tenant().client("admin")
    body = {"device_name": "ONU", "device_type": "onu", "serial_number": "RACE-1"}
    answers = await asyncio.gather(*(client.post("/devices", json=body) for _ in range(12)))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 11
    assert (await client.get("/devices/by-serial/RACE-1")).status_code == 200
