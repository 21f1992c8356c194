"""Builds what the service runs on from settings: database and unit of work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar
from uuid import UUID

from isp_common.db import Database
from isp_common.settings import Settings

from isp_billing.adapters.unit_of_work import BillingUnitOfWork

SERVICE = "billing"
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    db: Database
    # How often the worker looks for tenants whose daily run is due.
    daily_check_seconds: float = 300.0

    def unit_of_work(self, tenant_id: UUID) -> BillingUnitOfWork:
        return BillingUnitOfWork(self.db, tenant_id)

    async def run(
        self,
        tenant_id: UUID,
        use_case: Callable[Concatenate[BillingUnitOfWork, P], Awaitable[T]],
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


def billing_settings(**overrides: Any) -> Settings:
    return Settings(service_name=SERVICE, **overrides)


def build_runtime(settings: Settings) -> Runtime:
    db = Database(
        settings.service_dsn, settings.db_schema, producer=SERVICE, pool_size=settings.db_pool_size
    )
    return Runtime(settings=settings, db=db)
