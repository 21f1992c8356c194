"""What a service runs on, built from its settings: the database, and use cases run in units of
work. Every service's `bootstrap.Runtime` subclasses `ServiceRuntime`, says which unit of work
it opens, and adds what else it holds (clients, secrets, timings), closing those in `aclose`.
Its `build_runtime` opens the database with `service_database`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Concatenate, Generic, ParamSpec, TypeVar
from uuid import UUID

from isp_common.db import Database, UnitOfWork
from isp_common.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")
UowT = TypeVar("UowT", bound=UnitOfWork)


@dataclass(frozen=True)
class ServiceRuntime(Generic[UowT]):
    settings: Settings
    db: Database

    def unit_of_work(self, tenant_id: UUID) -> UowT:
        """The service's own unit of work on the database, for one tenant."""
        raise NotImplementedError

    async def run(
        self,
        tenant_id: UUID,
        use_case: Callable[Concatenate[UowT, P], Awaitable[T]],
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


def service_database(settings: Settings) -> Database:
    """The service's database: logged in as its own role, on its own schema, its events
    produced under its own name."""
    return Database(
        settings.service_dsn,
        settings.db_schema,
        producer=settings.service_name,
        pool_size=settings.db_pool_size,
    )
