"""Property 28 against the RouterOS simulator over real TCP: whatever the router holds at the
start (drifted, missing, duplicated or extra tagged objects, and objects of the operator's),
one reconcile makes the tagged objects equal the desired state, the untagged ones stay exactly
as they were, and a second reconcile changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.contracts.billing import PlanAdvancedSnapshot
from isp_common.contracts.boost import BoostSnapshot

from isp_mikrotik_agent.domain.desired import SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.domain.tags import is_tagged, subscriber_tag
from isp_mikrotik_agent.use_cases.apply_events import apply_boost
from isp_mikrotik_agent.use_cases.settings import put_settings
from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant

MENUS = ("/ppp/secret", "/queue/simple", "/ip/firewall/address-list", "/ppp/profile")

subscriber_specs = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["active", "suspended", "pending_activation", "terminated"]),
        "fixed_address": st.booleans(),
        "boost": st.booleans(),
        # what the router holds of this subscriber at the start
        "start": st.sampled_from(["missing", "exact", "drifted", "duplicated"]),
    }
)
router_noise = st.fixed_dictionaries(
    {
        "extra_tagged": st.integers(0, 2),  # tagged objects of subscribers nobody wants
        "untagged": st.integers(0, 3),  # the operator's own objects
    }
)


def snapshot(router: Any) -> dict[str, list[dict[str, str]]]:
    return {menu: router.items(menu) for menu in MENUS}


def untagged(state: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    return {m: [i for i in items if not is_tagged(i.get("comment"))] for m, items in state.items()}


def tagged(state: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    return {m: [i for i in items if is_tagged(i.get("comment"))] for m, items in state.items()}


# Feature: isp-management-system, Property 28: Router convergence (docs/properties.md)
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(subscriber_specs, max_size=4),
    noise=router_noise,
    mode=st.sampled_from(list(SuspensionMode)),
    burst=st.booleans(),
)
async def test_one_reconcile_converges_and_a_second_changes_nothing(
    new_tenant: Any,
    sim: SimulatedRouter,
    reset_router: Any,
    new_customer: Any,
    specs: list[dict[str, Any]],
    noise: dict[str, int],
    mode: SuspensionMode,
    burst: bool,
) -> None:
    tenant: Tenant = new_tenant()
    router = reset_router(sim)
    device = await tenant.add_router(sim)
    advanced = PlanAdvancedSnapshot(
        burst_rate_download=40_000 if burst else None,
        burst_rate_upload=20_000 if burst else None,
        burst_threshold=15_000 if burst else None,
        burst_time=8 if burst else None,
        queue_name_template="q-{pppoe_username}",
    )
    plan = await tenant.add_plan(advanced=advanced)
    await tenant.runtime.run(tenant.id, put_settings, SuspensionSettings(mode=mode))

    customers = []
    for number, spec in enumerate(specs):
        address = f"10.20.0.{number + 2}" if spec["fixed_address"] else None
        customer = new_customer(plan.id, status=spec["status"], remote_address=address)
        customers.append(customer)
        await tenant.put_customer(customer)
        if spec["boost"]:
            await tenant.runtime.run(tenant.id, apply_boost, boost_for(customer.id))
        tag = subscriber_tag(tenant.id, customer.id)
        name = str(customer.pppoe_username)
        if spec["start"] in ("exact", "drifted", "duplicated"):
            router.add(
                "/ppp/secret",
                {"name": name, "password": "stale", "profile": "default", "comment": tag},
            )
            router.add(
                "/queue/simple",
                {"name": f"q-{name}", "target": "10.9.9.9", "max-limit": "1M/1M", "comment": tag},
            )
        if spec["start"] == "duplicated":
            router.add(
                "/queue/simple",
                {"name": f"dup-{name}", "target": "10.9.9.8", "comment": tag},
            )
        if spec["start"] == "exact":  # let the agent write it right once, then check nothing moves
            await tenant.reconcile(device.id, full=False)
    for number in range(noise["extra_tagged"]):
        tag = subscriber_tag(tenant.id, uuid.uuid4())
        router.add("/ppp/secret", {"name": f"ghost-{number}", "comment": tag})
        router.add(
            "/queue/simple", {"name": f"ghost-q-{number}", "target": "10.8.0.1", "comment": tag}
        )
        router.add(
            "/ip/firewall/address-list",
            {"list": "isolir", "address": f"10.8.1.{number + 1}", "comment": tag},
        )
    for number in range(noise["untagged"]):
        router.add("/ppp/secret", {"name": f"manual-{number}", "password": "x"})
        router.add(
            "/queue/simple", {"name": f"manual-q-{number}", "target": f"10.7.0.{number + 1}"}
        )
        router.add(
            "/ip/firewall/address-list",
            {"list": "blocked", "address": f"10.7.1.{number + 1}", "comment": "by hand"},
        )
    before = snapshot(router)

    first = await tenant.reconcile(device.id, full=True)
    assert first is not None and first.ok, first
    after = snapshot(router)
    assert untagged(after) == untagged(before)
    assert_router_matches(after, tenant.id, customers, specs, mode, burst)

    second = await tenant.reconcile(device.id, full=True)
    assert second is not None and second.changes == [], second.changes
    assert snapshot(router) == after


def boost_for(customer_id: uuid.UUID) -> BoostSnapshot:
    now = datetime.now(UTC)
    return BoostSnapshot(
        id=uuid.uuid4(),
        customer_id=customer_id,
        status="activated",
        requested_speed_download=50_000,
        requested_speed_upload=25_000,
        duration_hours=2,
        price_per_hour="1000.00",
        total_price="2000.00",
        activated_at=now,
        expires_at=now + timedelta(hours=2),
        version=2,
    )


def assert_router_matches(
    state: dict[str, list[dict[str, str]]],
    scope: uuid.UUID,
    customers: list[Any],
    specs: list[dict[str, Any]],
    mode: SuspensionMode,
    burst: bool,
) -> None:
    mine = tagged(state)
    expected_secrets, expected_queues, expected_entries = {}, {}, set()
    for customer, spec in zip(customers, specs, strict=True):
        if spec["status"] not in ("active", "suspended"):
            continue
        suspended = spec["status"] == "suspended"
        tag = subscriber_tag(scope, customer.id)
        expected_secrets[tag] = (
            customer.pppoe_username,
            "isolir" if suspended and mode is SuspensionMode.ISOLATE else "default",
            "true" if suspended and mode is SuspensionMode.DISABLE else "false",
            customer.remote_address,
        )
        limits = "25000000/50000000" if spec["boost"] else "10000000/20000000"
        target = (
            f"{customer.remote_address}/32"
            if customer.remote_address
            else (f"<pppoe-{customer.pppoe_username}>")
        )
        expected_queues[tag] = (
            f"q-{customer.pppoe_username}",
            target,
            limits,
            "20000000/40000000" if burst else "0/0",
        )
        if suspended and mode is SuspensionMode.ISOLATE and customer.remote_address:
            expected_entries.add((tag, "isolir", customer.remote_address))
    secrets = {
        s["comment"]: (s["name"], s["profile"], s["disabled"], s.get("remote-address"))
        for s in mine["/ppp/secret"]
    }
    assert len(secrets) == len(mine["/ppp/secret"])  # one per subscriber, duplicates gone
    assert secrets == expected_secrets
    queues = {
        q["comment"]: (q["name"], q["target"], q["max-limit"], q["burst-limit"])
        for q in mine["/queue/simple"]
    }
    assert len(queues) == len(mine["/queue/simple"])
    assert queues == expected_queues
    entries = {(e["comment"], e["list"], e["address"]) for e in mine["/ip/firewall/address-list"]}
    assert entries == expected_entries
    profiles = [p["name"] for p in mine["/ppp/profile"]]
    assert profiles == (["isolir"] if mode is SuspensionMode.ISOLATE else [])
