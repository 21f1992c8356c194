"""Property 5 (deletion referential integrity) across the platform: a customer with a device,
tickets, an active and a pending boost, monitoring samples, an invoice and a payment, active and
provisioned on the router, is deleted; then, eventually, no service holds a live record that
points at them (customers 404 and out of the lists, router secret and queue gone, open tickets
closed, the active boost ended and the pending one rejected, monitoring purged and later samples
dropped, open invoices void) while the payment and the audit trail are kept.

# Feature: isp-management-system, Property 5: Deletion referential integrity (docs/properties.md)
(one generated customer, every kind of record the platform keeps about them.)
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

# The simulated router is shared by `isp up`'s demo tenant and every test's tenant, each numbering
# its customers from CUST-000001, and the agent never touches a queue it did not tag: the default
# queue name (the customer code) would collide. Queues are named by the tenant-prefixed login.
UNIQUE_QUEUE_NAMES = {"queue_name_template": "{pppoe_username}"}
PLAN = {"name": "Del 20M", "bandwidth_download": 20_000, "bandwidth_upload": 10_000,
        "monthly_price": "200000.00", "advanced": UNIQUE_QUEUE_NAMES}  # fmt: skip


async def data(answer: httpx.Response, status: int = 200) -> Any:
    where = f"{answer.request.method} {answer.request.url}"
    assert answer.status_code == status, f"{where}: {answer.status_code} {answer.text[:800]}"
    return answer.json()["data"]


def router_objects(platform: Any, login: str, queue_name: str) -> tuple[int, int]:
    api = platform.router()
    try:
        secrets = [s for s in api.path("ppp", "secret") if s.get("name") == login]
        queues = [q for q in api.path("queue", "simple") if q.get("name") == queue_name]
    finally:
        api.close()
    return len(secrets), len(queues)


async def created_when_known(
    client: httpx.AsyncClient, wait_for: Any, path: str, body: dict[str, Any], what: str
) -> Any:
    """POST until the service's replica knows the (active) customer."""

    async def attempt() -> Any:
        answer = await client.post(path, json=body)
        if answer.status_code in (404, 409, 422):
            return None
        return await data(answer, 201)

    return await wait_for(attempt, what=what)


async def test_a_deleted_customer_leaves_no_live_record(
    platform: Any, tenant: UUID, wait_for: Any
) -> None:
    admin = platform.client(tenant, "admin")
    plan = await data(await admin.post("/service-plans", json=PLAN), 201)
    await data(
        await admin.post(
            "/devices",
            json={
                "device_name": "del router",
                "device_type": "router",
                "status": "online",
                "ip_address": "127.0.0.1",
                "mikrotik_username": "admin",
                "mikrotik_password": "admin",
                "mikrotik_port": platform.simulator_port,
                "mikrotik_api_enabled": True,
                "is_default_mikrotik": True,
            },
        ),
        201,
    )
    login = f"del-{str(tenant)[:8]}"
    customer = await data(
        await admin.post(
            "/customers",
            json={
                "full_name": "Budi Hapus",
                "phone": "+6281233334444",
                "address": "Jl. Terhapus 3",
                "service_plan_id": plan["id"],
                "pppoe_username": login,
                "pppoe_password": "budi-pw-77",
            },
        ),
        201,
    )
    cid, code = customer["id"], customer["customer_code"]
    onu = await data(
        await admin.post(
            "/devices",
            json={
                "device_name": "Budi's ONU",
                "device_type": "onu",
                "serial_number": f"DEL-{uuid.uuid4().hex[:10]}",
                "customer_id": cid,
            },
        ),
        201,
    )
    await data(await admin.post(f"/customers/{cid}/activate", json={}))

    async def on_router() -> tuple[int, int] | None:
        found = await asyncio.to_thread(router_objects, platform, login, login)
        return found if found == (1, 1) else None

    await wait_for(on_router, what="the customer's secret and queue on the router")

    ticket = {"description": "it is slow", "category": "technical", "customer_id": cid}
    open_ticket = await data(await admin.post("/tickets", json={**ticket, "title": "Slow"}), 201)
    started = await data(await admin.post("/tickets", json={**ticket, "title": "Down"}), 201)
    await data(await admin.post(f"/tickets/{started['id']}/start", json={}))
    done = await data(await admin.post("/tickets", json={**ticket, "title": "Fixed"}), 201)
    await data(await admin.post(f"/tickets/{done['id']}/start", json={}))
    await data(await admin.post(f"/tickets/{done['id']}/resolve", json={"resolution_notes": "ok"}))
    await data(await admin.post(f"/tickets/{done['id']}/close", json={}))

    await data(await admin.put("/speed-boosts/pricing", json={"price_per_hour": "2000.00"}))
    boost_body = {
        "customer_id": cid,
        "requested_speed_download": 40_000,
        "requested_speed_upload": 20_000,
        "duration_hours": 4,
    }
    boost = await created_when_known(
        admin, wait_for, "/speed-boosts", boost_body, "boost to know the active customer"
    )
    await data(await admin.post(f"/speed-boosts/{boost['id']}/approve", json={}))
    await data(await admin.post(f"/speed-boosts/{boost['id']}/activate", json={}))
    pending = await data(await admin.post("/speed-boosts", json=boost_body), 201)
    await data(await admin.get(f"/customers/{cid}/speed-boost"))

    now = datetime.now(UTC)
    samples = [
        {"customer_id": cid, "timestamp": (now - timedelta(minutes=m)).isoformat(),
         "download_speed": 5000 + m, "upload_speed": 1000, "is_online": True}
        for m in (1, 6, 11)
    ]  # fmt: skip
    stored = await data(await admin.post("/monitoring", json={"samples": samples}), 201)
    assert stored["stored"] == 3, stored
    series = await data(await admin.get(f"/customers/{cid}/monitoring"))
    assert _points(series) == 3, series

    async def invoiced() -> Any:
        found = await data(await admin.get("/invoices", params={"customer_id": cid}))
        return found or None

    await wait_for(invoiced, what="the activation invoice")
    payment = await data(
        await admin.post(
            "/payments",
            json={"customer_id": cid, "amount": "50000.00", "payment_method": "cash",
                  "payment_for": "other"},
        ),
        201,
    )  # fmt: skip

    # Delete.
    gone = await data(await admin.delete(f"/customers/{cid}"))
    assert gone["deleted"] is True

    # customers: 404 by id and by code, absent from lists.
    missing = await admin.get(f"/customers/{cid}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    assert (await admin.get(f"/customers/by-code/{code}")).status_code == 404
    listed = await admin.get("/customers", params={"per_page": 100})
    assert cid not in {c["id"] for c in await data(listed)} and listed.json()["meta"]["total"] == 0
    searched = await data(await admin.get("/customers", params={"search": login}))
    assert searched == []

    # The router: secret and queue removed.
    async def off_router() -> bool:
        return await asyncio.to_thread(router_objects, platform, login, login) == (0, 0)

    await wait_for(off_router, what="the secret and queue removed from the router")

    # Tickets: every unclosed one closed; the already closed one untouched.
    async def tickets_closed() -> bool:
        for one in (open_ticket, started):
            shown = await data(await admin.get(f"/tickets/{one['id']}"))
            if shown["status"] != "closed":
                return False
        return True

    await wait_for(tickets_closed, what="the customer's open tickets closed")
    listed_open = await data(
        await admin.get("/tickets", params={"customer_id": cid, "status": "open"})
    )
    assert listed_open == []
    closed_once = await data(await admin.get(f"/tickets/{done['id']}"))
    assert closed_once["status"] == "closed"

    # Boosts: the active one ended (customer_deleted), the pending one rejected.
    async def boost_ended() -> dict[str, Any] | None:
        shown = await data(await admin.get(f"/speed-boosts/{boost['id']}"))
        return shown if shown["status"] == "ended" else None

    ended = await wait_for(boost_ended, what="the active boost ended")
    assert ended.get("end_reason", "customer_deleted") == "customer_deleted", ended
    assert (await admin.get(f"/customers/{cid}/speed-boost")).status_code == 404
    rejected = await data(await admin.get(f"/speed-boosts/{pending['id']}"))
    assert rejected["status"] == "rejected", rejected

    # Monitoring: purged, and later samples of the customer dropped.
    async def purged() -> bool:
        answer = await admin.get(f"/customers/{cid}/monitoring")
        if answer.status_code == 404:
            return True
        return _points(await data(answer)) == 0

    await wait_for(purged, what="the customer's monitoring samples purged")
    assert await data(await admin.get("/monitoring", params={"customer_id": cid})) == []
    assert (await admin.get(f"/customers/{cid}/monitoring/current")).status_code == 404
    late = {**samples[0], "timestamp": datetime.now(UTC).isoformat()}
    dropped = await data(await admin.post("/monitoring", json=late), 201)
    assert dropped["stored"] == 0 and dropped["dropped"] == 1, dropped

    # Billing: no open invoice left; the payment is kept (and readable).
    async def no_open_invoice() -> bool:
        found = await data(await admin.get("/invoices", params={"customer_id": cid}))
        return all(i["status"] != "open" for i in found)

    await wait_for(no_open_invoice, what="the customer's open invoices void")
    kept = await data(await admin.get(f"/payments/{payment['id']}"))
    assert kept["status"] != "void" and kept["amount"] == "50000.00", kept
    receipt = await admin.get(f"/payments/{payment['id']}/receipt")
    assert receipt.status_code == 200 and receipt.headers["content-type"].startswith(
        "application/pdf"
    )

    # Network: the customer's device stays as inventory, assigned to no one any more.
    async def back_in_inventory() -> bool:
        device = await data(await admin.get(f"/devices/{onu['id']}"))
        return device["customer_id"] is None

    await wait_for(back_in_inventory, what="the customer's ONU back in the inventory")

    # Audit: the trail is kept, and it holds the deletion.
    async def trail() -> set[str] | None:
        rows = await data(await admin.get(f"/customers/{cid}/audit-logs", params={"per_page": 100}))
        actions = {row["action"] for row in rows}
        return actions if {"created", "activated", "deleted"} <= actions else None

    await wait_for(trail, what="the deleted customer's audit trail (created … deleted)")
    assert (await data(await admin.get("/audit-logs/verify")))["ok"] is True
    await admin.aclose()


def _points(series: Any) -> int:
    """How many samples a series answer holds, whatever its shape (a list, or an object with a
    list of points/samples)."""
    if isinstance(series, list):
        return len(series)
    for key in ("samples", "points", "series", "data"):
        if isinstance(series.get(key), list):
            return len(series[key])
    raise AssertionError(f"no list of samples in {series}")
