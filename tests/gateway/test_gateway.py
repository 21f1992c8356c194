"""The gateway (docs/operations.md, "The gateway"): every path to its service, the request id,
the forwarded headers, the body limit, the rate limit, and its own errors in the JSON envelope,
on real nginx in front of the real customers service and of stand-ins for the services not
written yet."""

from __future__ import annotations

import json
import re
import socket
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from isp_common.auth import Role, mint_token
from isp_common.settings import Settings

from isp_cli import gateway

if TYPE_CHECKING:
    from conftest import Gateway, StartGateway, Upstream

CUSTOMER = str(uuid.uuid4())
OTHER = str(uuid.uuid4())

# Every path the services serve (method, path under /api/v1, the service that serves it).
API_PATHS: list[tuple[str, str, str]] = [
    # customers
    ("POST", "/customers", "customers"),
    ("GET", "/customers?search=budi&status=active&page=2", "customers"),
    ("GET", f"/customers/{CUSTOMER}", "customers"),
    ("GET", "/customers/by-code/CUST-0001", "customers"),
    ("PATCH", f"/customers/{CUSTOMER}", "customers"),
    ("DELETE", f"/customers/{CUSTOMER}", "customers"),
    ("POST", f"/customers/{CUSTOMER}/activate", "customers"),
    ("POST", f"/customers/{CUSTOMER}/suspend", "customers"),
    ("POST", f"/customers/{CUSTOMER}/terminate", "customers"),
    ("POST", f"/customers/{CUSTOMER}/change-plan", "customers"),
    ("POST", "/customers/import", "customers"),
    # a customer code that looks like a sub-resource stays with customers
    ("GET", "/customers/by-code/payments", "customers"),
    # billing
    ("POST", "/service-plans", "billing"),
    ("GET", "/service-plans?search=home&is_active=true", "billing"),
    ("GET", f"/service-plans/{OTHER}", "billing"),
    ("PATCH", f"/service-plans/{OTHER}", "billing"),
    ("DELETE", f"/service-plans/{OTHER}", "billing"),
    ("POST", f"/service-plans/{OTHER}/toggle", "billing"),
    ("PUT", f"/service-plans/{OTHER}/advanced", "billing"),
    ("GET", f"/invoices?customer_id={CUSTOMER}", "billing"),
    ("GET", f"/invoices/{OTHER}", "billing"),
    ("POST", "/billing/runs", "billing"),
    ("POST", "/billing/overdue-check", "billing"),
    ("POST", "/payments", "billing"),
    ("GET", "/payments?payment_method=cash", "billing"),
    ("GET", f"/payments/{OTHER}", "billing"),
    ("DELETE", f"/payments/{OTHER}", "billing"),
    ("GET", f"/payments/{OTHER}/receipt", "billing"),
    ("GET", f"/customers/{CUSTOMER}/payments", "billing"),
    ("GET", f"/customers/{CUSTOMER.upper()}/payments?page=1", "billing"),
    ("GET", "/billing/revenue?group_by=month", "billing"),
    ("GET", "/billing/settings", "billing"),
    ("PUT", "/billing/settings", "billing"),
    # network
    ("POST", "/olts", "network"),
    ("GET", "/olts?is_active=true", "network"),
    ("GET", f"/olts/{OTHER}", "network"),
    ("PATCH", f"/olts/{OTHER}", "network"),
    ("DELETE", f"/olts/{OTHER}", "network"),
    ("GET", f"/odcs?olt_id={OTHER}", "network"),
    ("GET", f"/odcs/{OTHER}", "network"),
    ("GET", f"/odps?odc_id={OTHER}", "network"),
    ("PATCH", f"/odps/{OTHER}", "network"),
    ("POST", "/devices", "network"),
    ("GET", "/devices?device_type=router", "network"),
    ("GET", f"/devices/{OTHER}", "network"),
    ("GET", "/devices/by-serial/SN-1234", "network"),
    ("PATCH", f"/devices/{OTHER}", "network"),
    ("DELETE", f"/devices/{OTHER}", "network"),
    ("POST", f"/devices/{OTHER}/test-connection", "network"),
    ("POST", f"/devices/{OTHER}/sync-queues", "network"),
    ("POST", "/monitoring", "network"),
    ("GET", f"/monitoring?customer_id={CUSTOMER}", "network"),
    ("GET", f"/customers/{CUSTOMER}/monitoring?bucket=5m", "network"),
    ("GET", f"/customers/{CUSTOMER}/monitoring/current", "network"),
    # tickets
    ("POST", "/tickets", "tickets"),
    ("GET", "/tickets?status=open", "tickets"),
    ("GET", f"/tickets/{OTHER}", "tickets"),
    ("GET", "/tickets/by-number/TKT-0001", "tickets"),
    ("PATCH", f"/tickets/{OTHER}", "tickets"),
    ("POST", f"/tickets/{OTHER}/assign", "tickets"),
    ("POST", f"/tickets/{OTHER}/start", "tickets"),
    ("POST", f"/tickets/{OTHER}/resolve", "tickets"),
    ("POST", f"/tickets/{OTHER}/close", "tickets"),
    ("POST", f"/tickets/{OTHER}/reopen", "tickets"),
    ("POST", f"/tickets/{OTHER}/comments", "tickets"),
    ("GET", "/tickets/sla", "tickets"),
    ("PUT", "/tickets/sla", "tickets"),
    # boost
    ("POST", "/speed-boosts", "boost"),
    ("GET", f"/speed-boosts?customer_id={CUSTOMER}", "boost"),
    ("GET", f"/speed-boosts/{OTHER}", "boost"),
    ("GET", "/speed-boosts/pricing", "boost"),
    ("PUT", "/speed-boosts/pricing", "boost"),
    ("POST", f"/speed-boosts/{OTHER}/approve", "boost"),
    ("POST", f"/speed-boosts/{OTHER}/reject", "boost"),
    ("POST", f"/speed-boosts/{OTHER}/activate", "boost"),
    ("GET", f"/customers/{CUSTOMER}/speed-boost", "boost"),
    ("POST", f"/customers/{CUSTOMER}/speed-boost/deactivate", "boost"),
    # audit
    ("GET", "/audit-logs?category=customer", "audit"),
    ("GET", f"/audit-logs/{OTHER}", "audit"),
    ("POST", "/audit-logs", "audit"),
    ("GET", f"/customers/{CUSTOMER}/audit-logs", "audit"),
    ("GET", "/audit-logs/verify", "audit"),
    # mikrotik-agent
    ("GET", "/routers", "mikrotik-agent"),
    ("GET", f"/routers/{OTHER}", "mikrotik-agent"),
    ("GET", "/routers/settings", "mikrotik-agent"),
    ("PUT", "/routers/settings", "mikrotik-agent"),
    ("GET", f"/routers/{OTHER}/operations?customer_id={CUSTOMER}", "mikrotik-agent"),
    ("GET", f"/routers/{OTHER}/queues", "mikrotik-agent"),
    ("POST", f"/routers/{OTHER}/test-connection", "mikrotik-agent"),
    ("POST", f"/routers/{OTHER}/sync?dry_run=true", "mikrotik-agent"),
    # identity
    ("POST", "/auth/token", "identity"),
    ("POST", "/auth/logout", "identity"),
    ("GET", "/auth/me", "identity"),
    ("POST", "/auth/password", "identity"),
    ("POST", "/tenants", "identity"),
    ("GET", f"/tenants/{OTHER}", "identity"),
    ("PATCH", f"/tenants/{OTHER}", "identity"),
    ("POST", "/users", "identity"),
    ("GET", "/users?page=1", "identity"),
    ("GET", f"/users/{OTHER}", "identity"),
    ("PATCH", f"/users/{OTHER}", "identity"),
    ("POST", f"/users/{OTHER}/reset-password", "identity"),
    ("PUT", f"/customers/{CUSTOMER}/portal-account", "identity"),
    ("DELETE", f"/customers/{CUSTOMER}/portal-account", "identity"),
]
# Outside /api/v1: identity's keys and discovery, at the root (path as it reaches the service).
ROOT_PATHS: list[tuple[str, str, str]] = [
    ("GET", "/.well-known/jwks.json", "identity"),
    ("GET", "/.well-known/openid-configuration", "identity"),
]


def token(**overrides: Any) -> str:
    return mint_token(
        Settings(), tenant_id=uuid.uuid4(), roles=[Role.ADMIN], sub="gateway-test", **overrides
    )


def assert_envelope(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["details"], dict)
    return dict(body)


def request_ids(answer: httpx.Response) -> list[str]:
    return answer.headers.get_list("x-request-id")


# ---------------------------------------------------------------------------------------------
# Through to the real customers service


def test_the_gateway_answers_its_own_healthz(platform_gateway: Gateway) -> None:
    answer = httpx.get(f"{platform_gateway.url}/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_a_list_reaches_customers_through_the_gateway(platform_gateway: Gateway) -> None:
    answer = httpx.get(
        f"{platform_gateway.url}/api/v1/customers?per_page=5",
        headers={"Authorization": f"Bearer {token()}"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["success"] is True
    assert body["data"] == []
    assert body["meta"]["total"] == 0


def test_an_error_of_the_service_passes_through_untouched(
    platform_gateway: Gateway, customers: Upstream
) -> None:
    headers = {"Authorization": f"Bearer {token()}", "X-Request-ID": "same-id-for-both"}
    body = {"full_name": "", "no_such_field": 1}
    direct = httpx.post(f"{customers.url}/api/v1/customers", json=body, headers=headers)
    through = httpx.post(f"{platform_gateway.url}/api/v1/customers", json=body, headers=headers)
    assert_envelope(through, 422, "VALIDATION_ERROR")
    assert through.content == direct.content
    unauthorized = httpx.get(f"{platform_gateway.url}/api/v1/customers/{CUSTOMER}")
    assert_envelope(unauthorized, 401, "UNAUTHORIZED")


def test_a_request_id_is_made_when_missing_and_returned_once(platform_gateway: Gateway) -> None:
    answer = httpx.get(
        f"{platform_gateway.url}/api/v1/customers",
        headers={"Authorization": f"Bearer {token()}"},
    )
    assert answer.status_code == 200
    (made,) = request_ids(answer)  # the service's echo is replaced, not doubled
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    again = httpx.get(f"{platform_gateway.url}/api/v1/customers")
    assert request_ids(again)[0] != made


def test_a_given_request_id_is_kept_end_to_end(
    platform_gateway: Gateway, routing_gateway: Gateway
) -> None:
    given = "client-req-42.a:b"
    answer = httpx.get(
        f"{platform_gateway.url}/api/v1/customers",
        headers={"Authorization": f"Bearer {token()}", "X-Request-ID": given},
    )
    assert answer.status_code == 200
    assert request_ids(answer) == [given]
    # …and the service got it (the stand-in reports the headers it received).
    seen = httpx.get(f"{routing_gateway.url}/api/v1/tickets", headers={"X-Request-ID": given})
    assert seen.json()["headers"]["x-request-id"] == given
    assert request_ids(seen) == [given]


def test_an_unsafe_request_id_is_replaced(routing_gateway: Gateway) -> None:
    unsafe = "x" * 200
    answer = httpx.get(f"{routing_gateway.url}/api/v1/tickets", headers={"X-Request-ID": unsafe})
    (made,) = request_ids(answer)
    assert made != unsafe
    assert answer.json()["headers"]["x-request-id"] == made


def test_the_specs_of_the_services_are_under_their_names(
    platform_gateway: Gateway, routing_gateway: Gateway
) -> None:
    spec = httpx.get(f"{platform_gateway.url}/api/v1/customers/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/customers" in spec.json()["paths"]
    for name in gateway.COLLECTIONS:
        answer = httpx.get(f"{routing_gateway.url}/api/v1/{name}/openapi.json")
        assert answer.json()["service"] == name
        assert answer.json()["path"] == "/openapi.json"


# ---------------------------------------------------------------------------------------------
# Routing: every path the services serve, to its service


def test_every_path_of_the_api_reaches_its_service(routing_gateway: Gateway) -> None:
    wrong = []
    with httpx.Client(base_url=routing_gateway.url) as client:
        for method, path, owner in API_PATHS:
            body = b"{}" if method in ("POST", "PUT", "PATCH") else None
            answer = client.request(method, f"/api/v1{path}", content=body)
            got = answer.json() if answer.status_code == 200 else {"status": answer.status_code}
            expected = {"service": owner, "method": method, "path": f"/api/v1{path}"}
            if {k: got.get(k) for k in expected} != expected:
                wrong.append(f"{method} {path}: expected {owner}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_the_well_known_documents_reach_identity_at_the_root(routing_gateway: Gateway) -> None:
    with httpx.Client(base_url=routing_gateway.url) as client:
        for method, path, owner in ROOT_PATHS:
            got = client.request(method, path).json()
            assert (got["service"], got["path"]) == (owner, path)
        # only that prefix: the rest of the root is still nobody's
        assert_envelope(client.get("/.well-knownx/jwks.json"), 404, "NOT_FOUND")


def test_the_customers_sub_resources_of_other_services_are_routed_by_uuid(
    routing_gateway: Gateway,
) -> None:
    with httpx.Client(base_url=routing_gateway.url) as client:
        for sub, owner in gateway.CUSTOMER_SUBRESOURCES.items():
            assert client.get(f"/api/v1/customers/{CUSTOMER}/{sub}").json()["service"] == owner
            # a longer word, or an id that is not a uuid, stays with customers
            assert client.get(f"/api/v1/customers/{CUSTOMER}/{sub}x").json()["service"] == (
                "customers"
            )
            assert client.get(f"/api/v1/customers/not-a-uuid/{sub}").json()["service"] == (
                "customers"
            )


def test_the_forwarded_headers_name_the_peer_not_what_the_client_claims(
    routing_gateway: Gateway,
) -> None:
    answer = httpx.get(
        f"{routing_gateway.url}/api/v1/olts",
        headers={"X-Forwarded-For": "6.6.6.6", "X-Real-IP": "6.6.6.6"},
    )
    seen = answer.json()["headers"]
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-real-ip"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert seen["host"] == "127.0.0.1"
    assert "connection" not in seen  # keep-alive to the service: no "Connection: close"


def test_upstream_error_bodies_pass_through_untouched(routing_gateway: Gateway) -> None:
    with httpx.Client(base_url=routing_gateway.url) as client:
        for status in (404, 413, 429, 500, 502, 503, 504):
            answer = client.get(f"/api/v1/invoices/status/{status}")
            body = assert_envelope(answer, status, "FROM_SERVICE")
            assert body["error"]["message"] == f"billing says {status}"


# ---------------------------------------------------------------------------------------------
# The gateway's own errors, in the envelope


def test_a_service_that_is_not_running_is_503(platform_gateway: Gateway) -> None:
    for path, owner in (
        ("/api/v1/tickets", "tickets"),
        (f"/api/v1/customers/{CUSTOMER}/payments", "billing"),
        ("/api/v1/mikrotik-agent/openapi.json", "mikrotik-agent"),
    ):
        answer = httpx.get(f"{platform_gateway.url}{path}", headers={"X-Request-ID": "down-1"})
        body = assert_envelope(answer, 503, "SERVICE_UNAVAILABLE")
        assert body["error"]["details"] == {"service": owner}
        assert answer.headers["retry-after"] == "5"
        assert request_ids(answer) == ["down-1"]


def test_an_invalid_answer_from_a_service_is_502(routing_gateway: Gateway) -> None:
    answer = httpx.get(f"{routing_gateway.url}/api/v1/tickets/garbage")
    body = assert_envelope(answer, 502, "EXTERNAL_SERVICE_ERROR")
    assert body["error"]["details"] == {"service": "tickets"}
    assert len(request_ids(answer)) == 1


def test_a_service_slower_than_the_read_timeout_is_504(routing_gateway: Gateway) -> None:
    answer = httpx.get(f"{routing_gateway.url}/api/v1/audit-logs/slow", timeout=10)
    body = assert_envelope(answer, 504, "EXTERNAL_SERVICE_ERROR")
    assert body["error"]["details"] == {"service": "audit"}


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/nothing", "/api/v2/customers", "/api/v1/customersx", "/docs"]
)
def test_an_unknown_path_is_404(routing_gateway: Gateway, path: str) -> None:
    answer = httpx.get(f"{routing_gateway.url}{path}")
    assert_envelope(answer, 404, "NOT_FOUND")
    assert len(request_ids(answer)) == 1


def test_malformed_requests_are_answered_in_the_envelope(routing_gateway: Gateway) -> None:
    too_long = httpx.get(f"{routing_gateway.url}/api/v1/tickets/{'a' * 10_000}")
    assert_envelope(too_long, 414, "VALIDATION_ERROR")
    big_headers = httpx.get(
        f"{routing_gateway.url}/api/v1/tickets", headers={"X-Big": "b" * 20_000}
    )
    assert_envelope(big_headers, 431, "VALIDATION_ERROR")
    host, port = routing_gateway.url.removeprefix("http://").split(":")
    for raw in (b"NOT HTTP AT ALL\r\n\r\n", b"GET /api/v1/tickets HTTP/1.1\r\nNo colon\r\n\r\n"):
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(raw)
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400 "), answer
        assert b"content-type: application/json" in head.lower()
        assert json.loads(body)["error"]["code"] == "VALIDATION_ERROR"
    # the internal error locations are not reachable from outside
    assert_envelope(httpx.get(f"{routing_gateway.url}/_isp_error/400"), 404, "NOT_FOUND")


def test_a_body_over_the_limit_is_413_and_one_under_it_passes(routing_gateway: Gateway) -> None:
    big = b"x" * (2 * 1024 * 1024 + 1)  # the limit of this gateway is 2m
    answer = httpx.post(f"{routing_gateway.url}/api/v1/customers/import", content=big)
    body = assert_envelope(answer, 413, "VALIDATION_ERROR")
    assert body["error"]["details"] == {"max_body_size": "2m"}
    # Under the limit but past the in-memory buffer: nginx spools it to its temporary folder.
    fits = b"y" * (1536 * 1024)
    answer = httpx.post(f"{routing_gateway.url}/api/v1/customers/import", content=fits)
    assert answer.status_code == 200, answer.text
    assert answer.json()["body_bytes"] == len(fits)


def test_the_default_body_limit_takes_a_csv_import_of_a_few_megabytes(
    platform_gateway: Gateway,
) -> None:
    assert platform_gateway.settings.max_body_size == "10m"
    assert "client_max_body_size 10m;" in platform_gateway.config


def test_exceeding_the_rate_is_429(
    start_gateway: StartGateway, customers: Upstream, dead_upstreams: dict[str, str]
) -> None:
    limited = start_gateway(
        {**dead_upstreams, "customers": f"127.0.0.1:{customers.port}"}, rate=1, burst=2
    )
    auth = {"Authorization": f"Bearer {token()}"}
    with httpx.Client(base_url=limited.url, headers=auth) as client:
        answers = [client.get("/api/v1/customers") for _ in range(8)]
        health = client.get("/healthz")
    statuses = [a.status_code for a in answers]
    assert statuses[:3] == [200, 200, 200], statuses  # the rate, and a burst of two
    assert 429 in statuses, statuses
    refused = answers[statuses.index(429)]
    body = assert_envelope(refused, 429, "RATE_LIMITED")
    assert body["error"]["details"] == {"rate_per_second": 1, "burst": 2}
    assert refused.headers["retry-after"] == "1"
    assert len(request_ids(refused)) == 1
    assert health.status_code == 200  # health checks are never limited


def test_the_token_endpoint_has_a_tighter_limit_of_its_own(
    start_gateway: StartGateway, stand_ins: dict[str, int]
) -> None:
    limited = start_gateway(
        {name: f"127.0.0.1:{port}" for name, port in stand_ins.items()},
        token_rate_per_minute=1,
        token_burst=2,
    )
    form = {"grant_type": "password", "username": "a", "password": "b", "tenant": "demo"}
    with httpx.Client(base_url=limited.url) as client:
        answers = [client.post("/api/v1/auth/token", data=form) for _ in range(5)]
        # the API's own limit (200/s) is untouched by the token endpoint's
        others = [client.get("/api/v1/users").status_code for _ in range(5)]
    statuses = [a.status_code for a in answers]
    assert statuses[:3] == [200, 200, 200], statuses  # one a minute, and a burst of two
    assert statuses[3:] == [429, 429], statuses
    body = assert_envelope(answers[3], 429, "RATE_LIMITED")
    assert body["error"]["details"] == {"rate_per_minute": 1, "burst": 2}
    assert answers[3].headers["retry-after"] == "1"
    assert len(request_ids(answers[3])) == 1
    assert others == [200] * 5


def test_the_config_is_what_nginx_accepts_for_dns_upstreams_too(nginx: str, tmp_path: Path) -> None:
    # Container names do not resolve here, so only the syntax is checked: nginx -t stops at
    # the first unresolvable upstream, after having parsed everything else.
    text = gateway.render(
        gateway.GatewaySettings(listen="8080", trusted_proxies="10.0.0.0/8, 172.16.0.0/12"),
        gateway.templated_upstreams("{service}"),
        tmp_path,
        access_log="stdout",
    )
    assert "server billing:8002;" in text
    assert "set_real_ip_from 10.0.0.0/8;" in text
    (tmp_path / "tmp").mkdir()
    (tmp_path / gateway.CONFIG_NAME).write_text(text)
    problem = gateway.check_config(nginx, tmp_path) or ""
    assert problem == "" or "host not found in upstream" in problem, problem
