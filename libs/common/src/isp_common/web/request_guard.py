"""What every request passes before a route sees it: a bounded body and, under /api/v1, a token.

The gateway already caps bodies, but a service is reachable without it (inside the cluster, or
a misrouted port), so each one holds its own line: a body over `max_body_bytes` answers 413
whether it announces its length or streams it. A request under /api/v1 without a valid bearer
token answers 401 before a byte of its body is read, so an anonymous client cannot make a
service buffer anything. The verified principal is left in the scope's state for the
middlewares inside (idempotency) and the route's own `require`, which checks the roles.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isp_common.auth import Principal, TokenVerifier
from isp_common.errors import AppError, Unauthorized
from isp_common.web.envelope import error_body

PRINCIPAL_STATE = "principal"


class BodyTooLarge(HTTPException):
    """Raised by the guarded `receive` once a body passes the cap; FastAPI lets it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body larger than {limit} bytes")
        self.details = {"max_body_bytes": limit}

    def envelope(self) -> dict[str, Any]:
        return error_body("VALIDATION_ERROR", str(self.detail), self.details)


class RequestGuardMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        verifier: TokenVerifier,
        *,
        max_body_bytes: int,
        protected_prefix: str,
        public_paths: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.max_body_bytes = max_body_bytes
        self.protected_prefix = protected_prefix
        self.public_paths = tuple(public_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        if _declared_length(headers) > self.max_body_bytes:
            await self._too_large(send)
            return
        if self._is_protected(scope["path"]):
            try:
                principal = await self._principal(headers.get(b"authorization", b""))
            except AppError as exc:
                await send_error(send, exc.status, error_body(exc.code, exc.message, exc.details))
                return
            scope.setdefault("state", {})[PRINCIPAL_STATE] = principal
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._bounded(receive), tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(send)

    def _is_protected(self, path: str) -> bool:
        if path != self.protected_prefix and not path.startswith(self.protected_prefix + "/"):
            return False
        return not any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.public_paths)

    async def _principal(self, authorization: bytes) -> Principal:
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("a bearer token is required")
        return await self.verifier.verify(token.strip())

    def _bounded(self, receive: Receive) -> Receive:
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        return bounded_receive

    async def _too_large(self, send: Send) -> None:
        await send_error(send, 413, BodyTooLarge(self.max_body_bytes).envelope())


def _declared_length(headers: dict[bytes, bytes]) -> int:
    try:
        return int(headers.get(b"content-length", b"0"))
    except ValueError:
        return 0  # not a number: the server's HTTP parser has already refused it


def principal_of(scope: Scope) -> Principal | None:
    principal: Any = scope.get("state", {}).get(PRINCIPAL_STATE)
    return principal if isinstance(principal, Principal) else None


async def send_error(
    send: Send, status: int, content: dict[str, Any], extra: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """A whole JSON response from a middleware, before any route ran."""
    await send_body(send, status, json.dumps(content).encode(), extra)


async def send_body(
    send: Send, status: int, body: bytes, extra: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
