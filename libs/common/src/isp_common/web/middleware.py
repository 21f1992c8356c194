"""Request id, correlation id and latency for every request (plain ASGI: no per-request task)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isp_common import context
from isp_common.metrics import HTTP_REQUEST_SECONDS


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        request_id = headers.get("x-request-id") or uuid.uuid4().hex
        correlation_id = headers.get("x-correlation-id") or request_id
        token = context.current.set(
            context.RequestContext(request_id=request_id, correlation_id=correlation_id)
        )
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route: Any = scope.get("route")
            HTTP_REQUEST_SECONDS.labels(
                self.service,
                scope["method"],
                getattr(route, "path", "unmatched"),
                str(status),
            ).observe(time.perf_counter() - started)
            context.current.reset(token)
