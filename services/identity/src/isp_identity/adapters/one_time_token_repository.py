"""One-time tokens (password reset links): SQL; the use cases see the port."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_identity.adapters.tables import one_time_tokens
from isp_identity.domain.sessions import OneTimeToken

_FIELDS = [f.name for f in fields(OneTimeToken)]
_BY_ID = select(*(one_time_tokens.c[n] for n in _FIELDS)).where(
    one_time_tokens.c.id == bindparam("token_id")
)


class SqlOneTimeTokenRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, token: OneTimeToken) -> None:
        values = {name: getattr(token, name) for name in _FIELDS}
        await self._connection.execute(
            insert(one_time_tokens).values(**values, tenant_id=self._tenant_id)
        )

    async def get(self, token_id: UUID, *, for_update: bool = False) -> OneTimeToken | None:
        query = _BY_ID.with_for_update() if for_update else _BY_ID
        row = (await self._connection.execute(query, {"token_id": token_id})).mappings().first()
        return OneTimeToken(**row) if row else None

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        await self._connection.execute(
            update(one_time_tokens)
            .where(one_time_tokens.c.id == token_id, one_time_tokens.c.used_at.is_(None))
            .values(used_at=at)
        )

    async def discard_unused(self, user_id: UUID, purpose: str, at: datetime) -> None:
        await self._connection.execute(
            update(one_time_tokens)
            .where(
                one_time_tokens.c.user_id == user_id,
                one_time_tokens.c.purpose == purpose,
                one_time_tokens.c.used_at.is_(None),
            )
            .values(used_at=at)
        )
