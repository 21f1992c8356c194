"""Tickets in a browser: the support desk opens a ticket for a customer and works it through
every step (assign, start, comment, resolve, close), each visible on the page and true in the
API; a viewer reads the same ticket without a single write control."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

TICKET_URL = re.compile(r"/console/tickets/([0-9a-f-]{36})")


def _ok(answer: httpx.Response) -> Any:
    assert answer.status_code < 300, f"{answer.request.url}: {answer.status_code} {answer.text}"
    return answer.json()["data"]


@pytest.fixture()
def customer(admin_api: httpx.Client) -> Iterator[dict[str, Any]]:
    tag = uuid.uuid4().hex[:8]
    plans = _ok(admin_api.get("/service-plans", params={"is_active": "true", "per_page": 1}))
    made = _ok(
        admin_api.post(
            "/customers",
            json={
                "full_name": f"Ticket Customer {tag}",
                "phone": "+62813" + str(uuid.uuid4().int)[:7],
                "address": f"Jl. Tiket {tag}",
                "service_plan_id": plans[0]["id"],
                "pppoe_username": f"ticket-{tag}",
                "pppoe_password": f"Pw-{uuid.uuid4().hex[:12]}",
            },
        )
    )
    yield made
    admin_api.delete(f"/customers/{made['id']}")


def _ticket(admin_api: httpx.Client, ticket_id: str) -> dict[str, Any]:
    ticket: dict[str, Any] = _ok(admin_api.get(f"/tickets/{ticket_id}"))
    return ticket


def test_support_works_a_ticket_from_opening_to_closing(
    new_page: Any,
    login_as: Any,
    check_accessibility: Any,
    admin_api: httpx.Client,
    customer: dict[str, Any],
) -> None:
    page = new_page()
    login_as(page, "support")
    title = f"No signal at {customer['customer_code']}"

    page.goto(f"/console/tickets/new?customer_id={customer['id']}")
    expect(page.locator("main")).to_contain_text(customer["full_name"])
    check_accessibility(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("The ONU shows a red LOS light.")
    page.get_by_label("Category").select_option("technical")
    page.get_by_label("Priority").select_option("high")
    page.get_by_role("button", name="Open the ticket").click()
    page.wait_for_url(TICKET_URL)
    ticket_id = TICKET_URL.search(page.url).group(1)  # type: ignore[union-attr]
    expect(page.locator("#messages")).to_contain_text("The ticket was opened.")
    expect(page.locator("h1")).to_contain_text(title)
    opened = _ticket(admin_api, ticket_id)
    assert (opened["status"], opened["priority"]) == ("open", "high")
    assert opened["customer_id"] == customer["id"]
    check_accessibility(page)

    # Support cannot read the staff list, so the assignee is typed.
    page.get_by_label("Assign to").fill("field-team@example.test")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("The ticket was assigned.")
    expect(page.locator(".assignee")).to_have_text("field-team@example.test")
    assert _ticket(admin_api, ticket_id)["assigned_to"] == "field-team@example.test"

    page.get_by_role("button", name="Start work").click()
    expect(page.locator(".ticket-status")).to_contain_text("In progress")
    assert _ticket(admin_api, ticket_id)["status"] == "in_progress"

    page.get_by_label("Comment").fill("Connector at the ODP replaced.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".timeline")).to_contain_text("Connector at the ODP replaced.")
    activities = _ticket(admin_api, ticket_id)["activities"]
    assert any(a["activity_type"] == "commented" for a in activities)

    page.get_by_label("Resolution notes").fill("Signal back at -19 dBm.")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".ticket-status")).to_contain_text("Resolved")
    expect(page.locator(".resolution-notes")).to_have_text("Signal back at -19 dBm.")
    assert _ticket(admin_api, ticket_id)["status"] == "resolved"

    page.get_by_role("button", name="Close the ticket").click()
    expect(page.locator(".ticket-status")).to_contain_text("Closed")
    closed = _ticket(admin_api, ticket_id)
    assert closed["status"] == "closed" and closed["closed_at"]
    expect(page.get_by_label("Comment")).to_have_count(0)
    check_accessibility(page)

    page.goto(f"/console/tickets?status=all&search={customer['customer_code']}")
    row = page.locator("tbody tr", has_text=title)
    expect(row).to_contain_text("Closed")
    check_accessibility(page)


def test_the_queue_puts_the_soonest_due_first(
    new_page: Any,
    login_as: Any,
    check_accessibility: Any,
    admin_api: httpx.Client,
    customer: dict[str, Any],
) -> None:
    tag = uuid.uuid4().hex[:6]
    for priority in ("low", "urgent"):
        _ok(
            admin_api.post(
                "/tickets",
                json={
                    "title": f"Queue {tag} {priority}",
                    "description": "Order check",
                    "category": "request",
                    "priority": priority,
                    "customer_id": customer["id"],
                },
            )
        )
    page = new_page(viewport="phone")
    login_as(page, "technician")
    page.goto(f"/console/tickets?search=Queue+{tag}")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(f"Queue {tag} urgent")  # due in 4 hours, not 72
    check_accessibility(page)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the queue overflows a phone: {width}px"


def test_a_viewer_sees_a_ticket_without_write_controls(
    new_page: Any,
    login_as: Any,
    check_accessibility: Any,
    admin_api: httpx.Client,
    customer: dict[str, Any],
) -> None:
    ticket = _ok(
        admin_api.post(
            "/tickets",
            json={
                "title": "Viewer reads this",
                "description": "Read only",
                "category": "billing",
                "customer_id": customer["id"],
            },
        )
    )
    page = new_page()
    login_as(page, "viewer")
    page.goto("/console/tickets")
    expect(page.get_by_role("link", name="New ticket")).to_have_count(0)
    page.goto(f"/console/tickets/{ticket['id']}")
    expect(page.locator("h1")).to_contain_text("Viewer reads this")
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No action is open to you in this status.")
    check_accessibility(page)
    page.goto("/console/tickets/sla")
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator("main table")).to_contain_text("Urgent")
    check_accessibility(page)
