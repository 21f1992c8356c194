"""The screenshots of docs/console.md: the console's main screens at 1280 px wide and the
portal's on a phone, taken in a real browser against a running platform.

    uv run python tests/e2e/browser/screenshots.py --console-url http://127.0.0.1:8009 \\
        --state-dir var --out docs/console

It logs in as the demo admin and the demo subscriber (the logins `isp up` kept in
`<state-dir>/demo-logins.json`), in English, and writes one PNG per screen. A screen taller
than MAX_HEIGHT is cut there, and a file over MAX_BYTES is reduced to a 256-colour palette, so
that the documentation stays light. A screen that answers an error is reported and skipped.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from playwright.sync_api import Page, sync_playwright

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 1800
MAX_BYTES = 250 * 1024
TENANT = "demo"
ADMIN = "admin@demo.isp.local"
SUBSCRIBER = "siti"

# (file name, path); {customer} and {invoice} are the demo data's.
CONSOLE_SCREENS = (
    ("login", "/console/login?lang=en"),
    ("dashboard", "/console/"),
    ("customers", "/console/customers"),
    ("customer", "/console/customers/{customer}"),
    ("plans", "/console/plans"),
    ("billing", "/console/billing"),
    ("invoice", "/console/billing/invoices/{invoice}"),
    ("revenue", "/console/billing/revenue"),
    ("network", "/console/network"),
    ("network-map", "/console/network/map"),
    ("routers", "/console/routers"),
    ("tickets", "/console/tickets"),
    ("boosts", "/console/boosts"),
    ("audit", "/console/audit"),
    ("users", "/console/users"),
)
PORTAL_SCREENS = (
    ("portal-home", "/portal/"),
    ("portal-invoices", "/portal/invoices"),
    ("portal-usage", "/portal/usage"),
    ("portal-boost", "/portal/boost"),
    ("portal-tickets", "/portal/tickets"),
)


def chromium() -> str | None:
    for candidate in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def demo_ids(gateway_url: str, token: str) -> dict[str, str]:
    """An invoice of the demo data and the customer it bills."""
    answer = httpx.get(
        f"{gateway_url}/api/v1/invoices",
        params={"per_page": 1},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    answer.raise_for_status()
    invoices = answer.json()["data"]
    if not invoices:
        return {"invoice": "none", "customer": "none"}
    return {"invoice": str(invoices[0]["id"]), "customer": str(invoices[0]["customer_id"])}


def log_in(page: Page, base: str, area: str, username: str, password: str) -> None:
    page.goto(f"{base}/{area}/login?lang=en")
    page.fill("input[name=tenant]", TENANT)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/{area}/**")


def save(page: Page, path: Path) -> None:
    """A full-page PNG cut at MAX_HEIGHT, in a palette when it would weigh too much."""
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(int(height), MAX_HEIGHT)}
    png = page.screenshot(full_page=True, clip=clip)
    if len(png) > MAX_BYTES:
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        png = buffer.getvalue()
    path.write_bytes(png)


def shoot(page: Page, base: str, screens: Any, ids: dict[str, str], out: Path) -> list[str]:
    taken = []
    for name, path in screens:
        answer = page.goto(base + path.format(**ids), wait_until="networkidle")
        if answer is None or answer.status >= 400:
            print(f"{name}: {path} answered {answer.status if answer else '-'}, skipped")
            continue
        save(page, out / f"{name}.png")
        taken.append(name)
        print(f"{name}: {(out / f'{name}.png').stat().st_size // 1024} KB")
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--console-url", default="http://127.0.0.1:8009")
    parser.add_argument("--gateway-url", default="http://127.0.0.1:8080")
    parser.add_argument("--state-dir", type=Path, default=Path("var"))
    parser.add_argument("--out", type=Path, default=Path("docs/console"))
    args = parser.parse_args()
    base = args.console_url.rstrip("/")
    logins = json.loads((args.state_dir / "demo-logins.json").read_text())
    ids = demo_ids(args.gateway_url, (args.state_dir / "admin-token").read_text().strip())
    args.out.mkdir(parents=True, exist_ok=True)
    executable = chromium()
    if executable is None:
        sys.exit("no chromium found (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            staff = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
            shoot(staff, base, CONSOLE_SCREENS[:1], ids, args.out)
            log_in(staff, base, "console", ADMIN, logins["admin"])
            shoot(staff, base, CONSOLE_SCREENS[1:], ids, args.out)
            phone = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True)
            subscriber = phone.new_page()
            log_in(subscriber, base, "portal", SUBSCRIBER, logins["subscriber"])
            shoot(subscriber, base, PORTAL_SCREENS, ids, args.out)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
