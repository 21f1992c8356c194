"""The gateway in front of the console: its pages routed as they are, the bare prefixes
redirected, and the browser's address the console forwards believed from the console only, so
the per-client limits count browsers, not the console."""

from __future__ import annotations

from typing import Any

import httpx

from isp_cli import gateway

BROWSER = "203.0.113.7"


def upstreams(stand_ins: dict[str, int]) -> dict[str, str]:
    return {name: f"127.0.0.1:{port}" for name, port in stand_ins.items()}


def test_the_console_and_the_portal_are_routed_to_the_console(routing_gateway: Any) -> None:
    with httpx.Client(base_url=routing_gateway.url) as client:
        for path in (
            "/console/",
            "/console/customers?page=2",
            "/console/static/console.css",
            "/portal/",
        ):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text)
            seen = answer.json()
            assert seen["service"] == "console"
            assert seen["path"] == path
            # The host and port the browser used: the console checks a form's Origin with it.
            assert seen["headers"]["x-forwarded-host"] == routing_gateway.url.split("//", 1)[1]
        for bare in ("/console", "/portal"):
            answer = client.get(bare + "?lang=en")
            assert answer.status_code == 308
            assert answer.headers["location"] == f"{bare}/?lang=en"


def test_without_console_addresses_a_claimed_address_is_ignored(routing_gateway: Any) -> None:
    assert routing_gateway.settings.console_addresses == ""
    answer = httpx.get(f"{routing_gateway.url}/console/", headers={"X-Forwarded-For": BROWSER})
    assert answer.json()["headers"]["x-forwarded-for"] == "127.0.0.1"


def test_the_consoles_forwarded_address_is_the_client_the_limits_count(
    start_gateway: Any, stand_ins: dict[str, int]
) -> None:
    limited = start_gateway(upstreams(stand_ins), console_addresses="127.0.0.1", rate=1, burst=1)
    assert "set_real_ip_from 127.0.0.1;" in limited.config
    with httpx.Client(base_url=limited.url) as client:
        seen = client.get("/api/v1/olts", headers={"X-Forwarded-For": BROWSER}).json()
        assert seen["headers"]["x-forwarded-for"] == BROWSER
        # One browser beyond its burst is refused; others behind the same console are not.
        one = [
            client.get("/api/v1/olts", headers={"X-Forwarded-For": "198.51.100.1"}).status_code
            for _ in range(4)
        ]
        others = [
            client.get("/api/v1/olts", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
            for n in range(2, 6)
        ]
    assert 429 in one, one
    assert others == [200] * 4, others


def test_console_addresses_must_be_addresses() -> None:
    try:
        gateway.GatewaySettings(console_addresses="10.0.0.0/8; evil")
    except ValueError:
        return
    raise AssertionError("a console address that is no address was taken")
