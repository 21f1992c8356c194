"""Request id, correlation id and latency for every request (plain ASGI: no per-request task)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isp_common import context
from isp_common.logging import get_logger
from isp_common.metrics import HTTP_REQUEST_SECONDS
from isp_common.web.envelope import error_body

log = get_logger(__name__)
_INTERNAL_ERROR_BODY = json.dumps(error_body("INTERNAL_ERROR", "Internal error")).encode()
_INTERNAL_ERROR_START: Message = {
    "type": "http.response.start",
    "status": 500,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(_INTERNAL_ERROR_BODY)).encode()),
    ],
}


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
        started_response = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status = message["status"]
                started_response = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Caught here rather than by Starlette's outermost handler so that even a crash
            # answers in the envelope with its request id.
            log.exception("unhandled_error")
            if started_response:
                raise
            await send_with_id(dict(_INTERNAL_ERROR_START))
            await send({"type": "http.response.body", "body": _INTERNAL_ERROR_BODY})
        finally:
            route: Any = scope.get("route")
            HTTP_REQUEST_SECONDS.labels(
                self.service,
                scope["method"],
                getattr(route, "path", "unmatched"),
                str(status),
            ).observe(time.perf_counter() - started)
            context.current.reset(token)
