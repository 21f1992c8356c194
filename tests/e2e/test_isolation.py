"""Property 7 (tenant isolation) through the gateway, over every endpoint that takes an id:
tenant A owns one of each resource; tenant B's admin token on A's ids answers 404 in the
envelope, B's lists (and the sub-resources of A's customer) never show A's rows, and B's writes
on A's ids change nothing that A can see.

# Feature: isp-management-system, Property 7: Tenant isolation (docs/properties.md)
(one generated pair of tenants per session, every endpoint a parametrized case.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest

PLAN = {"name": "Iso 20M", "bandwidth_download": 20_000, "bandwidth_upload": 10_000,
        "monthly_price": "150000.00"}  # fmt: skip


async def data(answer: httpx.Response, status: int = 200) -> Any:
    assert answer.status_code == status, (
        f"{answer.request.method} {answer.request.url}: {answer.status_code} {answer.text[:800]}"
    )
    return answer.json()["data"]


@dataclass
class World:
    """Tenant A's resources (ids and human keys) and tenant B's own plan."""

    a: UUID
    b: UUID
    ids: dict[str, str]
    markers: set[str]

    def path(self, template: str) -> str:
        return template.format(**self.ids)


async def _created_when_known(
    client: httpx.AsyncClient, wait_for: Any, path: str, body: dict[str, Any], what: str
) -> Any:
    """POST until the service's replica knows the customer (404/409 until its events arrive)."""

    async def attempt() -> Any:
        answer = await client.post(path, json=body)
        if answer.status_code in (404, 409, 422):
            return None
        return await data(answer, 201)

    return await wait_for(attempt, what=what)


@pytest.fixture(scope="module")
async def world(platform: Any, session_wait_for: Any) -> World:
    wait_for = session_wait_for
    a, b = uuid.uuid4(), uuid.uuid4()
    tag = uuid.uuid4().hex[:8]
    ids: dict[str, str] = {}
    async with platform.client(a, "admin") as admin:
        ids["plan"] = (await data(await admin.post("/service-plans", json=PLAN), 201))["id"]
        router = {
            "device_name": "iso router",
            "device_type": "router",
            "status": "online",
            "ip_address": "127.0.0.1",
            "mikrotik_username": "admin",
            "mikrotik_password": "admin",
            "mikrotik_port": platform.simulator_port,
            "mikrotik_api_enabled": True,
            "is_default_mikrotik": True,
        }
        ids["router"] = (await data(await admin.post("/devices", json=router), 201))["id"]
        olt = await data(await admin.post("/olts", json={"name": f"OLT {tag}"}), 201)
        ids["olt"] = olt["id"]
        odc_body = {"name": f"ODC {tag}", "olt_id": olt["id"], "capacity": 4}
        ids["odc"] = (await data(await admin.post("/odcs", json=odc_body), 201))["id"]
        odp_body = {"name": f"ODP {tag}", "odc_id": ids["odc"], "capacity": 8}
        ids["odp"] = (await data(await admin.post("/odps", json=odp_body), 201))["id"]
        customer = await data(
            await admin.post(
                "/customers",
                json={
                    "full_name": "Iso Tenant A",
                    "phone": "+6281200001111",
                    "address": "Jl. Isolasi 1",
                    "service_plan_id": ids["plan"],
                    "pppoe_username": f"iso-{tag}",
                    "pppoe_password": f"pw-{tag}",
                },
            ),
            201,
        )
        ids["customer"], ids["code"] = customer["id"], customer["customer_code"]
        ids["login"] = f"iso-{tag}"
        onu = {
            "device_name": "iso onu",
            "device_type": "onu",
            "serial_number": f"ISO-{tag}",
            "customer_id": ids["customer"],
        }
        ids["device"] = (await data(await admin.post("/devices", json=onu), 201))["id"]
        ids["serial"] = f"ISO-{tag}"
        await data(await admin.post(f"/customers/{ids['customer']}/activate", json={}))
        ticket = await data(
            await admin.post(
                "/tickets",
                json={
                    "title": "No internet",
                    "description": "since this morning",
                    "category": "technical",
                    "customer_id": ids["customer"],
                },
            ),
            201,
        )
        ids["ticket"], ids["ticket_number"] = ticket["id"], ticket["ticket_number"]
        await data(await admin.put("/speed-boosts/pricing", json={"price_per_hour": "1000.00"}))
        boost_body = {
            "customer_id": ids["customer"],
            "requested_speed_download": 40_000,
            "requested_speed_upload": 20_000,
            "duration_hours": 3,
        }
        active = await _created_when_known(
            admin, wait_for, "/speed-boosts", boost_body, "boost to know the active customer"
        )
        ids["boost"] = active["id"]
        await data(await admin.post(f"/speed-boosts/{active['id']}/approve", json={}))
        await data(await admin.post(f"/speed-boosts/{active['id']}/activate", json={}))
        ids["pending_boost"] = (
            await data(await admin.post("/speed-boosts", json=boost_body), 201)
        )["id"]
        payment_body = {
            "customer_id": ids["customer"],
            "amount": "50000.00",
            "payment_method": "cash",
            "payment_for": "other",
        }
        payment = await data(
            await admin.post(
                "/payments", json=payment_body, headers={"Idempotency-Key": f"iso-pay-{tag}"}
            ),
            201,
        )
        ids["payment"], ids["payment_key"] = payment["id"], f"iso-pay-{tag}"

        async def invoiced() -> Any:
            found = await data(
                await admin.get("/invoices", params={"customer_id": ids["customer"]})
            )
            return found[0] if found else None

        ids["invoice"] = (await wait_for(invoiced, what="A's first invoice"))["id"]
        sample = {"customer_id": ids["customer"], "timestamp": _now(), "download_speed": 1234}
        await data(await admin.post("/monitoring", json=sample), 201)
        note = {
            "category": "system",
            "action": "noted",
            "description": "tenant A's own note",
            "customer_id": ids["customer"],
        }
        ids["audit"] = (await data(await admin.post("/audit-logs", json=note), 201))["id"]

        async def router_known() -> bool:
            return (await admin.get(f"/routers/{ids['router']}")).status_code == 200

        await wait_for(router_known, what="the agent to know A's router")

        async def trail() -> bool:
            rows = await data(await admin.get(f"/customers/{ids['customer']}/audit-logs"))
            return len(rows) >= 2

        await wait_for(trail, what="A's customer audit trail")
        await _in_identity(platform, admin, wait_for, ids, a, tag)
    async with platform.client(b, "admin") as admin_b:
        own = {**PLAN, "name": "B's plan"}
        ids["b_plan"] = (await data(await admin_b.post("/service-plans", json=own), 201))["id"]
    markers = {v for k, v in ids.items() if k not in {"b_plan", "payment_key"}}
    return World(a=a, b=b, ids=ids, markers=markers)


async def _in_identity(
    platform: Any,
    admin: httpx.AsyncClient,
    wait_for: Any,
    ids: dict[str, str],
    a: UUID,
    tag: str,
) -> None:
    """Tenant A in identity (the operator adopts its id), its first admin, and a portal login
    for A's customer."""
    async with platform.operator_client() as operator:
        made = await data(
            await operator.post(
                "/tenants",
                json={
                    "id": str(a),
                    "slug": f"iso-{tag}",
                    "name": "Isolation A",
                    "admin_email": f"admin@iso-{tag}.test",
                    "admin_full_name": "Admin of A",
                    "admin_password": f"pw-{uuid.uuid4().hex}",
                },
            ),
            201,
        )
    ids["tenant"], ids["user"] = str(a), made["admin"]["id"]
    ids["admin_email"] = f"admin@iso-{tag}.test"

    async def portal_enabled() -> Any:
        answer = await admin.put(
            f"/customers/{ids['customer']}/portal-account",
            json={"password": f"portal-{uuid.uuid4().hex}"},
        )
        return None if answer.status_code == 404 else await data(answer)

    await wait_for(portal_enabled, what="identity to know A's customer")


def _now() -> str:
    return datetime.now(UTC).isoformat()


# (method, path, body, the path A reads to see that nothing changed, or None for a read)
C = "/customers/{customer}"
WRITE_CASES: list[tuple[str, str, dict[str, Any] | None, str | None]] = [
    ("PATCH", C, {"full_name": "Taken by B"}, C),
    ("DELETE", C, None, C),
    ("POST", C + "/activate", {}, C),
    ("POST", C + "/suspend", {"reason": "B says so"}, C),
    ("POST", C + "/terminate", {"reason": "B says so"}, C),
    ("POST", C + "/change-plan", {"new_plan_id": "{b_plan}", "reason": "B"}, C),
    ("POST", C + "/speed-boost/deactivate", {}, "/speed-boosts/{boost}"),
    ("PATCH", "/service-plans/{plan}", {"name": "Taken by B"}, "/service-plans/{plan}"),
    ("DELETE", "/service-plans/{plan}", None, "/service-plans/{plan}"),
    ("POST", "/service-plans/{plan}/toggle", {}, "/service-plans/{plan}"),
    ("PUT", "/service-plans/{plan}/advanced", {"vlan_id": 77}, "/service-plans/{plan}"),
    ("DELETE", "/payments/{payment}", {"reason": "B voids"}, "/payments/{payment}"),
    ("PATCH", "/olts/{olt}", {"name": "Taken by B"}, "/olts/{olt}"),
    ("DELETE", "/olts/{olt}", None, "/olts/{olt}"),
    ("PATCH", "/odcs/{odc}", {"name": "Taken by B"}, "/odcs/{odc}"),
    ("DELETE", "/odcs/{odc}", None, "/odcs/{odc}"),
    ("PATCH", "/odps/{odp}", {"name": "Taken by B"}, "/odps/{odp}"),
    ("DELETE", "/odps/{odp}", None, "/odps/{odp}"),
    ("PATCH", "/devices/{device}", {"device_name": "Taken by B"}, "/devices/{device}"),
    ("DELETE", "/devices/{device}", None, "/devices/{device}"),
    ("POST", "/devices/{router}/test-connection", {}, "/devices/{router}"),
    ("POST", "/devices/{router}/sync-queues", {}, "/devices/{router}"),
    ("PATCH", "/tickets/{ticket}", {"title": "Taken by B"}, "/tickets/{ticket}"),
    ("POST", "/tickets/{ticket}/assign", {"assigned_to": "b-agent"}, "/tickets/{ticket}"),
    ("POST", "/tickets/{ticket}/start", {}, "/tickets/{ticket}"),
    ("POST", "/tickets/{ticket}/resolve", {"resolution_notes": "B"}, "/tickets/{ticket}"),
    ("POST", "/tickets/{ticket}/close", {}, "/tickets/{ticket}"),
    ("POST", "/tickets/{ticket}/reopen", {}, "/tickets/{ticket}"),
    ("POST", "/tickets/{ticket}/comments", {"body": "B was here"}, "/tickets/{ticket}"),
    ("POST", "/speed-boosts/{pending_boost}/approve", {}, "/speed-boosts/{pending_boost}"),
    (
        "POST",
        "/speed-boosts/{pending_boost}/reject",
        {"reason": "B"},
        "/speed-boosts/{pending_boost}",
    ),
    ("POST", "/speed-boosts/{boost}/activate", {}, "/speed-boosts/{boost}"),
    ("POST", "/routers/{router}/test-connection", {}, "/routers/{router}"),
    ("POST", "/routers/{router}/sync", {}, "/routers/{router}"),
    ("POST", "/routers/{router}/sync?dry_run=true", {}, "/routers/{router}"),
    # identity
    ("PATCH", "/tenants/{tenant}", {"name": "Taken by B"}, "/tenants/{tenant}"),
    ("PATCH", "/users/{user}", {"full_name": "Taken by B"}, "/users/{user}"),
    ("PATCH", "/users/{user}", {"status": "disabled"}, "/users/{user}"),
    ("POST", "/users/{user}/reset-password", {}, "/users/{user}"),
    ("PUT", C + "/portal-account", {"password": "taken-by-b-4d1f9c"}, C + "/portal-account"),
    ("PUT", C + "/portal-account", {"activation": True}, C + "/portal-account"),
    ("DELETE", C + "/portal-account", None, C + "/portal-account"),
]
READ_CASES = [
    C,
    "/customers/by-code/{code}",
    C + "/monitoring/current",
    C + "/speed-boost",
    "/service-plans/{plan}",
    "/invoices/{invoice}",
    "/payments/{payment}",
    "/payments/{payment}/receipt",
    "/olts/{olt}",
    "/odcs/{odc}",
    "/odps/{odp}",
    "/devices/{device}",
    "/devices/{router}",
    "/devices/by-serial/{serial}",
    "/tickets/{ticket}",
    "/tickets/by-number/{ticket_number}",
    "/speed-boosts/{boost}",
    "/audit-logs/{audit}",
    "/routers/{router}",
    "/routers/{router}/queues",
    "/tenants/{tenant}",
    "/users/{user}",
    C + "/portal-account",
]
# Lists, filtered lists and a customer's sub-resources: 404, or an answer without A's rows.
LIST_CASES = [
    "/customers",
    "/customers?search={code}",
    "/service-plans",
    "/invoices",
    "/invoices?customer_id={customer}",
    "/payments",
    "/payments?customer_id={customer}",
    "/olts",
    "/odcs",
    "/odcs?olt_id={olt}",
    "/odps",
    "/odps?odc_id={odc}",
    "/devices",
    "/devices?customer_id={customer}",
    "/devices?search={serial}",
    "/tickets",
    "/tickets?customer_id={customer}",
    "/tickets?search={ticket_number}",
    "/speed-boosts",
    "/speed-boosts?customer_id={customer}",
    "/audit-logs",
    "/audit-logs?customer_id={customer}",
    "/monitoring",
    "/monitoring?customer_id={customer}",
    "/routers",
    "/routers/{router}/operations",
    C + "/payments",
    C + "/invoices",
    C + "/account",
    C + "/monitoring",
    C + "/monitoring?bucket=1h",
    C + "/audit-logs",
    "/users",
]


def _not_found(answer: httpx.Response) -> None:
    where = f"{answer.request.method} {answer.request.url.path}"
    assert answer.status_code == 404, f"{where}: {answer.status_code} {answer.text[:500]}"
    body = answer.json()
    assert body["success"] is False and body["error"]["code"] == "NOT_FOUND", f"{where}: {body}"


def _leaks(world: World, answer: httpx.Response, path: str) -> set[str]:
    """A's ids and keys in B's answer, except what B itself put in the path."""
    return {m for m in world.markers if m in answer.text and m not in path}


def _fill(world: World, value: Any) -> Any:
    if isinstance(value, str):
        return world.path(value)
    if isinstance(value, dict):
        return {k: _fill(world, v) for k, v in value.items()}
    return value


def _state(resource: dict[str, Any], *, operational: bool = False) -> dict[str, Any]:
    """What a write would move: version (or updated_at), status, names, nested histories. A
    router's `status` is operational (the agent reports it), so it is left out there."""
    keys = ("version", "status", "is_active", "full_name", "name", "device_name", "title",
            "assigned_to", "service_plan_id", "advanced", "is_deleted", "voided_at",
            "enabled", "has_password", "activation_pending", "roles")  # fmt: skip
    state = {k: resource[k] for k in keys if k in resource}
    if operational:
        state.pop("status", None)
    if "version" not in resource and "updated_at" in resource:
        state["updated_at"] = resource["updated_at"]
    for nested in ("activities", "changelog", "comments"):
        if isinstance(resource.get(nested), list):
            state[f"{nested}#"] = len(resource[nested])
    return state


@pytest.mark.parametrize(
    ("method", "template", "body", "check"),
    WRITE_CASES,
    ids=[f"{m} {p}" for m, p, *_ in WRITE_CASES],
)
async def test_b_cannot_write_a_resource(
    platform: Any,
    world: World,
    method: str,
    template: str,
    body: dict[str, Any] | None,
    check: str,
) -> None:
    path = world.path(template)
    async with platform.client(world.a, "admin") as a, platform.client(world.b, "admin") as b:
        before = await data(await a.get(world.path(check)))
        answer = await b.request(method, path, json=_fill(world, body))
        _not_found(answer)
        assert not _leaks(world, answer, path)
        after = await data(await a.get(world.path(check)))
        if not check.startswith("/routers/"):  # the agent's view of a router moves by itself
            operational = check.endswith("{router}")
            assert _state(after, operational=operational) == _state(
                before, operational=operational
            ), f"{method} {template} by B changed A's row"


@pytest.mark.parametrize("template", READ_CASES, ids=[f"GET {p}" for p in READ_CASES])
async def test_b_cannot_read_a_resource(platform: Any, world: World, template: str) -> None:
    path = world.path(template)
    async with platform.client(world.a, "admin") as a, platform.client(world.b, "admin") as b:
        assert (await a.get(path)).status_code == 200, f"A cannot read its own {template}"
        answer = await b.get(path)
        _not_found(answer)
        assert not _leaks(world, answer, path)


@pytest.mark.parametrize("template", LIST_CASES, ids=[f"GET {p}" for p in LIST_CASES])
async def test_b_lists_never_show_a_rows(platform: Any, world: World, template: str) -> None:
    path = world.path(template)
    async with platform.client(world.a, "admin") as a, platform.client(world.b, "admin") as b:
        own = await a.get(path)
        assert own.status_code == 200, f"A cannot list its own {template}: {own.text[:300]}"
        answer = await b.get(path)
        if answer.status_code == 404:
            _not_found(answer)
        else:
            assert answer.status_code == 200, f"GET {template} by B: {answer.text[:500]}"
            assert answer.json()["success"] is True
        leaked = _leaks(world, answer, path)
        assert not leaked, f"GET {template} by B shows A's {leaked}: {answer.text[:500]}"


async def test_b_lists_its_own_rows_only(platform: Any, world: World) -> None:
    """The list check above must not pass vacuously: B sees its own plan, and only it."""
    async with platform.client(world.b, "admin") as b:
        plans = await b.get("/service-plans")
        assert [p["id"] for p in await data(plans)] == [world.ids["b_plan"]]
        assert plans.json()["meta"]["total"] == 1
        customers = await b.get("/customers")
        assert await data(customers) == [] and customers.json()["meta"]["total"] == 0


async def test_b_cannot_replay_a_idempotency_key(platform: Any, world: World) -> None:
    """The same Idempotency-Key and body under B's token never answer A's stored payment."""
    body = {"customer_id": world.ids["customer"], "amount": "50000.00",
            "payment_method": "cash", "payment_for": "other"}  # fmt: skip
    async with platform.client(world.b, "admin") as b:
        answer = await b.post(
            "/payments", json=body, headers={"Idempotency-Key": world.ids["payment_key"]}
        )
    assert answer.status_code in (404, 422), answer.text[:500]
    assert world.ids["payment"] not in answer.text
