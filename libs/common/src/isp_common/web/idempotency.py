"""`Idempotency-Key` on POST: done once per tenant and key.

The same key with the same request answers the first response again; with another request, or
while the first is still running, it answers CONFLICT. The key is claimed in its own committed
transaction before the request runs, so two concurrent retries can never both do the work. A
request that ends in a 5xx releases its claim so that the client may retry it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isp_common.auth import TokenVerifier
from isp_common.db import Database, UnitOfWork
from isp_common.errors import Unauthorized
from isp_common.web.envelope import error_body

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, db: Database, verifier: TokenVerifier) -> None:
        self.app = app
        self.db = db
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        key_raw = headers.get(HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or not key_raw:
            await self.app(scope, receive, send)
            return
        key = key_raw.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            await _send_json(
                send,
                422,
                error_body(
                    "VALIDATION_ERROR",
                    "Idempotency-Key must be 1 to 255 characters",
                    {"fields": [{"field": "Idempotency-Key", "message": "bad length"}]},
                ),
            )
            return
        body = await _read_body(receive)
        tenant_id = await self._tenant(headers.get(b"authorization", b""))
        if tenant_id is None:  # the route answers 401 in its own words
            await self.app(scope, _replay(body), send)
            return
        digest = hashlib.sha256(
            b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        outcome = await self._claim(tenant_id, key, digest)
        if outcome is not None:
            await _send_json(send, *outcome)
            return
        status, chunks = 500, []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, _replay(body), capture)
        finally:
            await self._finish(tenant_id, key, status, b"".join(chunks))

    async def _tenant(self, authorization: bytes) -> Any:
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return (await self.verifier.verify(token.strip())).tenant_id
        except Unauthorized:
            return None

    async def _claim(
        self, tenant_id: Any, key: str, digest: str
    ) -> tuple[int, dict[str, Any]] | None:
        table = self.db.tables.idempotency_keys
        async with UnitOfWork(self.db, tenant_id) as uow:
            claimed = await uow.connection.execute(
                insert(table)
                .values(tenant_id=tenant_id, key=key, request_hash=digest)
                .on_conflict_do_nothing()
                .returning(table.c.key)
            )
            if claimed.first() is not None:
                await uow.commit()
                return None
            row = (
                await uow.connection.execute(
                    select(table.c.request_hash, table.c.status_code, table.c.response_body).where(
                        table.c.tenant_id == tenant_id, table.c.key == key
                    )
                )
            ).one()
        if row.request_hash != digest:
            return 409, error_body(
                "CONFLICT", "this Idempotency-Key was used for another request", {"key": key}
            )
        if row.status_code is None:
            return 409, error_body(
                "CONFLICT", "a request with this Idempotency-Key is still in progress", {"key": key}
            )
        return row.status_code, {"__raw__": row.response_body}

    async def _finish(self, tenant_id: Any, key: str, status: int, body: bytes) -> None:
        table = self.db.tables.idempotency_keys
        where = (table.c.tenant_id == tenant_id, table.c.key == key)
        async with UnitOfWork(self.db, tenant_id) as uow:
            if status >= 500:
                await uow.connection.execute(delete(table).where(*where))
            else:
                await uow.connection.execute(
                    update(table)
                    .where(*where)
                    .values(status_code=status, response_body=body.decode())
                )
            await uow.commit()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
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


async def _send_json(send: Send, status: int, content: dict[str, Any]) -> None:
    import json

    raw = content.get("__raw__")
    body = raw.encode() if isinstance(raw, str) else json.dumps(content).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if raw is not None:
        headers.append((b"idempotency-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
