"""Builds what the service runs on from settings: the database and the unit of work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar
from uuid import UUID

from isp_common.db import Database
from isp_common.settings import Settings

from isp_boost.adapters.unit_of_work import BoostUnitOfWork

SERVICE = "boost"
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database

    def unit_of_work(self, tenant_id: UUID) -> BoostUnitOfWork:
        return BoostUnitOfWork(self.db, tenant_id)

    async def run(
        self,
        tenant_id: UUID,
        use_case: Callable[Concatenate[BoostUnitOfWork, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """One use case in one unit of work: committed when it returns, rolled back if it raises."""
        async with self.unit_of_work(tenant_id) as uow:
            result = await use_case(uow, *args, **kwargs)
            await uow.commit()
        return result

    async def aclose(self) -> None:
        await self.db.dispose()


def boost_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    db = Database(
        settings.service_dsn, settings.db_schema, producer=SERVICE, pool_size=settings.db_pool_size
    )
    return Runtime(settings=settings, db=db)
