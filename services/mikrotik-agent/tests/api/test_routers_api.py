from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant


async def test_settings_default_to_isolate_and_can_be_changed(tenant: Tenant) -> None:
    async with tenant.client() as client:
        first = (await client.get("/routers/settings")).json()["data"]
        assert first == {
            "suspension_mode": "isolate",
            "isolation_profile": "isolir",
            "isolation_address_list": "isolir",
        }
        body = {
            "suspension_mode": "disable",
            "isolation_profile": "blok",
            "isolation_address_list": "blok",
        }
        assert (await client.put("/routers/settings", json=body)).status_code == 200
        assert (await client.get("/routers/settings")).json()["data"] == body
        bad = await client.put("/routers/settings", json={"suspension_mode": "maybe"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
    async with tenant.client("viewer") as viewer:
        assert (await viewer.put("/routers/settings", json=body)).status_code == 403


async def test_routers_test_connection_queues_dry_run_and_operations(
    tenant: Tenant, sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    router = reset_router(sim)
    router.add("/queue/simple", {"name": "manual", "target": "10.1.1.1"})
    device = await tenant.add_router(sim)
    plan = await tenant.add_plan()
    customer = new_customer(plan.id)
    await tenant.put_customer(customer)
    async with tenant.client() as client:
        listed = (await client.get("/routers")).json()
        assert listed["meta"]["total"] == 1 and listed["data"][0]["subscriber_count"] == 1
        probe = (await client.post(f"/routers/{device.id}/test-connection")).json()["data"]
        assert probe["ok"] and probe["identity"] == "sim-agent" and probe["version"]

        dry = await client.post(f"/routers/{device.id}/sync", params={"dry_run": "true"})
        assert dry.status_code == 200
        changes = dry.json()["data"]["changes"]
        assert {(c["kind"], c["menu"]) for c in changes} >= {
            ("add", "/ppp/secret"),
            ("add", "/queue/simple"),
        }
        assert all(c["attributes"].get("password") in (None, "********") for c in changes)
        assert router.find("/ppp/secret") == []  # a dry run touches nothing

        assert (await client.post(f"/routers/{device.id}/sync")).status_code == 202
        await tenant.reconcile(device.id, full=False)
        queues = (await client.get(f"/routers/{device.id}/queues")).json()["data"]
        assert {q["name"]: q["managed"] for q in queues} == {
            "manual": False,
            customer.customer_code: True,
        }
        ops = (
            await client.get(
                f"/routers/{device.id}/operations", params={"customer_id": str(customer.id)}
            )
        ).json()
        assert ops["meta"]["total"] >= 2 and all(
            o["customer_id"] == str(customer.id) for o in ops["data"]
        )
        assert "pw-" not in str(ops)  # the PPPoE password never reaches the log

        missing = await client.get(f"/routers/{uuid.uuid4()}")
        assert missing.status_code == 404
    other = type(tenant)(tenant.runtime, tenant.app)
    async with other.client() as client:
        assert (await client.get(f"/routers/{device.id}")).status_code == 404
        assert (await client.get("/routers")).json()["meta"]["total"] == 0


async def test_an_unreachable_router_answers_ok_false_and_502_for_live_reads(
    tenant: Tenant, sim: SimulatedRouter
) -> None:
    device = await tenant.add_router(sim, api_port=1)
    async with tenant.client() as client:
        probe = (await client.post(f"/routers/{device.id}/test-connection")).json()["data"]
        assert probe["ok"] is False and probe["error"]
        live = await client.get(f"/routers/{device.id}/queues")
        assert live.status_code == 502 and live.json()["error"]["code"] == "EXTERNAL_SERVICE_ERROR"


async def test_lists_take_the_shared_page_parameters(tenant: Tenant, sim: SimulatedRouter) -> None:
    """A page past Postgres' bigint offset used to be a 500: every list bounds it the same way."""
    device = await tenant.add_router(sim)
    async with tenant.client() as client:
        for path in ("/routers", f"/routers/{device.id}/operations"):
            huge = await client.get(path, params={"page": 10**18})
            assert huge.status_code == 422, (path, huge.text)
            fields = huge.json()["error"]["details"]["fields"]
            assert any("page" in f["field"] for f in fields), fields
            last = await client.get(path, params={"page": 1_000_000, "per_page": 100})
            assert last.status_code == 200 and last.json()["data"] == []
            assert last.json()["meta"]["page"] == 1_000_000
