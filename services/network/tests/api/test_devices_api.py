"""Devices through the API: every seed field, serials unique, one default router, credentials
write-only and carried encrypted in events, filters and search."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from isp_common.contracts.network import DeviceSnapshot
from isp_common.router_targets import parse_router_networks
from isp_common.secrets import SecretBox

from isp_network.app import create_network_app

if TYPE_CHECKING:
    from conftest import Tenant

Events = Callable[[uuid.UUID], Awaitable[list[dict[str, Any]]]]


def router_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "device_name": "Core router",
        "device_type": "router",
        "serial_number": f"SN-{uuid.uuid4().hex[:10]}",
        "mac_address": "aa-bb-cc-dd-ee-0f",
        "brand": "MikroTik",
        "model": "CCR2004",
        "firmware_version": "7.14",
        "ip_address": "10.0.0.1",
        "subnet_mask": "255.255.255.0",
        "gateway": "10.0.0.254",
        "location": "POP Bandung",
        "latitude": -6.914744,
        "longitude": 107.60981,
        "status": "online",
        "installation_date": "2026-01-10",
        "warranty_until": "2028-01-10",
        "purchase_price": "12500000.00",
        "notes": "rack 2",
        "mikrotik_username": "isp-agent",
        "mikrotik_password": "r0uter-s3cret",
        "mikrotik_port": 8729,
        "mikrotik_api_enabled": True,
    }
    body.update(overrides)
    return body


async def test_a_router_with_every_field(tenant: Tenant, outbox_events: Events) -> None:
    client = tenant.client("admin")
    answer = await client.post("/devices", json=router_body(is_default_mikrotik=True))
    assert answer.status_code == 201, answer.text
    data = answer.json()["data"]
    assert data["mac_address"] == "AA:BB:CC:DD:EE:0F"
    assert data["purchase_price"] == "12500000.00"
    assert data["has_mikrotik_password"] is True
    assert data["connection_status"] == "unknown"
    assert "r0uter-s3cret" not in answer.text
    by_serial = await client.get(f"/devices/by-serial/{data['serial_number']}")
    assert by_serial.json()["data"]["id"] == data["id"]

    events = await outbox_events(uuid.UUID(data["id"]))
    assert [e["type"] for e in events] == ["network.device.created"]
    assert "r0uter-s3cret" not in str(events)
    snapshot = DeviceSnapshot.model_validate(events[0]["data"])
    assert (snapshot.ip_address, snapshot.api_port, snapshot.username) == (
        "10.0.0.1",
        8729,
        "isp-agent",
    )
    assert snapshot.is_default_mikrotik and snapshot.api_enabled and snapshot.is_active
    box = SecretBox(tenant.runtime.settings.secret_key)
    assert box.decrypt(snapshot.password_encrypted or "") == "r0uter-s3cret"


async def test_serials_are_unique_per_tenant(new_tenant: Callable[[], Tenant]) -> None:
    tenant, other = new_tenant(), new_tenant()
    client = tenant.client("admin")
    first = await client.post("/devices", json=router_body(serial_number="ZTE-1"))
    assert first.status_code == 201
    again = await client.post("/devices", json=router_body(serial_number="ZTE-1"))
    assert again.status_code == 409
    assert again.json()["error"]["details"]["fields"][0]["field"] == "serial_number"
    second = await client.post("/devices", json=router_body(serial_number="ZTE-2"))
    moved = await client.patch(
        f"/devices/{second.json()['data']['id']}", json={"serial_number": "ZTE-1"}
    )
    assert moved.status_code == 409
    elsewhere = await other.client("admin").post(
        "/devices", json=router_body(serial_number="ZTE-1")
    )
    assert elsewhere.status_code == 201


async def test_a_new_default_router_clears_the_previous_one(
    tenant: Tenant, outbox_events: Events
) -> None:
    client = tenant.client("admin")
    first = (await client.post("/devices", json=router_body(is_default_mikrotik=True))).json()
    second = await client.post("/devices", json=router_body(is_default_mikrotik=True))
    assert second.status_code == 201
    listed = await client.get("/devices", params={"is_default_mikrotik": True})
    assert [d["id"] for d in listed.json()["data"]] == [second.json()["data"]["id"]]
    previous = await outbox_events(uuid.UUID(first["data"]["id"]))
    assert previous[-1]["type"] == "network.device.updated"
    assert previous[-1]["data"]["is_default_mikrotik"] is False
    onu = await client.post(
        "/devices", json={"device_name": "ONU", "device_type": "onu", "is_default_mikrotik": True}
    )
    assert onu.status_code == 409


async def test_filters_search_and_parents(tenant: Tenant) -> None:
    client = tenant.client("admin")
    router = (await client.post("/devices", json=router_body(device_name="Edge Cimahi"))).json()
    customer_id = str(uuid.uuid4())
    onu = await client.post(
        "/devices",
        json={
            "device_name": "ONU rumah",
            "device_type": "onu",
            "serial_number": "HWTC-77",
            "customer_id": customer_id,
            "parent_device_id": router["data"]["id"],
        },
    )
    assert onu.status_code == 201, onu.text

    async def ids(**params: Any) -> list[str]:
        return [d["id"] for d in (await client.get("/devices", params=params)).json()["data"]]

    assert await ids(device_type="onu") == [onu.json()["data"]["id"]]
    assert await ids(customer_id=customer_id) == [onu.json()["data"]["id"]]
    assert await ids(search="cimahi") == [router["data"]["id"]]
    assert await ids(search="hwtc") == [onu.json()["data"]["id"]]
    assert await ids(status="maintenance") == []
    # A parent with children stays; a cycle is refused.
    assert (await client.delete(f"/devices/{router['data']['id']}")).status_code == 409
    cycle = await client.patch(
        f"/devices/{router['data']['id']}", json={"parent_device_id": onu.json()["data"]["id"]}
    )
    assert cycle.status_code == 409
    unknown = await client.patch(
        f"/devices/{router['data']['id']}", json={"parent_device_id": str(uuid.uuid4())}
    )
    assert unknown.status_code == 404


async def test_delete_publishes_and_answers_404_after(
    tenant: Tenant, outbox_events: Events
) -> None:
    client = tenant.client("admin")
    device = (await client.post("/devices", json=router_body())).json()["data"]
    assert (await client.delete(f"/devices/{device['id']}")).status_code == 200
    assert (await client.get(f"/devices/{device['id']}")).status_code == 404
    events = await outbox_events(uuid.UUID(device["id"]))
    assert events[-1]["type"] == "network.device.deleted"
    assert events[-1]["data"]["is_deleted"] is True and events[-1]["data"]["is_active"] is False


async def test_viewers_read_but_do_not_write(tenant: Tenant) -> None:
    viewer = tenant.client("viewer")
    assert (await viewer.get("/devices")).status_code == 200
    assert (await viewer.post("/devices", json=router_body())).status_code == 403
    customer = tenant.client("customer", customer_id=uuid.uuid4())
    assert (await customer.get("/devices")).status_code == 403


async def test_a_new_address_port_or_user_drops_the_stored_password(
    tenant: Tenant, outbox_events: Events
) -> None:
    """Pointing a router elsewhere must not send its admin password there: the password goes
    unless the same request gives a new one (for the new login)."""
    client = tenant.client("technician")
    box = SecretBox(tenant.runtime.settings.secret_key)
    for change in (
        {"ip_address": "10.0.0.99"},
        {"mikrotik_port": 8730},
        {"mikrotik_username": "someone-else"},
    ):
        device = (await client.post("/devices", json=router_body())).json()["data"]
        path = f"/devices/{device['id']}"
        moved = await client.patch(path, json=change)
        assert moved.status_code == 200, moved.text
        assert moved.json()["data"]["has_mikrotik_password"] is False, change
        snapshot = (await outbox_events(uuid.UUID(device["id"])))[-1]["data"]
        assert snapshot["password_encrypted"] is None, change

        again = await client.patch(path, json={**change, "mikrotik_password": "n3w-secret"})
        assert again.json()["data"]["has_mikrotik_password"] is True
        kept = await client.patch(
            path, json={"mikrotik_password": "th1rd", "ip_address": "10.0.0.98"}
        )
        assert kept.json()["data"]["has_mikrotik_password"] is True
        snapshot = (await outbox_events(uuid.UUID(device["id"])))[-1]["data"]
        assert box.decrypt(snapshot["password_encrypted"]) == "th1rd"

    device = (await client.post("/devices", json=router_body())).json()["data"]
    path = f"/devices/{device['id']}"
    # The same address again, or any other field: the password stays.
    for same in ({"ip_address": "10.0.0.1", "mikrotik_port": 8729}, {"notes": "moved rack"}):
        answer = await client.patch(path, json=same)
        assert answer.json()["data"]["has_mikrotik_password"] is True, same


async def test_a_router_is_never_at_a_link_local_multicast_or_foreign_address(
    tenant: Tenant,
) -> None:
    client = tenant.client("admin")
    refused = [
        "169.254.169.254",  # the cloud metadata service
        "fe80::1",
        "224.0.0.1",
        "ff02::1",
        "0.0.0.0",
        "::",
        "255.255.255.255",
        "::ffff:169.254.169.254",
        "8.8.8.8",  # outside the default router networks
        "router.example.com",  # host names are not resolved
    ]
    for address in refused:
        answer = await client.post("/devices", json=router_body(ip_address=address))
        assert answer.status_code == 422, (address, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "VALIDATION_ERROR"
        assert [f["field"] for f in error["details"]["fields"]] == ["ip_address"], address
    # Loopback is a router network by default (the development simulator listens there).
    local = await client.post("/devices", json=router_body(ip_address="127.0.0.1"))
    assert local.status_code == 201, local.text
    path = f"/devices/{local.json()['data']['id']}"
    patched = await client.patch(path, json={"ip_address": "169.254.0.5"})
    assert patched.status_code == 422
    assert (await client.get(path)).json()["data"]["ip_address"] == "127.0.0.1"
    # A switch or an ONU is no router target: its address is only recorded.
    onu = {"device_name": "ONU", "device_type": "onu", "ip_address": "169.254.3.3"}
    assert (await client.post("/devices", json=onu)).status_code == 201
    onu_id = (await client.post("/devices", json=onu)).json()["data"]["id"]
    became_router = await client.patch(f"/devices/{onu_id}", json={"device_type": "router"})
    assert became_router.status_code == 422


async def test_the_operator_lists_the_router_networks(tenant: Tenant) -> None:
    """ISP_ROUTER_NETWORKS without loopback (as production sets it): 127.0.0.1 is refused."""
    runtime = dataclasses.replace(
        tenant.runtime, router_networks=parse_router_networks("10.20.0.0/16, 2001:db8::/32")
    )
    production = type(tenant)(runtime, create_network_app(runtime))
    try:
        client = production.client("admin")
        for address, status in (
            ("10.20.3.4", 201),
            ("2001:db8::7", 201),
            ("10.21.0.1", 422),
            ("127.0.0.1", 422),
            ("::1", 422),
        ):
            answer = await client.post("/devices", json=router_body(ip_address=address))
            assert answer.status_code == status, (address, answer.text)
    finally:
        await production.aclose()
