"""Property 18: an ODP's used never exceeds its capacity (nor an ODC's); a node with children or
customers cannot be deleted. Customers place a subscriber only where network says there is
room (the customers service checks its ODP replica), so every placement here asks first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import MakeTree, Tenant

CUSTOMERS = 6
operations = st.lists(
    st.one_of(
        st.tuples(st.just("place"), st.integers(0, CUSTOMERS - 1), st.integers(0, 1)),
        st.tuples(st.just("leave"), st.integers(0, CUSTOMERS - 1), st.sampled_from(["t", "d"])),
        st.tuples(st.just("resize"), st.integers(0, 1), st.integers(1, 4)),
        st.tuples(st.just("add_odp"), st.just(0), st.integers(1, 3)),
        st.tuples(st.just("delete_odp"), st.integers(0, 1), st.just(0)),
        st.tuples(st.just("delete_odc"), st.just(0), st.just(0)),
    ),
    max_size=6,
)


# Feature: isp-management-system, Property 18: Fiber tree (docs/properties.md)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
async def test_used_stays_within_capacity_and_occupied_nodes_stay(
    new_tenant: Callable[[], Tenant], make_tree: MakeTree, ops: list[tuple[str, int, Any]]
) -> None:
    tenant = new_tenant()
    client = tenant.client("admin")
    first = await make_tree(client, odc_capacity=2, odp_capacity=2)
    odc_id = first["odc_id"]
    odps: list[dict[str, Any]] = [first]
    placed: dict[int, str] = {}  # customer → ODP id, the model
    versions = [0] * CUSTOMERS
    ids = [uuid.uuid4() for _ in range(CUSTOMERS)]
    odc_gone = False

    for op, a, b in ops:
        if op == "place" and b < len(odps):
            target = odps[b]
            now = (await client.get(f"/odps/{target['id']}")).json()["data"]
            if now["available"] > 0 and placed.get(a) != target["id"]:
                versions[a] += 1
                await tenant.place_customer(ids[a], target, version=versions[a])
                placed[a] = target["id"]
        elif op == "leave" and a in placed:
            versions[a] += 1
            await tenant.place_customer(
                ids[a],
                None,
                version=versions[a],
                status="terminated" if b == "t" else "active",
                deleted=b == "d",
            )
            del placed[a]
        elif op == "resize" and a < len(odps):
            held = sum(1 for odp in placed.values() if odp == odps[a]["id"])
            answer = await client.patch(f"/odps/{odps[a]['id']}", json={"capacity": b})
            assert answer.status_code == (409 if b < held else 200), answer.text
        elif op == "add_odp" and not odc_gone:
            body = {"name": "ODP-n", "odc_id": odc_id, "capacity": b}
            answer = await client.post("/odps", json=body)
            assert answer.status_code == (201 if len(odps) < 2 else 409), answer.text
            if answer.status_code == 201:
                odps.append(answer.json()["data"])
        elif op == "delete_odp" and a < len(odps):
            held = sum(1 for odp in placed.values() if odp == odps[a]["id"])
            answer = await client.delete(f"/odps/{odps[a]['id']}")
            assert answer.status_code == (409 if held else 200), answer.text
            if answer.status_code == 200:
                odps.pop(a)
        elif op == "delete_odc" and not odc_gone:
            answer = await client.delete(f"/odcs/{odc_id}")
            # Customers placed on an ODP count on its ODC as well.
            assert answer.status_code == (409 if odps or placed else 200), answer.text
            odc_gone = answer.status_code == 200

        for odp in odps:
            data = (await client.get(f"/odps/{odp['id']}")).json()["data"]
            assert data["used"] <= data["capacity"]
            assert data["used"] == sum(1 for held in placed.values() if held == odp["id"])
        if not odc_gone:
            odc = (await client.get(f"/odcs/{odc_id}")).json()["data"]
            assert odc["used"] == len(odps) <= odc["capacity"]
