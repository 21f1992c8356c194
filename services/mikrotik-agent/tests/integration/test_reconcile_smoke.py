from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routeros_sim import SimulatedRouter

if TYPE_CHECKING:
    from conftest import Tenant


async def test_an_active_customer_gets_a_secret_and_a_queue(
    tenant: Tenant, sim: SimulatedRouter, reset_router: Any, new_customer: Any
) -> None:
    router = reset_router(sim)
    device = await tenant.add_router(sim)
    plan = await tenant.add_plan()
    customer = new_customer(plan.id)
    await tenant.put_customer(customer)
    report = await tenant.reconcile(device.id, full=False)
    assert report is not None and report.ok, report
    secrets = router.find("/ppp/secret", name=customer.pppoe_username)
    assert len(secrets) == 1
    queues = router.find("/queue/simple", name=customer.customer_code)
    assert queues[0]["max-limit"] == "10000000/20000000"
    first_full = await tenant.reconcile(device.id, full=True)
    assert first_full is not None  # adds the isolation profile the tenant's mode needs
    again = await tenant.reconcile(device.id, full=True)
    assert again is not None and again.changes == [], again.changes
