"""The part of a unit of work every service's use cases see the same way, as a protocol: a
service's use_cases/ports.py declares its UnitOfWork as this plus its repositories, and
isp_common.db.UnitOfWork (subclassed in each service's adapters) implements it."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from pydantic import BaseModel

from isp_common.messaging.envelope import Event


class Transaction(Protocol):
    """One transaction of one tenant: `async with uow: …; await uow.commit()`; leaving without
    commit rolls back, and the events raised are written to the outbox at commit."""

    def raise_event(
        self, type_: str, aggregate_id: UUID, aggregate_version: int, data: BaseModel
    ) -> Event: ...

    async def commit(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
