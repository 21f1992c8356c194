"""The subscriber portal on a phone: the account, an invoice and its receipt, a speed boost priced
before it is confirmed, a ticket, a new password; nothing overflows the screen, every screen
passes axe, and another customer's invoice is not found."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from babel.numbers import format_currency
from playwright.sync_api import expect

PHONE_WIDTH = 390
LOGIN_URL = re.compile(r"/portal/login(\?.*)?$")
HOME_URL = re.compile(r"/portal/(\?.*)?$")


def _until(fetch: Any, ready: Any, what: str, timeout: float = 45) -> Any:
    """The platform's services learn of each other through events: wait for one to arrive."""
    deadline = time.monotonic() + timeout
    while True:
        found = fetch()
        if ready(found):
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}: {found}")
        time.sleep(0.3)


def _ok(answer: httpx.Response) -> Any:
    assert answer.status_code < 300, f"{answer.request.url}: {answer.status_code} {answer.text}"
    return answer.json()["data"] if answer.content else None


@pytest.fixture(scope="module")
def subscriber(admin_api: httpx.Client) -> Iterator[dict[str, Any]]:
    """An active customer of their own with an invoice issued by a billing run and a payment."""
    plans = [
        p
        for p in _ok(admin_api.get("/service-plans", params={"per_page": 50, "is_active": True}))
        if p.get("bandwidth_download") and p.get("bandwidth_upload")
    ]
    assert plans, "the demo tenant has no active plan with speeds (isp up seeds some)"
    tag = uuid.uuid4().hex[:8]
    customer = _ok(
        admin_api.post(
            "/customers",
            json={
                "full_name": f"Portal Phone {tag}",
                "phone": f"+62814{int(tag, 16) % 10**8:08d}",
                "address": "Jl. Portal 7",
                "service_plan_id": plans[0]["id"],
                "pppoe_username": f"portal-{tag}",
                "pppoe_password": f"portal-{tag}-pw",
            },
        )
    )
    _ok(admin_api.post(f"/customers/{customer['id']}/activate", json={}))

    def invoices() -> list[dict[str, Any]]:
        admin_api.post("/billing/runs", json={"as_of": date.today().isoformat()})
        found: list[dict[str, Any]] = _ok(
            admin_api.get("/invoices", params={"customer_id": customer["id"]})
        )
        return found

    customer["invoice"] = _until(invoices, bool, "the billing run's invoice")[0]
    customer["payment"] = _ok(
        admin_api.post(
            "/payments",
            json={
                "customer_id": customer["id"],
                "amount": "10000.00",
                "payment_method": "cash",
                "payment_for": "monthly_subscription",
            },
        )
    )
    pricing = _ok(admin_api.get("/speed-boosts/pricing"))
    if not pricing["is_configured"]:
        pricing = _ok(admin_api.put("/speed-boosts/pricing", json={"price_per_hour": "5000.00"}))
    customer["price_per_hour"] = Decimal(pricing["price_per_hour"])
    yield customer
    admin_api.delete(f"/customers/{customer['id']}")


def _screen_is_fine(page: Any, check_accessibility: Any) -> None:
    """What every portal screen must be: nothing wider than the phone, nothing axe objects to."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px screen"
    check_accessibility(page)


def test_a_subscriber_uses_the_portal_on_a_phone(
    new_page: Any,
    login_subscriber: Any,
    fill_login: Any,
    admin_api: httpx.Client,
    subscriber: dict[str, Any],
    check_accessibility: Any,
) -> None:
    page = new_page(viewport="phone")
    login = login_subscriber(page, subscriber["id"])
    expect(page.locator("h1")).to_contain_text(subscriber["full_name"])
    expect(page.locator("main")).to_contain_text(subscriber["customer_code"])
    _screen_is_fine(page, check_accessibility)

    # The invoice, then the receipt of the payment as a PDF.
    invoice = subscriber["invoice"]
    page.goto("/portal/invoices")
    expect(page.locator("main")).to_contain_text(invoice["invoice_number"])
    _screen_is_fine(page, check_accessibility)
    page.get_by_role("link", name=re.compile(invoice["invoice_number"])).click()
    expect(page.locator("h1")).to_contain_text(invoice["invoice_number"])
    _screen_is_fine(page, check_accessibility)
    page.goto("/portal/invoices")
    receipt_link = page.get_by_role("link", name=re.compile(r"\(PDF\)"))
    expect(receipt_link).to_have_count(1)
    document = page.request.get(receipt_link.get_attribute("href"))
    assert document.status == 200
    assert document.headers["content-type"].startswith("application/pdf")
    assert document.body().startswith(b"%PDF")

    # A boost: its price shown before it is confirmed, then pending (in the API too).
    page.goto("/portal/boost")
    _screen_is_fine(page, check_accessibility)
    page.locator("input[name=speed]").first.check()
    page.get_by_label("For how long").select_option("3")
    page.get_by_role("button", name="See the price").click()
    total = subscriber["price_per_hour"] * 3
    shown_total = format_currency(total, "IDR", locale="en_US")
    quote = page.locator("#quote")
    expect(quote).to_contain_text(shown_total)
    _screen_is_fine(page, check_accessibility)
    quote.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.locator("#messages")).to_contain_text("Your boost request was sent")
    expect(page.locator("table")).to_contain_text("Pending")
    requested = _ok(admin_api.get("/speed-boosts", params={"customer_id": subscriber["id"]}))
    assert [(r["status"], Decimal(r["total_price"])) for r in requested] == [("pending", total)]

    # A ticket and a message on it.
    page.goto("/portal/tickets/new")
    _screen_is_fine(page, check_accessibility)
    title = f"No internet since this morning {uuid.uuid4().hex[:6]}"
    page.get_by_label("Topic").select_option("technical")
    page.get_by_label("Subject").fill(title)
    page.get_by_label("What happened?").fill("The light on the modem is red.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#messages")).to_contain_text("Your request was sent")
    _screen_is_fine(page, check_accessibility)
    page.get_by_label("Add a message").fill("It is still red after a restart.")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#activity")).to_contain_text("It is still red after a restart.")
    tickets = _ok(admin_api.get("/tickets", params={"customer_id": subscriber["id"]}))
    assert [t["title"] for t in tickets] == [title]

    page.goto("/portal/usage")
    expect(page.locator("h1")).to_have_text("My usage")
    _screen_is_fine(page, check_accessibility)

    # The password: changed, every session ends, the new one logs in and the old one no more.
    page.goto("/portal/password")
    _screen_is_fine(page, check_accessibility)
    new_password = f"Portal-{uuid.uuid4().hex}"
    page.locator("#f-current_password").fill(login.password)
    page.locator("#f-new_password").fill(new_password)
    page.locator("#f-confirm_password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Password changed")
    _screen_is_fine(page, check_accessibility)
    page.goto("/portal/")
    expect(page).to_have_url(LOGIN_URL)
    fill_login(page, "portal", login.username, login.password)
    expect(page.locator("[role=alert]")).to_contain_text("not right")
    fill_login(page, "portal", login.username, new_password)
    expect(page).to_have_url(HOME_URL)


def test_the_portal_shows_nothing_of_another_customer(
    new_page: Any,
    login_subscriber: Any,
    admin_api: httpx.Client,
    subscriber: dict[str, Any],
    check_accessibility: Any,
) -> None:
    others = [
        i
        for i in _ok(admin_api.get("/invoices", params={"per_page": 50}))
        if i["customer_id"] != subscriber["id"]
    ]
    assert others, "the demo tenant has no other customer's invoice"
    page = new_page(viewport="phone")
    login_subscriber(page, subscriber["id"])
    page.goto(f"/portal/invoices/{others[0]['id']}")
    # The error page speaks the language of the locale cookie (Indonesian by default).
    expect(page.locator("main")).to_contain_text(
        re.compile("We could not find that|Data tidak ditemukan")
    )
    expect(page.locator("main")).not_to_contain_text(others[0]["invoice_number"])
    _screen_is_fine(page, check_accessibility)
    page.goto("/portal/invoices")
    expect(page.locator("main")).not_to_contain_text(others[0]["invoice_number"])
