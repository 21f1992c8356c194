"""The console and the portal in a real browser (Playwright, Debian's chromium), against the whole
platform through its gateway.

In CI the platform is `tests/e2e/conftest.py`'s `platform` (started once per session by
`isp up`). With `ISP_BROWSER_CONSOLE_URL` set the tests use a platform already running instead
and start none: `ISP_BROWSER_GATEWAY_URL` (default http://127.0.0.1:8080), `ISP_BROWSER_STATE_DIR`
(the `isp up --state-dir` holding admin-token and demo-logins.json, default `var/`) and
`ISP_BROWSER_SIMULATOR_PORT` (default 8728) say where it is.

One browser per session, a context of its own per page. Every page's CSP stays under test: axe
is evaluated through the DevTools protocol (which no page policy applies to), never added as a
script tag. A failed test leaves a full-page screenshot of each of its pages in
`var/browser-failures/`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import librouteros
import pytest

REPO = Path(__file__).resolve().parents[3]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
FAILURES = REPO / "var" / "browser-failures"
TENANT_SLUG = "demo"  # isp_cli.demo_logins.SLUG: the demo tenant's slug in identity
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
STAFF_ROLES = ("admin", "finance", "support", "technician", "viewer")
SERIOUS = ("serious", "critical")
PAGES_KEY = pytest.StashKey[list[Any]]()
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")


@dataclass(frozen=True)
class BrowserPlatform:
    console_url: str  # serves /console/ and /portal/
    gateway_url: str
    state_dir: Path
    simulator_port: int

    def admin_token(self) -> str:
        return (self.state_dir / "admin-token").read_text().strip()


@dataclass(frozen=True)
class StaffLogin:
    id: str
    email: str
    password: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class SubscriberLogin:
    customer_id: str
    username: str
    password: str


@pytest.fixture(scope="session")
def browser_platform(request: pytest.FixtureRequest) -> BrowserPlatform:
    console = os.environ.get("ISP_BROWSER_CONSOLE_URL")
    if console:
        return BrowserPlatform(
            console_url=console.rstrip("/"),
            gateway_url=os.environ.get("ISP_BROWSER_GATEWAY_URL", "http://127.0.0.1:8080").rstrip(
                "/"
            ),
            state_dir=Path(os.environ.get("ISP_BROWSER_STATE_DIR", str(REPO / "var"))),
            simulator_port=int(os.environ.get("ISP_BROWSER_SIMULATOR_PORT", "8728")),
        )
    # Only now: with the overrides no platform of the tests' own is started.
    platform = request.getfixturevalue("platform")
    return BrowserPlatform(
        console_url=platform.gateway_url,
        gateway_url=platform.gateway_url,
        state_dir=platform.state_dir,
        simulator_port=platform.simulator_port,
    )


@pytest.fixture(scope="session")
def console_url(browser_platform: BrowserPlatform) -> str:
    return browser_platform.console_url


@pytest.fixture(scope="session")
def gateway_url(browser_platform: BrowserPlatform) -> str:
    return browser_platform.gateway_url


@pytest.fixture(scope="session")
def admin_api(browser_platform: BrowserPlatform) -> Iterator[httpx.Client]:
    """The demo admin's API (arranging data, checking what the UI did)."""
    with httpx.Client(
        base_url=f"{browser_platform.gateway_url}/api/v1",
        headers={"Authorization": f"Bearer {browser_platform.admin_token()}"},
        timeout=30,
    ) as client:
        yield client


@pytest.fixture()
def simulated_router(browser_platform: BrowserPlatform) -> Iterator[Any]:
    """A RouterOS API session on the simulated router, as `Platform.router()`."""
    connection = librouteros.connect(
        "127.0.0.1", username="admin", password="admin", port=browser_platform.simulator_port
    )
    try:
        yield connection
    finally:
        connection.close()


def find_chromium() -> str | None:
    wanted = os.environ.get("ISP_BROWSER_CHROMIUM")
    for candidate in (wanted, *CHROMIUM_CANDIDATES) if wanted else CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser(browser_platform: BrowserPlatform) -> Iterator[Any]:
    # Playwright's sync API marks an event loop as running in this thread while it is started:
    # the platform (whose fixture runs coroutines with asyncio.run) comes up before it, and it
    # stops with its module, so the asynchronous tests of the session that follow have the
    # thread to themselves.
    del browser_platform
    executable = find_chromium()
    if executable is None:
        pytest.fail(
            "the browser tests need Debian's chromium (.ci/run installs it; "
            "apt-get install chromium), or ISP_BROWSER_CHROMIUM naming one"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


NewPage = Callable[..., Any]


@pytest.fixture()
def new_page(request: pytest.FixtureRequest, browser: Any, console_url: str) -> Iterator[NewPage]:
    """`new_page(viewport="desktop"|"phone")`: a fresh page in a context of its own."""
    contexts: list[Any] = []
    pages = request.node.stash.setdefault(PAGES_KEY, [])

    def make(viewport: str = "desktop", locale: str = "en-US") -> Any:
        options: dict[str, Any] = {"base_url": console_url, "locale": locale}
        if viewport == "phone":
            options.update(viewport=PHONE, is_mobile=True, has_touch=True)
        elif viewport == "desktop":
            options.update(viewport=DESKTOP)
        else:
            raise ValueError(f"viewport is desktop or phone, not {viewport!r}")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()


def _password() -> str:
    return f"Browser-{secrets.token_urlsafe(12)}"


def submit_login(page: Any, area: str, username: str, password: str, tenant: str) -> None:
    page.goto(f"/{area}/login")
    page.locator("input[name=tenant]").fill(tenant)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action$='/login'] button[type=submit]").click()


def create_staff_user(admin_api: httpx.Client, role: str) -> StaffLogin:
    if role not in STAFF_ROLES:
        raise ValueError(f"a staff role is one of {STAFF_ROLES}, not {role!r}")
    email = f"browser-{role}-{uuid.uuid4().hex[:10]}@example.test"
    password = _password()
    answer = admin_api.post(
        "/users",
        json={
            "email": email,
            "full_name": f"Browser {role.title()}",
            "roles": [role],
            "password": password,
        },
    )
    assert answer.status_code == 201, f"POST /users: {answer.status_code} {answer.text}"
    return StaffLogin(answer.json()["data"]["id"], email, password, (role,))


@pytest.fixture()
def login_as(admin_api: httpx.Client) -> Callable[[Any, str], StaffLogin]:
    """`login_as(page, role)`: a fresh staff user of that role in the demo tenant (made through
    identity with a password), logged in through the console's login form."""
    from playwright.sync_api import expect

    def log_in(page: Any, role: str) -> StaffLogin:
        user = create_staff_user(admin_api, role)
        submit_login(page, "console", user.email, user.password, TENANT_SLUG)
        page.wait_for_url(re.compile(r"/console/(\?.*)?$"))
        expect(page.locator("main h1, h1").first).to_be_visible()
        return user

    return log_in


def enable_portal_login(admin_api: httpx.Client, customer_id: str) -> SubscriberLogin:
    """A portal login for the customer with a password, once identity has heard of them (its
    replica of customers is fed by events, so a fresh customer may take a moment)."""
    import time

    customer = admin_api.get(f"/customers/{customer_id}")
    assert customer.status_code == 200, customer.text
    code = customer.json()["data"]["customer_code"]
    password = _password()
    deadline = time.monotonic() + 45
    while True:
        answer = admin_api.put(
            f"/customers/{customer_id}/portal-account", json={"password": password}
        )
        if answer.status_code != 404 or time.monotonic() > deadline:
            break
        time.sleep(0.25)  # the customer's event on its way to identity
    assert answer.status_code == 200, f"portal account: {answer.status_code} {answer.text}"
    return SubscriberLogin(customer_id, code, password)


@pytest.fixture()
def login_subscriber(admin_api: httpx.Client) -> Callable[[Any, str], SubscriberLogin]:
    """`login_subscriber(page, customer_id)`: the customer's portal login enabled with a password,
    and the page logged into the portal with their customer code."""
    from playwright.sync_api import expect

    def log_in(page: Any, customer_id: str) -> SubscriberLogin:
        login = enable_portal_login(admin_api, str(customer_id))
        submit_login(page, "portal", login.username, login.password, TENANT_SLUG)
        page.wait_for_url(re.compile(r"/portal/(\?.*)?$"))
        expect(page.locator("h1").first).to_be_visible()
        return login

    return log_in


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now. The source is evaluated over the DevTools
    protocol, which the page's CSP does not govern (a script tag would be refused, rightly)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return result


@pytest.fixture()
def check_accessibility() -> Callable[[Any], list[dict[str, Any]]]:
    """`check_accessibility(page)`: fails on any serious or critical axe violation; returns
    the lesser ones."""

    def check(page: Any) -> list[dict[str, Any]]:
        violations = axe_violations(page)
        serious = [v for v in violations if v["impact"] in SERIOUS]
        if serious:
            listed = "\n".join(
                f"  {v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}"
                for v in serious
            )
            pytest.fail(f"accessibility violations on {page.url}:\n{listed}")
        return violations

    return check


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed browser test leaves what each of its pages showed then."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed or report.when == "teardown":
        return
    pages = item.stash.get(PAGES_KEY, [])
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name)
    for index, page in enumerate(pages):
        suffix = "" if index == 0 else f"-{index + 1}"
        path = FAILURES / f"{name}{suffix}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("browser", f"screenshot of {page.url}: {path}"))
        except Exception as exc:  # a closed page: nothing to show
            report.sections.append(("browser", f"no screenshot ({exc})"))


@pytest.fixture()
def staff_user(admin_api: httpx.Client) -> Callable[[str], StaffLogin]:
    """`staff_user(role)`: a fresh staff user with a password, not logged in anywhere."""
    return lambda role: create_staff_user(admin_api, role)


@pytest.fixture()
def portal_login(admin_api: httpx.Client) -> Callable[[str], SubscriberLogin]:
    """`portal_login(customer_id)`: the customer's portal login enabled, not logged in."""
    return lambda customer_id: enable_portal_login(admin_api, str(customer_id))


@pytest.fixture()
def fill_login() -> Callable[..., None]:
    """`fill_login(page, area, username, password, tenant="demo")`: the login form, sent."""

    def fill(page: Any, area: str, username: str, password: str, tenant: str = TENANT_SLUG) -> None:
        submit_login(page, area, username, password, tenant)

    return fill


@pytest.fixture(scope="session")
def demo_logins(browser_platform: BrowserPlatform) -> dict[str, str]:
    """`isp up`'s demo passwords ({"admin": …, "subscriber": …})."""
    path = browser_platform.state_dir / "demo-logins.json"
    logins: dict[str, str] = json.loads(path.read_text())
    return logins
