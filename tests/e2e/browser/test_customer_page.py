"""The customer page in a browser: an admin activates a new customer and watches the router
provision them (the simulated router holds their PPPoE secret); finance records a payment (a
wrong amount first shows its error at the field), opens the receipt PDF and voids the payment;
a viewer reads the page without a single write control."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect


def _a_plan(admin_api: httpx.Client) -> str:
    plans = admin_api.get("/service-plans", params={"is_active": "true", "per_page": 100})
    assert plans.status_code == 200, plans.text
    assert plans.json()["data"], "the demo tenant has an active plan"
    return str(plans.json()["data"][0]["id"])


@pytest.fixture()
def new_customer(admin_api: httpx.Client) -> Iterator[dict[str, Any]]:
    tag = uuid.uuid4().hex[:8]
    made = admin_api.post(
        "/customers",
        json={
            "full_name": f"Browser Customer {tag}",
            "phone": "+62812" + str(uuid.uuid4().int)[:7],
            "address": f"Jl. Peramban {tag}",
            "service_plan_id": _a_plan(admin_api),
            "pppoe_username": f"browser-{tag}",
            "pppoe_password": f"Pw-{uuid.uuid4().hex[:12]}",
        },
    )
    assert made.status_code == 201, made.text
    customer: dict[str, Any] = made.json()["data"]
    yield customer
    admin_api.delete(f"/customers/{customer['id']}")


def _sections_loaded(page: Any) -> None:
    for section in ("provisioning", "billing", "activity", "usage", "audit"):
        expect(page.locator(f"#{section}")).not_to_contain_text("Loading…")


def test_an_admin_activates_a_customer_and_the_router_provisions_them(
    new_page: Any,
    login_as: Any,
    check_accessibility: Any,
    admin_api: httpx.Client,
    simulated_router: Any,
    new_customer: dict[str, Any],
) -> None:
    page = new_page()
    login_as(page, "admin")
    page.goto(f"/console/customers/{new_customer['id']}")
    expect(page.locator("h1")).to_contain_text(new_customer["full_name"])
    _sections_loaded(page)
    check_accessibility(page)

    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#messages")).to_contain_text("The customer was activated.")
    assert admin_api.get(f"/customers/{new_customer['id']}").json()["data"]["status"] == "active"

    provisioning = page.locator("#provisioning")
    expect(provisioning).to_contain_text("Provisioned", timeout=30_000)
    timeline = provisioning.locator("table")
    expect(timeline).to_contain_text("/ppp/secret")
    expect(timeline).to_contain_text(new_customer["pppoe_username"])
    expect(
        page.locator("#h-actions + .lifecycle, .lifecycle").get_by_text("Suspend", exact=True)
    ).to_be_visible()
    check_accessibility(page)

    secrets = list(simulated_router.path("/ppp/secret"))
    assert new_customer["pppoe_username"] in {s.get("name") for s in secrets}


def test_finance_records_a_payment_opens_its_receipt_and_voids_it(
    new_page: Any,
    login_as: Any,
    check_accessibility: Any,
    admin_api: httpx.Client,
    new_customer: dict[str, Any],
) -> None:
    page = new_page()
    login_as(page, "finance")
    page.goto(f"/console/customers/{new_customer['id']}")
    _sections_loaded(page)
    expect(page.locator("main").get_by_role("button", name="Activate")).to_have_count(0)

    billing = page.locator("#billing")
    billing.get_by_text("Record a payment").click()
    billing.get_by_label("Amount").fill("-5")
    billing.get_by_label("Reference").fill("BRW-1")
    billing.get_by_role("button", name="Save the payment").click()
    expect(billing.locator("#e-amount")).to_contain_text("more than zero")
    expect(billing.get_by_label("Reference")).to_have_value("BRW-1")
    check_accessibility(page)

    billing.get_by_label("Amount").fill("150000")
    billing.get_by_label("Period").fill("2026-12")
    billing.get_by_role("button", name="Save the payment").click()
    expect(billing).to_contain_text("Payment recorded.")
    payments = admin_api.get(f"/customers/{new_customer['id']}/payments").json()["data"]
    assert [(p["amount"], p["status"], p["reference_number"]) for p in payments] == [
        ("150000.00", "completed", "BRW-1")
    ]
    payment = payments[0]
    receipt_link = billing.get_by_role("link", name=payment["receipt_number"])
    expect(receipt_link).to_have_attribute(
        "href", re.compile(rf"/console/payments/{payment['id']}/receipt$")
    )
    receipt = page.request.get(f"/console/payments/{payment['id']}/receipt")
    assert receipt.status == 200
    assert receipt.headers["content-type"].startswith("application/pdf")
    assert receipt.body().startswith(b"%PDF")

    page.once("dialog", lambda dialog: dialog.accept())
    billing.get_by_label(f"Reason for voiding {payment['receipt_number']}").fill("typed twice")
    billing.get_by_role("button", name="Void").click()
    expect(billing).to_contain_text("Payment voided.")
    voided = admin_api.get(f"/payments/{payment['id']}").json()["data"]
    assert (voided["status"], voided["void_reason"]) == ("void", "typed twice")
    check_accessibility(page)


def test_a_viewer_reads_the_page_without_any_write_control(
    new_page: Any, login_as: Any, check_accessibility: Any, new_customer: dict[str, Any]
) -> None:
    page = new_page(viewport="phone")
    login_as(page, "viewer")
    page.goto(f"/console/customers/{new_customer['id']}")
    expect(page.locator("h1")).to_contain_text(new_customer["full_name"])
    _sections_loaded(page)
    expect(page.locator("#audit")).to_contain_text("customer")
    main = page.locator("main")
    expect(main.locator("form")).to_have_count(0)
    for name in ("Activate", "Suspend", "Terminate", "Delete", "Record a payment"):
        expect(main.get_by_text(name, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name="New ticket for this customer")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(page)
