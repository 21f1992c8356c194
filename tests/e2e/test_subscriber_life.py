"""A subscriber's whole life through the gateway, with the simulated router checked at each
step: create → activate → secret and queue on the router → billing run → overdue → suspended
and isolated → payment → restored → boost → boosted queue → boost ended → plan speeds → plan
change → terminate → gone from the router; the audit trail holds the steps and verifies."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx

# The simulated router is shared by `isp up`'s demo tenant and every test's tenant, each numbering
# its customers from CUST-000001, and the agent never touches a queue it did not tag: the default
# queue name (the customer code) would collide. Queues are named by the tenant-prefixed login.
UNIQUE_QUEUE_NAMES = {"queue_name_template": "{pppoe_username}"}
PLAN_A = {"name": "Home 20M", "bandwidth_download": 20_000, "bandwidth_upload": 10_000,
          "monthly_price": "250000.00", "advanced": UNIQUE_QUEUE_NAMES}  # fmt: skip
PLAN_B = {"name": "Home 50M", "bandwidth_download": 50_000, "bandwidth_upload": 25_000,
          "monthly_price": "400000.00", "advanced": UNIQUE_QUEUE_NAMES}  # fmt: skip


def max_limit(upload_kbps: int, download_kbps: int) -> str:
    return f"{upload_kbps * 1000}/{download_kbps * 1000}"


async def data(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, (
        f"{answer.request.method} {answer.request.url}: " + (answer.text[:800])
    )
    return answer.json()["data"]


def router_objects(platform: Any, login: str, queue_name: str) -> dict[str, Any]:
    api = platform.router()
    try:
        secrets = [s for s in api.path("ppp", "secret") if s.get("name") == login]
        queues = [q for q in api.path("queue", "simple") if q.get("name") == queue_name]
    finally:
        api.close()
    assert len(secrets) <= 1 and len(queues) <= 1, (secrets, queues)
    return {"secret": secrets[0] if secrets else None, "queue": queues[0] if queues else None}


async def test_a_subscribers_whole_life(platform: Any, tenant: UUID, wait_for: Any) -> None:
    admin = platform.client(tenant, "admin")
    plan_a = await data(await admin.post("/service-plans", json=PLAN_A), 201)
    plan_b = await data(await admin.post("/service-plans", json=PLAN_B), 201)
    settings = await data(await admin.get("/routers/settings"))
    assert settings["suspension_mode"] == "isolate"
    await data(
        await admin.post(
            "/devices",
            json={
                "device_name": "e2e router",
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
    login = f"e2e-{str(tenant)[:8]}"
    customer = await data(
        await admin.post(
            "/customers",
            json={
                "full_name": "Dewi Lestari",
                "phone": "+6281299990000",
                "address": "Jl. Kenanga No. 7",
                "service_plan_id": plan_a["id"],
                "pppoe_username": login,
                "pppoe_password": "dewi-secret-42",
            },
        ),
        201,
    )
    cid = customer["id"]
    queue = login  # the plans' queue-name template

    def on_router() -> dict[str, Any]:
        return router_objects(platform, login, queue)

    # Activate: the router gets the secret and the plan's queue.
    # Activated twenty days ago: its first invoice (due after seven days) is overdue today, and
    # the next period has not begun, since an overdue check may not look past the tenant's today.
    activated_on = datetime.now(UTC).date() - timedelta(days=20)
    await data(
        await admin.post(
            f"/customers/{cid}/activate", json={"activation_date": activated_on.isoformat()}
        )
    )

    async def provisioned() -> dict[str, Any] | None:
        found = await asyncio.to_thread(on_router)
        if found["secret"] is None or found["queue"] is None:
            return None
        assert found["queue"]["max-limit"] == max_limit(10_000, 20_000)
        assert found["secret"]["profile"] == "default" and not found["secret"]["disabled"]
        return found

    await wait_for(provisioned, what="the secret and queue on the router")

    async def shown_as(status: str, provisioning: str = "provisioned") -> dict[str, Any] | None:
        shown = await data(await admin.get(f"/customers/{cid}"))
        ok = shown["status"] == status and shown["provisioning_status"] == provisioning
        return shown if ok else None

    await wait_for(lambda: shown_as("active"), what="provisioning_status provisioned")

    # Billing: activation is invoiced for one period, in advance; a run changes nothing more.
    async def invoiced() -> list[dict[str, Any]] | None:
        invoices = await data(await admin.get("/invoices", params={"customer_id": cid}))
        return invoices or None

    invoices = await wait_for(invoiced, what="the first invoice")
    today = datetime.now(UTC).date()
    await data(await admin.post("/billing/runs", json={"as_of": today.isoformat()}))
    invoices = await data(await admin.get("/invoices", params={"customer_id": cid}))
    assert len(invoices) == 1 and invoices[0]["status"] == "open"
    assert invoices[0]["total"] == "250000.00"

    # Overdue → suspended by customers → isolated on the router.
    await data(await admin.post("/billing/overdue-check", json={"as_of": today.isoformat()}))
    await wait_for(lambda: shown_as("suspended"), within=60, what="suspension for overdue")

    async def isolated() -> bool:
        found = await asyncio.to_thread(on_router)
        return found["secret"] is not None and found["secret"]["profile"] == "isolir"

    await wait_for(isolated, what="the secret in the isolation profile")

    # Payment → settled → restored → back in its own profile.
    paid = await data(
        await admin.post(
            "/payments",
            json={
                "customer_id": cid,
                "amount": invoices[0]["total"],
                "payment_method": "transfer",
                "payment_for": "monthly_subscription",
            },
            headers={"Idempotency-Key": f"e2e-pay-{cid}"},
        ),
        201,
    )
    assert Decimal(paid["amount"]) == Decimal("250000.00")
    await wait_for(lambda: shown_as("active"), within=60, what="restore after payment")

    async def released() -> bool:
        found = await asyncio.to_thread(on_router)
        return found["secret"] is not None and found["secret"]["profile"] == "default"

    await wait_for(released, what="the secret back in its own profile")

    # Boost: the queue takes the boosted speeds, and the plan's again when it ends.
    await data(await admin.put("/speed-boosts/pricing", json={"price_per_hour": "5000.00"}))
    boost = await data(
        await admin.post(
            "/speed-boosts",
            json={
                "customer_id": cid,
                "requested_speed_download": 100_000,
                "requested_speed_upload": 50_000,
                "duration_hours": 2,
            },
        ),
        201,
    )
    await data(await admin.post(f"/speed-boosts/{boost['id']}/approve", json={}))
    await data(await admin.post(f"/speed-boosts/{boost['id']}/activate", json={}))

    async def queue_at(limit: str) -> bool:
        found = await asyncio.to_thread(on_router)
        return found["queue"] is not None and found["queue"]["max-limit"] == limit

    await wait_for(lambda: queue_at(max_limit(50_000, 100_000)), what="the boosted queue")

    async def boost_charged() -> bool:
        invoices = await data(await admin.get("/invoices", params={"customer_id": cid}))
        return any(Decimal(i["total"]) == Decimal("10000.00") for i in invoices)

    await wait_for(boost_charged, what="the boost's charge (2 h × 5,000.00)")
    await data(await admin.post(f"/customers/{cid}/speed-boost/deactivate", json={}))
    await wait_for(lambda: queue_at(max_limit(10_000, 20_000)), what="the plan's speeds again")

    # Plan change: the queue follows.
    await data(
        await admin.post(
            f"/customers/{cid}/change-plan",
            json={"new_plan_id": plan_b["id"], "reason": "upgrade"},
        )
    )
    await wait_for(lambda: queue_at(max_limit(25_000, 50_000)), what="the new plan's queue")

    # Terminate: the subscriber leaves the router.
    await data(await admin.post(f"/customers/{cid}/terminate", json={"reason": "moving away"}))

    async def gone() -> bool:
        found = await asyncio.to_thread(on_router)
        return found["secret"] is None and found["queue"] is None

    await wait_for(gone, what="the subscriber's objects removed from the router")

    # The audit trail holds the life, and its chain verifies.
    async def trail_complete() -> set[str] | None:
        rows = await data(await admin.get(f"/customers/{cid}/audit-logs", params={"per_page": 100}))
        actions = {f"{row['category']}.{row['action']}" for row in rows}
        wanted = {"suspended", "restored", "terminated", "activated"}
        return actions if wanted <= {a.split(".")[-1] for a in actions} else None

    await wait_for(trail_complete, what="the customer's audit trail")
    verified = await data(await admin.get("/audit-logs/verify"))
    assert verified["ok"] is True and verified["checked"] > 10
    await admin.aclose()


async def test_the_demo_tenant_was_seeded(platform: Any) -> None:
    said = next(line for line in platform.output if "demo tenant " in line)
    tenant = UUID(re.search(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", said)[0])  # type: ignore[index]
    async with platform.client(tenant, "admin") as admin:
        plans = await data(await admin.get("/service-plans"))
        assert {plan["name"] for plan in plans} >= {"Home 20M", "Home 50M", "Business 100M"}
        customers = await data(await admin.get("/customers"))
        assert len(customers) == 3
