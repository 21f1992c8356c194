"""Property 29 against the simulator over real TCP: the queue's max-limit is the boost's while
one is active and the plan's otherwise (a speed change never drops the PPPoE session); a
suspended subscriber is isolated in the tenant's mode and dropped so it dials in again, and a
restored one is not isolated."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isp_common.contracts.boost import BoostSnapshot

from isp_mikrotik_agent.domain.desired import SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.use_cases.apply_events import apply_boost
from isp_mikrotik_agent.use_cases.settings import put_settings
from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant

ISOLATION = "isolir"


def boost(customer_id: uuid.UUID, up: int, down: int, status: str, version: int) -> BoostSnapshot:
    now = datetime.now(UTC)
    return BoostSnapshot(
        id=uuid.UUID(int=customer_id.int ^ 1),
        customer_id=customer_id,
        status=status,
        requested_speed_download=down,
        requested_speed_upload=up,
        duration_hours=1,
        price_per_hour="500.00",
        total_price="500.00",
        activated_at=now,
        expires_at=now + timedelta(hours=1),
        version=version,
    )


# Feature: isp-management-system, Property 29: Queue limits (docs/properties.md)
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan_speeds=st.tuples(st.integers(1_000, 100_000), st.integers(1_000, 100_000)),
    boost_speeds=st.none() | st.tuples(st.integers(1_000, 500_000), st.integers(1_000, 500_000)),
    mode=st.sampled_from(list(SuspensionMode)),
    fixed_address=st.booleans(),
)
async def test_limits_follow_the_boost_and_suspension_isolates_until_restored(
    new_tenant: Any,
    sim: SimulatedRouter,
    reset_router: Any,
    new_customer: Any,
    plan_speeds: tuple[int, int],
    boost_speeds: tuple[int, int] | None,
    mode: SuspensionMode,
    fixed_address: bool,
) -> None:
    tenant: Tenant = new_tenant()
    router = reset_router(sim)
    device = await tenant.add_router(sim)
    up, down = plan_speeds
    plan = await tenant.add_plan(bandwidth_upload=up, bandwidth_download=down)
    await tenant.runtime.run(tenant.id, put_settings, SuspensionSettings(mode=mode))
    address = "10.30.0.7" if fixed_address else None
    customer = new_customer(plan.id, status="active", remote_address=address)
    name = str(customer.pppoe_username)
    await tenant.put_customer(customer)
    await tenant.reconcile(device.id, full=False)

    def queue() -> dict[str, str]:
        [found] = router.find("/queue/simple", name=customer.customer_code)
        return found

    def secret() -> dict[str, str]:
        [found] = router.find("/ppp/secret", name=name)
        return found

    def static_isolation() -> list[dict[str, str]]:
        return [
            e
            for e in router.find("/ip/firewall/address-list", list=ISOLATION)
            if e["dynamic"] == "false"
        ]

    assert queue()["max-limit"] == f"{up * 1000}/{down * 1000}"
    session = router.connect_session(name)

    if boost_speeds is not None:  # boost on, then off: the session survives both
        await tenant.runtime.run(
            tenant.id, apply_boost, boost(customer.id, *boost_speeds, "activated", 1)
        )
        await tenant.reconcile(device.id, full=False)
        assert queue()["max-limit"] == f"{boost_speeds[0] * 1000}/{boost_speeds[1] * 1000}"
        await tenant.runtime.run(
            tenant.id, apply_boost, boost(customer.id, *boost_speeds, "ended", 2)
        )
        await tenant.reconcile(device.id, full=False)
        assert queue()["max-limit"] == f"{up * 1000}/{down * 1000}"
        assert [s[".id"] for s in router.find("/ppp/active", name=name)] == [session]

    await tenant.put_customer(customer.model_copy(update={"status": "suspended", "version": 2}))
    await tenant.reconcile(device.id, full=False)
    assert router.find("/ppp/active", name=name) == []  # dropped: it must dial in again
    if mode is SuspensionMode.ISOLATE:
        assert secret()["profile"] == ISOLATION and secret()["disabled"] == "false"
        assert [e["address"] for e in static_isolation()] == ([address] if address else [])
        router.connect_session(name)  # on the isolation profile: listed on connect
        assert (address or router.online()[name]) in {
            e["address"] for e in router.find("/ip/firewall/address-list", list=ISOLATION)
        }
    else:
        assert secret()["disabled"] == "true" and secret()["profile"] == "default"
        assert static_isolation() == []

    await tenant.put_customer(customer.model_copy(update={"status": "active", "version": 3}))
    await tenant.reconcile(device.id, full=False)
    assert secret()["profile"] == "default" and secret()["disabled"] == "false"
    assert static_isolation() == []
    assert router.find("/ppp/active", name=name) == []
    router.connect_session(name)
    assert router.find("/ip/firewall/address-list", list=ISOLATION) == []
    assert queue()["max-limit"] == f"{up * 1000}/{down * 1000}"
