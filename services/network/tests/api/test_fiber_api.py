"""The fiber tree through the API: capacity and used, 409 on deletes, the ODP as customers reads
it, events for customers and the audit trail, secrets write-only."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from isp_common.contracts.network import OdpSnapshot
from isp_common.secrets import SecretBox

if TYPE_CHECKING:
    from conftest import MakeTree, Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


async def test_the_tree_answers_capacity_and_used(tenant: Tenant, make_tree: MakeTree) -> None:
    client = tenant.client("admin")
    odp = await make_tree(client, odc_capacity=2, odp_capacity=3)
    assert (odp["capacity"], odp["used"], odp["available"]) == (3, 0, 3)
    odc = (await client.get(f"/odcs/{odp['odc_id']}")).json()["data"]
    assert (odc["capacity"], odc["used"]) == (2, 1)
    assert odp["olt_id"] == odc["olt_id"]

    for _ in range(2):
        await tenant.place_customer(uuid.uuid4(), odp)
    again = (await client.get(f"/odps/{odp['id']}")).json()["data"]
    assert (again["used"], again["available"]) == (2, 1)
    # What customers parses (network_client.odp) from the same answer.
    snapshot = OdpSnapshot.model_validate(again)
    assert snapshot.capacity == 3 and str(snapshot.odc_id) == odp["odc_id"]


async def test_a_full_odc_refuses_another_odp(tenant: Tenant, make_tree: MakeTree) -> None:
    client = tenant.client("admin")
    odp = await make_tree(client, odc_capacity=1)
    second = await client.post(
        "/odps", json={"name": "ODP-2", "odc_id": odp["odc_id"], "capacity": 8}
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "CONFLICT"


async def test_capacity_cannot_shrink_below_used(tenant: Tenant, make_tree: MakeTree) -> None:
    client = tenant.client("admin")
    odp = await make_tree(client, odp_capacity=4)
    for _ in range(3):
        await tenant.place_customer(uuid.uuid4(), odp)
    refused = await client.patch(f"/odps/{odp['id']}", json={"capacity": 2})
    assert refused.status_code == 409
    fine = await client.patch(f"/odps/{odp['id']}", json={"capacity": 3})
    assert fine.status_code == 200 and fine.json()["data"]["available"] == 0


async def test_nodes_with_children_or_customers_are_not_deleted(
    tenant: Tenant, make_tree: MakeTree
) -> None:
    client = tenant.client("admin")
    odp = await make_tree(client)
    customer_id = uuid.uuid4()
    await tenant.place_customer(customer_id, odp)
    for path in (f"/olts/{odp['olt_id']}", f"/odcs/{odp['odc_id']}", f"/odps/{odp['id']}"):
        answer = await client.delete(path)
        assert answer.status_code == 409, (path, answer.text)
    # The customer moves away (terminated frees the port): the tree comes down bottom-up.
    await tenant.place_customer(customer_id, odp, version=2, status="terminated")
    assert (await client.delete(f"/olts/{odp['olt_id']}")).status_code == 409
    for path in (f"/odps/{odp['id']}", f"/odcs/{odp['odc_id']}", f"/olts/{odp['olt_id']}"):
        answer = await client.delete(path)
        assert answer.status_code == 200, (path, answer.text)
        assert (await client.get(path)).status_code == 404


async def test_odp_events_carry_the_snapshot_customers_keeps(
    tenant: Tenant, outbox_events: Events, make_tree: MakeTree
) -> None:
    client = tenant.client("admin")
    odp = await make_tree(client)
    await client.patch(f"/odps/{odp['id']}", json={"name": "ODP-renamed"})
    await client.delete(f"/odps/{odp['id']}")
    events = await outbox_events(uuid.UUID(odp["id"]))
    assert [e["type"] for e in events] == [
        "network.odp.created",
        "network.odp.updated",
        "network.odp.deleted",
    ]
    assert [e["aggregate_version"] for e in events] == [1, 2, 3]
    last = OdpSnapshot.model_validate(events[-1]["data"])
    assert last.is_deleted and str(last.olt_id) == odp["olt_id"]


async def test_moving_an_odc_republishes_its_odps(
    tenant: Tenant, outbox_events: Events, make_tree: MakeTree
) -> None:
    client = tenant.client("admin")
    odp = await make_tree(client)
    other = (await client.post("/olts", json={"name": "OLT-2"})).json()["data"]
    moved = await client.patch(f"/odcs/{odp['odc_id']}", json={"olt_id": other["id"]})
    assert moved.status_code == 200
    assert (await client.get(f"/odps/{odp['id']}")).json()["data"]["olt_id"] == other["id"]
    events = await outbox_events(uuid.UUID(odp["id"]))
    assert events[-1]["type"] == "network.odp.updated"
    assert events[-1]["data"]["olt_id"] == other["id"]


async def test_unknown_parents_and_nulls(tenant: Tenant, make_tree: MakeTree) -> None:
    client = tenant.client("admin")
    unknown = await client.post(
        "/odcs", json={"name": "x", "olt_id": str(uuid.uuid4()), "capacity": 2}
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["details"]["fields"][0]["field"] == "olt_id"
    olt = (await client.post("/olts", json={"name": "OLT"})).json()["data"]
    nulled = await client.patch(f"/olts/{olt['id']}", json={"name": None})
    assert nulled.status_code == 422
    extra = await client.post("/olts", json={"name": "x", "colour": "red"})
    assert extra.status_code == 422


async def test_olt_secrets_are_write_only(tenant: Tenant, outbox_events: Events) -> None:
    client = tenant.client("admin")
    body = {"name": "OLT-S", "snmp_community": "c0mmun1ty", "telnet_password": "t3lnet!"}
    created = await client.post("/olts", json=body)
    assert created.status_code == 201
    data = created.json()["data"]
    assert data["has_snmp_community"] and data["has_telnet_password"]
    assert "c0mmun1ty" not in created.text and "t3lnet!" not in created.text
    events = await outbox_events(uuid.UUID(data["id"]))
    assert "c0mmun1ty" not in str(events) and "t3lnet!" not in str(events)
    async with tenant.runtime.unit_of_work(tenant.id) as uow:
        olt = await uow.olts.get(uuid.UUID(data["id"]))
    assert olt is not None and olt.snmp_community_encrypted is not None
    box = SecretBox(tenant.runtime.settings.secret_key)
    assert box.decrypt(olt.snmp_community_encrypted) == "c0mmun1ty"
    cleared = await client.patch(f"/olts/{data['id']}", json={"telnet_password": None})
    assert cleared.json()["data"]["has_telnet_password"] is False


async def test_another_tenant_sees_nothing(
    new_tenant: Callable[[], Tenant], make_tree: MakeTree
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    odp = await make_tree(owner.client("admin"))
    client = stranger.client("admin")
    for path in (f"/olts/{odp['olt_id']}", f"/odcs/{odp['odc_id']}", f"/odps/{odp['id']}"):
        assert (await client.get(path)).status_code == 404
        assert (await client.delete(path)).status_code == 404
    assert (await client.get("/odps")).json()["meta"]["total"] == 0
