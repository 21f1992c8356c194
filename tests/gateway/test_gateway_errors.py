"""Every answer the gateway makes itself is JSON in the envelope, never nginx's HTML page: what it
refuses while reading the request (a method, a version, a framing, a header), what it cannot
route, what is too large or too fast, and a service that is down. Sent as raw bytes on real
nginx, so what the client sees is exactly what nginx wrote."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Gateway, StartGateway


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def envelope(self) -> dict[str, Any]:
        assert self.headers.get("content-type", "").startswith("application/json"), self
        payload = json.loads(self.body)
        assert payload["success"] is False, payload
        assert set(payload["error"]) == {"code", "message", "details"}, payload
        assert isinstance(payload["error"]["details"], dict), payload
        assert isinstance(payload["error"]["message"], str) and payload["error"]["message"]
        return dict(payload["error"])


def exchange(gateway: Gateway, request: bytes) -> RawAnswer:
    """One request on its own connection, read until nginx closes it (each request asks it to,
    or is one nginx closes the connection after)."""
    host, port = gateway.url.removeprefix("http://").rsplit(":", 1)
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawAnswer(int(status_line.split()[1]), headers, body)


H = b"Host: gateway\r\nConnection: close\r\n"

# (what is wrong, the raw request, the status, the envelope's code)
REFUSED: list[tuple[str, bytes, int, str]] = [
    ("TRACE", b"TRACE /api/v1/customers HTTP/1.1\r\n" + H + b"\r\n", 405, "NOT_FOUND"),
    ("TRACE on /", b"TRACE / HTTP/1.1\r\n" + H + b"\r\n", 405, "NOT_FOUND"),
    (
        "HTTP/2.0 in text",
        b"GET /api/v1/customers HTTP/2.0\r\n" + H + b"\r\n",
        505,
        "VALIDATION_ERROR",
    ),
    (
        "unknown transfer-encoding",
        b"POST /api/v1/customers HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip\r\n\r\n",
        501,
        "VALIDATION_ERROR",
    ),
    (
        "chunked in HTTP/1.0",
        b"POST /api/v1/customers HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        400,
        "VALIDATION_ERROR",
    ),
    (
        "invalid content-length",
        b"POST /api/v1/customers HTTP/1.1\r\n" + H + b"Content-Length: abc\r\n\r\n",
        400,
        "VALIDATION_ERROR",
    ),
    ("no host in HTTP/1.1", b"GET /api/v1/customers HTTP/1.1\r\n\r\n", 400, "VALIDATION_ERROR"),
    ("a NUL in the path", b"GET /api/v1/%00 HTTP/1.1\r\n" + H + b"\r\n", 400, "VALIDATION_ERROR"),
    ("above the root", b"GET /../etc/passwd HTTP/1.1\r\n" + H + b"\r\n", 400, "VALIDATION_ERROR"),
    ("CONNECT", b"CONNECT example.com:443 HTTP/1.1\r\n" + H + b"\r\n", 400, "VALIDATION_ERROR"),
    ("not HTTP", b"NOT HTTP AT ALL\r\n\r\n", 400, "VALIDATION_ERROR"),
    (
        "URI too long",
        b"GET /api/v1/tickets/" + b"a" * 10_000 + b" HTTP/1.1\r\n" + H + b"\r\n",
        414,
        "VALIDATION_ERROR",
    ),
    (
        "a header too large",
        b"GET /api/v1/tickets HTTP/1.1\r\n" + H + b"X-Big: " + b"b" * 20_000 + b"\r\n\r\n",
        431,
        "VALIDATION_ERROR",
    ),
    ("unknown path", b"GET /wp-login.php HTTP/1.1\r\n" + H + b"\r\n", 404, "NOT_FOUND"),
    (
        "body over the limit",
        b"POST /api/v1/customers HTTP/1.1\r\n" + H + b"Content-Length: 3000000\r\n\r\n",
        413,
        "VALIDATION_ERROR",
    ),
]


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [pytest.param(raw, status, code, id=what) for what, raw, status, code in REFUSED],
)
def test_every_request_the_gateway_refuses_is_answered_in_the_envelope(
    routing_gateway: Gateway, request_bytes: bytes, status: int, code: str
) -> None:
    answer = exchange(routing_gateway, request_bytes)
    assert answer.status == status, answer
    assert answer.envelope()["code"] == code
    assert b"<html" not in answer.body.lower()
    assert "x-request-id" in answer.headers


def test_a_refused_method_is_named_in_the_answer(routing_gateway: Gateway) -> None:
    answer = exchange(routing_gateway, b"TRACE /api/v1/customers HTTP/1.1\r\n" + H + b"\r\n")
    error = answer.envelope()
    assert error["details"] == {"method": "TRACE"}
    assert "TRACE" in error["message"]


def test_a_service_down_or_broken_is_answered_in_the_envelope(
    routing_gateway: Gateway, start_gateway: StartGateway, dead_upstreams: dict[str, str]
) -> None:
    down = exchange(
        start_gateway(dead_upstreams), b"GET /api/v1/tickets HTTP/1.1\r\n" + H + b"\r\n"
    )
    assert down.status == 503
    assert down.envelope() == {
        "code": "SERVICE_UNAVAILABLE",
        "message": "The tickets service is not available",
        "details": {"service": "tickets"},
    }
    garbage = exchange(routing_gateway, b"GET /api/v1/tickets/garbage HTTP/1.1\r\n" + H + b"\r\n")
    assert garbage.status == 502
    assert garbage.envelope()["code"] == "EXTERNAL_SERVICE_ERROR"
    slow = exchange(routing_gateway, b"GET /api/v1/audit-logs/slow HTTP/1.1\r\n" + H + b"\r\n")
    assert slow.status == 504
    assert slow.envelope()["code"] == "EXTERNAL_SERVICE_ERROR"


def test_the_rate_limit_is_answered_in_the_envelope(
    start_gateway: StartGateway, dead_upstreams: dict[str, str]
) -> None:
    limited = start_gateway(dead_upstreams, rate=1, burst=0)
    answers = [
        exchange(limited, b"GET /api/v1/nothing HTTP/1.1\r\n" + H + b"\r\n") for _ in range(5)
    ]
    refused = [a for a in answers if a.status == 429]
    assert refused, [a.status for a in answers]
    assert refused[0].envelope()["code"] == "RATE_LIMITED"
