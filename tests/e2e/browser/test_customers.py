"""Customers and the dashboard in a browser: an admin creates a customer (a bad phone first is
shown at its field, the typed values kept), lands on the new customer's page, finds them again
by searching as they type; the dashboard answers; a viewer sees no control that would write."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_an_admin_creates_a_customer_fixing_a_field_the_api_refused(
    new_page: Any, login_as: Any, check_accessibility: Any, admin_api: httpx.Client
) -> None:
    tag = uuid.uuid4().hex[:8]
    name = f"Form Customer {tag}"
    page = new_page()
    login_as(page, "admin")
    page.goto("/console/customers/new")
    check_accessibility(page)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Phone").fill("not a phone")
    page.get_by_label("Street address").fill(f"Jl. Formulir {tag}")
    page.locator("#f-service_plan_id").select_option(index=1)
    page.get_by_role("button", name="Create customer").click()

    expect(page.locator("#e-phone")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value(name)
    check_accessibility(page)

    page.get_by_label("Phone").fill("+62814" + str(uuid.uuid4().int)[:7])
    page.get_by_role("button", name="Create customer").click()
    expect(page).to_have_url(re.compile(f"/console/customers/{UUID}$"))
    customer_id = page.url.rsplit("/", 1)[-1]
    stored = admin_api.get(f"/customers/{customer_id}")
    assert stored.status_code == 200, stored.text
    assert stored.json()["data"]["full_name"] == name

    page.goto("/console/customers")
    page.locator("#f-search").press_sequentially(tag, delay=30)
    expect(page.locator("#customer-rows")).to_contain_text(name)
    check_accessibility(page)
    admin_api.delete(f"/customers/{customer_id}")


def test_the_dashboard_answers_and_a_viewer_sees_no_write_control(
    new_page: Any, login_as: Any, check_accessibility: Any
) -> None:
    page = new_page()
    login_as(page, "viewer")
    page.goto("/console/")
    expect(page.locator("h1")).to_be_visible()
    check_accessibility(page)
    page.goto("/console/customers")
    main = page.locator("main")
    expect(main.get_by_role("link", name="New customer")).to_have_count(0)
    expect(main.get_by_role("link", name="Import CSV")).to_have_count(0)
    check_accessibility(page)
