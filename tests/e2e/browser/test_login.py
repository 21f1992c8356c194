"""Logging in and out of the console and the portal in a browser, and what guards them: words
for a refused login, the CSRF token, the Content-Security-Policy, the language."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

TENANT_SLUG = "demo"
LOGIN_URL = re.compile(r"/(console|portal)/login(\?.*)?$")


@pytest.fixture(scope="module")
def subscriber(admin_api: httpx.Client) -> Iterator[dict[str, Any]]:
    """A customer of the demo tenant of its own (not activated: nothing reaches the router)."""
    plans = admin_api.get("/service-plans", params={"per_page": 1})
    assert plans.status_code == 200, plans.text
    assert plans.json()["data"], "the demo tenant has no service plan (isp up seeds some)"
    tag = uuid.uuid4().hex[:8]
    body = {
        "full_name": f"Browser Login {tag}",
        "phone": f"+62813{int(tag, 16) % 10**8:08d}",
        "address": "Jl. Peramban 1",
        "service_plan_id": plans.json()["data"][0]["id"],
        "pppoe_username": f"browser-{tag}",
        "pppoe_password": f"browser-{tag}-pw",
    }
    made = admin_api.post("/customers", json=body)
    assert made.status_code == 201, made.text
    customer: dict[str, Any] = made.json()["data"]
    yield customer
    admin_api.delete(f"/customers/{customer['id']}")


def test_staff_log_in_to_the_console_and_out(
    new_page: Any, login_as: Any, check_accessibility: Any
) -> None:
    page = new_page()
    page.goto("/console/login")
    check_accessibility(page)
    login_as(page, "admin")
    expect(page.locator("h1")).to_have_text("Dashboard")
    check_accessibility(page)

    page.locator("form[action='/console/logout'] button").click()
    expect(page).to_have_url(LOGIN_URL)
    page.goto("/console/")
    expect(page).to_have_url(LOGIN_URL)  # the session is gone, not just the page


def test_a_subscriber_logs_in_to_the_portal_on_a_phone_and_out(
    new_page: Any, login_subscriber: Any, subscriber: dict[str, Any], check_accessibility: Any
) -> None:
    page = new_page(viewport="phone")
    page.goto("/portal/login")
    check_accessibility(page)
    login_subscriber(page, subscriber["id"])
    expect(page).to_have_url(re.compile(r"/portal/$"))
    check_accessibility(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    page.locator("form[action='/portal/logout'] button").click()
    expect(page).to_have_url(LOGIN_URL)
    page.goto("/portal/")
    expect(page).to_have_url(LOGIN_URL)


def test_a_wrong_password_is_told_in_words(
    new_page: Any, fill_login: Any, check_accessibility: Any
) -> None:
    page = new_page()
    fill_login(page, "console", "nobody@example.test", "not-the-password-1", TENANT_SLUG)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("The tenant, login or password is not right.")
    body = page.locator("body").inner_text()
    assert "{" not in body and "UNAUTHORIZED" not in body
    expect(page.locator("input[name=tenant]")).to_have_value(TENANT_SLUG)  # kept as typed
    check_accessibility(page)


def test_a_subscriber_is_refused_at_the_console_login(
    new_page: Any, portal_login: Any, fill_login: Any, subscriber: dict[str, Any]
) -> None:
    login = portal_login(subscriber["id"])
    page = new_page()
    fill_login(page, "console", login.username, login.password, TENANT_SLUG)
    expect(page.get_by_role("alert")).to_have_text("This login belongs to the subscriber portal.")
    expect(page).to_have_url(LOGIN_URL)
    page.goto("/console/")
    expect(page).to_have_url(LOGIN_URL)


def test_a_post_without_the_csrf_token_is_refused(new_page: Any, login_as: Any) -> None:
    page = new_page()
    login_as(page, "viewer")
    # The session cookie goes along (the page's own context), the token does not.
    refused = page.request.post("/console/locale", form={"locale": "id"}, max_redirects=0)
    assert refused.status == 403
    assert "application/json" not in refused.headers.get("content-type", "")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # nothing changed

    # Nor is a login form posted without the token its page set.
    other = new_page()
    answer = other.request.post(
        "/console/login",
        form={"tenant": TENANT_SLUG, "username": "x@example.test", "password": "whatever-123"},
        max_redirects=0,
    )
    assert answer.status == 400


def test_every_page_carries_the_csp_and_runs_no_inline_script(
    new_page: Any, login_as: Any, subscriber: dict[str, Any], login_subscriber: Any
) -> None:
    page = new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    policies: list[tuple[str, str]] = []
    page.on(
        "response",
        lambda response: (
            policies.append((response.url, response.headers.get("content-security-policy", "")))
            if response.request.resource_type == "document"
            else None
        ),
    )
    page.goto("/console/login")
    login_as(page, "admin")
    page.goto("/portal/login")
    login_subscriber(page, subscriber["id"])

    assert policies
    for url, policy in policies:
        assert "script-src 'self'" in policy, f"{url}: {policy!r}"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert violations == []
    inline = page.evaluate(
        """() => ({
            scripts: document.querySelectorAll('script:not([src])').length,
            styled: document.querySelectorAll('[style]').length,
            handlers: [...document.querySelectorAll('*')].filter(
                e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
        })"""
    )
    assert inline == {"scripts": 0, "styled": 0, "handlers": 0}


def test_the_language_switches_between_indonesian_and_english(
    new_page: Any, staff_user: Any, fill_login: Any
) -> None:
    page = new_page(locale="en-US")
    page.goto("/console/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    login_heading = page.locator("h1").inner_text()
    assert login_heading != "Operator console"

    user = staff_user("viewer")
    fill_login(page, "console", user.email, user.password, TENANT_SLUG)
    page.wait_for_url(re.compile(r"/console/$"))
    expect(page.locator("html")).to_have_attribute("lang", "id")  # the login's choice stays
    page.locator("#locale-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Dashboard")
    page.locator("#locale-select").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).not_to_have_text("Dashboard")
