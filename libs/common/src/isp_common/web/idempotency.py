"""`Idempotency-Key` on POST: done once per caller and key.

A key belongs to whoever sent it: the tenant, the token's subject, its roles and its customer.
Another caller's identical key is another key, so nobody can read someone else's answer by
guessing their key. The same key with the same request (method, path, query and body) answers
the first response again; with another request, or while the first is still running, CONFLICT.

The key is claimed in its own committed transaction before the request runs, so two concurrent
retries can never both do the work. The answer is stored before it is sent: a client that sees
it can rely on a retry seeing the same. A request that never began its work (401, 403, 422, 429)
or failed (5xx) releases its claim so that it may be retried. A key older than
IDEMPOTENCY_KEY_LIFETIME is free again, whether or not housekeeping has purged it yet.

An answer marked `Cache-Control: no-store` (isp_common.web.shown_once: a one-time reset token,
an activation code, a TOTP secret) is not kept: the work still counts as done, and a retry
with the key answers CONFLICT saying so, rather than the secret from a copy in the clear.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isp_common.auth import Principal
from isp_common.db import Database, UnitOfWork
from isp_common.platform_tables import IDEMPOTENCY_KEY_LIFETIME
from isp_common.web.envelope import error_body
from isp_common.web.request_guard import principal_of, send_body, send_error

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
# Answers that say the work never began (or that the caller should simply come back): kept, a
# retry would repeat them even after the caller fixed what was wrong.
RELEASED_STATUSES = frozenset({401, 403, 422, 429})
_SHOWN_ONCE = error_body(
    "CONFLICT",
    "a request with this Idempotency-Key was done; its answer held a secret shown only once",
)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        key_raw = headers.get(HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or key_raw is None:
            await self.app(scope, receive, send)
            return
        key = key_raw.decode("latin-1")
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            await send_error(
                send,
                422,
                error_body(
                    "VALIDATION_ERROR",
                    f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters",
                    {"fields": [{"field": "Idempotency-Key", "message": "bad length"}]},
                ),
            )
            return
        # The request guard outside has verified the token of every /api/v1 request.
        principal = principal_of(scope)
        if principal is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        stored_key = _caller_key(principal, key)
        digest = hashlib.sha256(
            b"\n".join(
                [scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b"")]
            )
            + b"\n"
            + body
        ).hexdigest()
        replay = await self._claim(principal, stored_key, key, digest)
        if replay is not None:
            await replay(send)
            return
        response = _BufferedResponse()
        try:
            await self.app(scope, _replay(body), response.capture)
        except BaseException:
            await self._release(principal, stored_key)
            raise
        await self._finish(principal, stored_key, response)
        await response.send_to(send)

    async def _claim(self, principal: Principal, stored_key: str, key: str, digest: str) -> Any:
        table = self.db.tables.idempotency_keys
        tenant_id = principal.tenant_id
        fresh_claim = insert(table).values(tenant_id=tenant_id, key=stored_key, request_hash=digest)
        claim = fresh_claim.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.key],
            set_={
                "request_hash": digest,
                "status_code": None,
                "response_body": None,
                "created_at": func.now(),
            },
            where=table.c.created_at < func.now() - IDEMPOTENCY_KEY_LIFETIME,
        ).returning(table.c.key)
        async with UnitOfWork(self.db, tenant_id) as uow:
            if (await uow.connection.execute(claim)).first() is not None:
                await uow.commit()
                return None
            row = (
                await uow.connection.execute(
                    select(table.c.request_hash, table.c.status_code, table.c.response_body).where(
                        table.c.tenant_id == tenant_id, table.c.key == stored_key
                    )
                )
            ).one()
        if row.request_hash != digest:
            conflict = "this Idempotency-Key was used for another request"
        elif row.status_code is None:
            conflict = "a request with this Idempotency-Key is still in progress"
        else:
            status, answer = int(row.status_code), row.response_body.encode()
            replayed = [(b"idempotency-replayed", b"true")]
            return lambda send: send_body(send, status, answer, replayed)
        content = error_body("CONFLICT", conflict, {"key": key})
        return lambda send: send_error(send, 409, content)

    async def _finish(
        self, principal: Principal, stored_key: str, response: _BufferedResponse
    ) -> None:
        if response.status >= 500 or response.status in RELEASED_STATUSES:
            await self._release(principal, stored_key)
            return
        status, body = response.status, response.body
        if response.holds_secret:
            status, body = 409, json.dumps(_SHOWN_ONCE).encode()
        table = self.db.tables.idempotency_keys
        async with UnitOfWork(self.db, principal.tenant_id) as uow:
            await uow.connection.execute(
                update(table)
                .where(table.c.tenant_id == principal.tenant_id, table.c.key == stored_key)
                .values(
                    status_code=status,
                    response_body=body.decode("utf-8", "replace"),
                )
            )
            await uow.commit()

    async def _release(self, principal: Principal, stored_key: str) -> None:
        table = self.db.tables.idempotency_keys
        async with UnitOfWork(self.db, principal.tenant_id) as uow:
            await uow.connection.execute(
                delete(table).where(
                    table.c.tenant_id == principal.tenant_id, table.c.key == stored_key
                )
            )
            await uow.commit()


def _caller_key(principal: Principal, key: str) -> str:
    """What the row is keyed by: the caller and their key, digested (it fits, and says nothing)."""
    caller = "\n".join(
        [principal.sub, ",".join(sorted(principal.roles)), str(principal.customer_id or "")]
    )
    return hashlib.sha256(f"{caller}\n{key}".encode()).hexdigest()


class _BufferedResponse:
    """The route's whole answer, held until it is stored."""

    def __init__(self) -> None:
        self.status = 500
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def capture(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start, self.status = message, message["status"]
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def holds_secret(self) -> bool:
        headers = (self.start or {}).get("headers", [])
        return any(
            name.lower() == b"cache-control" and b"no-store" in value.lower()
            for name, value in headers
        )

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    async def send_to(self, send: Send) -> None:
        if self.start is None:
            return
        await send(self.start)
        await send({"type": "http.response.body", "body": self.body})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
