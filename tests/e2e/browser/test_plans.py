"""Service plans in a browser: an admin creates a plan (a wrong field first shows its error at
the field), edits its advanced configuration and reads the change in the changelog; a viewer
sees the plans without a single write control."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

PLAN_URL = re.compile(r"/console/plans/[0-9a-f-]{36}")


def _plan_named(admin_api: httpx.Client, name: str) -> dict[str, Any] | None:
    found = admin_api.get("/service-plans", params={"search": name})
    assert found.status_code == 200, found.text
    return next((p for p in found.json()["data"] if p["name"] == name), None)


@pytest.fixture()
def plan_name(admin_api: httpx.Client) -> Iterator[str]:
    name = f"Browser Plan {uuid.uuid4().hex[:8]}"
    yield name
    made = _plan_named(admin_api, name)
    if made:
        admin_api.delete(f"/service-plans/{made['id']}")


@pytest.fixture()
def existing_plan(admin_api: httpx.Client) -> Iterator[dict[str, Any]]:
    body = {
        "name": f"Browser Viewer Plan {uuid.uuid4().hex[:8]}",
        "bandwidth_download": 30000,
        "bandwidth_upload": 15000,
        "monthly_price": "300000.00",
    }
    made = admin_api.post("/service-plans", json=body)
    assert made.status_code == 201, made.text
    plan: dict[str, Any] = made.json()["data"]
    yield plan
    admin_api.delete(f"/service-plans/{plan['id']}")


def test_an_admin_creates_a_plan_and_configures_it(
    new_page: Any, login_as: Any, check_accessibility: Any, admin_api: httpx.Client, plan_name: str
) -> None:
    page = new_page()
    login_as(page, "admin")
    page.goto("/console/plans")
    expect(page.locator("h1")).to_have_text("Service plans")
    check_accessibility(page)

    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Name").fill(plan_name)
    page.get_by_label("Download (kbps)").fill("fast")
    page.get_by_label("Upload (kbps)").fill("10000")
    page.get_by_label("Monthly price").fill("175000")
    page.get_by_role("button", name="Create plan").click()
    expect(page.locator("#e-bandwidth_download")).to_have_text("Enter a whole number.")
    expect(page.get_by_label("Name")).to_have_value(plan_name)  # what was typed stays
    check_accessibility(page)
    assert _plan_named(admin_api, plan_name) is None

    page.get_by_label("Download (kbps)").fill("20000")
    page.get_by_role("button", name="Create plan").click()
    expect(page).to_have_url(PLAN_URL)
    expect(page.locator("h1")).to_contain_text(plan_name)
    made = _plan_named(admin_api, plan_name)
    assert made is not None
    assert (made["bandwidth_download"], made["monthly_price"]) == (20000, "175000.00")
    check_accessibility(page)

    page.get_by_label("VLAN ID").fill("5000")
    page.get_by_role("button", name="Save advanced configuration").click()
    expect(page.locator("#e-vlan_id")).to_have_text("Enter 4094 or less.")
    page.get_by_label("VLAN ID").fill("120")
    page.get_by_label("Grace period (days)").fill("3")
    page.get_by_label("Billing cycle").select_option("quarterly")
    page.get_by_role("button", name="Save advanced configuration").click()
    expect(page.locator(".flash-ok")).to_be_visible()
    changelog = page.get_by_role("region", name="Changelog")
    expect(changelog.get_by_role("row").filter(has_text="advanced.vlan_id")).to_contain_text("120")
    check_accessibility(page)
    detail = admin_api.get(f"/service-plans/{made['id']}").json()["data"]
    assert detail["advanced"]["vlan_id"] == 120
    assert detail["advanced"]["billing_cycle"] == "quarterly"
    assert detail["advanced"]["grace_period_days"] == 3

    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("button", name="Activate")).to_be_visible()
    assert admin_api.get(f"/service-plans/{made['id']}").json()["data"]["is_active"] is False


def test_a_viewer_sees_plans_without_write_controls(
    new_page: Any, login_as: Any, check_accessibility: Any, existing_plan: dict[str, Any]
) -> None:
    page = new_page(viewport="phone")
    login_as(page, "viewer")
    page.goto("/console/plans")
    expect(page.locator("h1")).to_have_text("Service plans")
    expect(page.get_by_role("link", name="New plan")).to_have_count(0)
    check_accessibility(page)

    page.goto(f"/console/plans/{existing_plan['id']}")
    expect(page.locator("h1")).to_contain_text(existing_plan["name"])
    for label in ("Edit", "Deactivate", "Delete", "Save advanced configuration"):
        expect(page.get_by_role("button", name=label)).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_label("VLAN ID")).to_be_disabled()
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
