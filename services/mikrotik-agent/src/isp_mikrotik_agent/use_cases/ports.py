"""What the controller's use cases need from the outside world, as protocols."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol
from uuid import UUID

from isp_mikrotik_agent.adapters.unit_of_work import AgentUnitOfWork
from isp_mikrotik_agent.domain.records import RouterRecord


class RouterApi(Protocol):
    async def print(
        self, menu: str, proplist: Sequence[str] = (), where: Mapping[str, str] | None = None
    ) -> list[dict[str, str]]: ...

    async def add(self, menu: str, attributes: Mapping[str, str]) -> str: ...

    async def set(self, menu: str, object_id: str, attributes: Mapping[str, str]) -> None: ...

    async def unset(self, menu: str, object_id: str, name: str) -> None: ...

    async def remove(self, menu: str, object_id: str) -> None: ...


class RouterSession(Protocol):
    """Hands out a logged-in connection to the router (kept open between reconciles)."""

    async def client(self, router: RouterRecord) -> RouterApi: ...


UowFactory = Callable[[UUID], AgentUnitOfWork]
Decrypt = Callable[[str], str]
