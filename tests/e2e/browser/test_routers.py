"""The routers in a browser: a technician finds the router out of step with the platform (a
subscriber's queue removed behind the agent's back), sees the change a sync would make before
anything is sent, applies it, and the router has the queue again; a viewer sees the router
without a control that would write."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

PROVISION_SECONDS = 60.0


def until(condition: Callable[[], bool], what: str, timeout: float = PROVISION_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not in time: {what}"
        time.sleep(0.2)  # polling a condition with a deadline, not waiting for a time


def queue_names(router: Any) -> set[str]:
    return {str(queue.get("name")) for queue in router.path("/queue/simple")}


def default_router(admin_api: httpx.Client) -> dict[str, Any]:
    routers = admin_api.get("/routers")
    assert routers.status_code == 200, routers.text
    found = routers.json()["data"]
    assert found, "the demo tenant has the simulator as its router"
    return dict(found[0])


@pytest.fixture()
def active_customer(admin_api: httpx.Client, simulated_router: Any) -> Iterator[dict[str, Any]]:
    plans = admin_api.get("/service-plans", params={"is_active": "true"}).json()["data"]
    tag = uuid.uuid4().hex[:8]
    made = admin_api.post(
        "/customers",
        json={
            "full_name": f"Router Drift {tag}",
            "phone": "+62813" + str(uuid.uuid4().int)[:7],
            "address": f"Jl. Antena {tag}",
            "service_plan_id": plans[0]["id"],
            "pppoe_username": f"drift-{tag}",
            "pppoe_password": f"Pw-{uuid.uuid4().hex[:12]}",
        },
    )
    assert made.status_code == 201, made.text
    customer: dict[str, Any] = made.json()["data"]
    activated = admin_api.post(f"/customers/{customer['id']}/activate", json={})
    assert activated.status_code == 200, activated.text
    code = customer["customer_code"]
    until(lambda: code in queue_names(simulated_router), "the customer's queue on the router")
    yield customer
    admin_api.delete(f"/customers/{customer['id']}")


def test_a_technician_previews_the_sync_then_applies_it(
    new_page: Any,
    login_as: Any,
    check_accessibility: Any,
    admin_api: httpx.Client,
    simulated_router: Any,
    active_customer: dict[str, Any],
) -> None:
    router = default_router(admin_api)
    code = active_customer["customer_code"]
    page = new_page()
    login_as(page, "technician")
    page.goto("/console/routers")
    check_accessibility(page)
    page.get_by_role("link", name=router["name"]).first.click()
    expect(page.locator("h1")).to_contain_text(router["name"])

    # Behind the agent's back: the customer's queue is gone from the router.
    queues = simulated_router.path("/queue/simple")
    for queue in list(queues):
        if queue.get("name") == code:
            queues.remove(queue[".id"])
    assert code not in queue_names(simulated_router)

    sync = page.locator("#sync")
    page.get_by_role("button", name="Preview the sync").click()
    expect(sync).to_contain_text("Changes the sync would make")
    expect(sync.locator(".change-add", has_text=code)).to_have_count(1)
    check_accessibility(page)
    # The preview sent nothing.
    assert code not in queue_names(simulated_router)

    page.get_by_role("button", name="Apply these changes").click()
    expect(sync).to_contain_text("Sync finished.", timeout=30_000)
    assert code in queue_names(simulated_router)
    check_accessibility(page)


def test_a_viewer_sees_a_router_without_write_controls(
    new_page: Any, login_as: Any, admin_api: httpx.Client
) -> None:
    router = default_router(admin_api)
    page = new_page()
    login_as(page, "viewer")
    page.goto(f"/console/routers/{router['id']}")
    expect(page.locator("h1")).to_contain_text(router["name"])
    main = page.locator("main")
    for name in ("Preview the sync", "Test connection", "Apply these changes"):
        expect(main.get_by_role("button", name=name)).to_have_count(0)
