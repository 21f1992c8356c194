"""Two tenants whose routers are one device (the simulator) keep each other's objects: each
one's tag names its tenant, and a full sync removes only its own. Objects of the first tag
format (no tenant) are adopted: retagged in place, never removed and added again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from isp_mikrotik_agent.domain.desired import SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.domain.tags import legacy_subscriber_tag, subscriber_tag
from isp_mikrotik_agent.use_cases.settings import put_settings
from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant


async def _with_customers(
    tenant: Tenant, sim: SimulatedRouter, new_customer: Any, address: str = "10.30.0.7"
) -> Any:
    await tenant.runtime.run(
        tenant.id, put_settings, SuspensionSettings(mode=SuspensionMode.ISOLATE)
    )
    device = await tenant.add_router(sim)
    plan = await tenant.add_plan()
    customers = [
        new_customer(plan.id, status="active"),
        new_customer(plan.id, status="suspended", remote_address=address),
    ]
    for customer in customers:
        await tenant.put_customer(customer)
    return device, customers


async def test_two_tenants_on_one_router_keep_each_others_objects(
    new_tenant: Callable[[], Tenant], sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    router = reset_router(sim)
    a, b = new_tenant(), new_tenant()
    device_a, customers_a = await _with_customers(a, sim, new_customer)
    device_b, customers_b = await _with_customers(b, sim, new_customer, "10.30.0.8")

    for tenant, device in ((a, device_a), (b, device_b), (a, device_a), (b, device_b)):
        report = await tenant.reconcile(device.id, full=True)
        assert report is not None and report.ok, report
        assert not [c for c in report.changes if c.kind.value == "remove"], report.changes

    for tenant, customers in ((a, customers_a), (b, customers_b)):
        for customer in customers:
            tag = subscriber_tag(tenant.id, customer.id)
            assert len(router.find("/ppp/secret", comment=tag)) == 1
            assert len(router.find("/queue/simple", comment=tag)) == 1
    # One isolation profile: the first tenant's; the second uses it as it is.
    assert len(router.find("/ppp/profile", name="isolir")) == 1
    assert len(router.find("/ip/firewall/address-list", list="isolir", dynamic="false")) == 2
    again = await b.reconcile(device_b.id, full=True)
    assert again is not None and again.changes == []


async def test_an_old_style_tag_is_rewritten_in_place(
    tenant: Tenant, sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    router = reset_router(sim)
    device, [active, _] = await _with_customers(tenant, sim, new_customer)
    await tenant.reconcile(device.id, full=True)
    secret = router.find("/ppp/secret", name=active.pppoe_username)[0]
    queue = router.find("/queue/simple", name=active.customer_code)[0]
    old = legacy_subscriber_tag(active.id)
    for menu, item in (("/ppp/secret", secret), ("/queue/simple", queue)):
        router.execute([f"{menu}/set", f"=.id={item['.id']}", f"=comment={old}"])
    # Another tenant's subscriber tagged the old way is none of this tenant's business.
    stranger = new_customer(active.service_plan_id)
    router.add(
        "/ppp/secret",
        {"name": "stranger", "password": "x", "comment": legacy_subscriber_tag(stranger.id)},
    )

    report = await tenant.reconcile(device.id, full=True)

    assert report is not None and report.ok
    kinds = {c.kind.value for c in report.changes}
    assert kinds == {"set"}, [c.described() for c in report.changes]
    new = subscriber_tag(tenant.id, active.id)
    assert [s[".id"] for s in router.find("/ppp/secret", comment=new)] == [secret[".id"]]
    assert [q[".id"] for q in router.find("/queue/simple", comment=new)] == [queue[".id"]]
    assert router.find("/ppp/secret", name="stranger")  # left alone


async def test_a_targeted_reconcile_adopts_too(
    tenant: Tenant, sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    router = reset_router(sim)
    device = await tenant.add_router(sim)
    plan = await tenant.add_plan()
    customer = new_customer(plan.id, status="active")
    old = legacy_subscriber_tag(customer.id)
    secret_id = router.add(
        "/ppp/secret",
        {"name": str(customer.pppoe_username), "password": "stale", "comment": old},
    )
    await tenant.put_customer(customer)

    report = await tenant.reconcile(device.id, full=False)

    assert report is not None and report.ok
    secrets = router.find("/ppp/secret", name=customer.pppoe_username)
    assert [s[".id"] for s in secrets] == [secret_id]
    assert secrets[0]["comment"] == subscriber_tag(tenant.id, customer.id)
