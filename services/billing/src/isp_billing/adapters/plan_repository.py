"""All SQL about service plans and their changelog."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.errors import Conflict
from isp_common.pagination import Page, PageRequest

from isp_billing.adapters.tables import accounts, plan_changelog, service_plans
from isp_billing.domain.listing import PlanFilter
from isp_billing.domain.plans import AdvancedConfig, ChangelogEntry, FieldChange, ServicePlan

_PLAN_FIELDS = tuple(f.name for f in fields(ServicePlan))
_LIVE = service_plans.c.deleted_at.is_(None)


class SqlPlanRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, plan: ServicePlan) -> None:
        await self._write(service_plans.insert().values(tenant_id=self._tenant_id, **_row(plan)))

    async def save(self, plan: ServicePlan) -> None:
        await self._write(
            update(service_plans).where(service_plans.c.id == plan.id).values(_row(plan))
        )

    async def delete(self, plan_id: UUID, now: datetime) -> None:
        await self._connection.execute(
            update(service_plans).where(service_plans.c.id == plan_id).values(deleted_at=now)
        )

    async def get(self, plan_id: UUID, *, for_update: bool = False) -> ServicePlan | None:
        query = select(*(service_plans.c[n] for n in _PLAN_FIELDS)).where(
            service_plans.c.id == plan_id, _LIVE
        )
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).mappings().first()
        return _plan(row) if row else None

    async def page(self, where: PlanFilter, request: PageRequest) -> Page[ServicePlan]:
        conditions: list[ColumnElement[bool]] = [_LIVE]
        if where.search:
            escaped = where.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(service_plans.c.name.ilike(f"%{escaped}%", escape="\\"))
        if where.is_active is not None:
            conditions.append(service_plans.c.is_active.is_(where.is_active))
        condition = and_(true(), *conditions)
        total = await self._connection.scalar(
            select(func.count()).select_from(service_plans).where(condition)
        )
        rows = (
            await self._connection.execute(
                select(*(service_plans.c[n] for n in _PLAN_FIELDS))
                .where(condition)
                .order_by(service_plans.c.name, service_plans.c.id)
                .limit(request.limit)
                .offset(request.offset)
            )
        ).mappings()
        return Page([_plan(r) for r in rows], int(total or 0), request)

    async def customers_using(self, plan_id: UUID) -> int:
        """Customers of the replica on this plan that still hold a subscription."""
        query = select(func.count()).where(
            accounts.c.service_plan_id == plan_id,
            accounts.c.is_deleted.is_(False),
            accounts.c.status != "terminated",
        )
        return int(await self._connection.scalar(query) or 0)

    async def add_changelog(
        self, plan_id: UUID, changes: list[FieldChange], by: str | None, at: datetime
    ) -> None:
        if not changes:
            return
        await self._connection.execute(
            insert(plan_changelog),
            [
                {
                    "id": uuid.uuid4(),
                    "tenant_id": self._tenant_id,
                    "service_plan_id": plan_id,
                    "field": change.field,
                    "old_value": change.old_value,
                    "new_value": change.new_value,
                    "changed_by": by,
                    "changed_at": at,
                }
                for change in changes
            ],
        )

    async def changelog(self, plan_id: UUID) -> list[ChangelogEntry]:
        query = (
            select(plan_changelog)
            .where(plan_changelog.c.service_plan_id == plan_id)
            .order_by(plan_changelog.c.seq)
        )
        rows = (await self._connection.execute(query)).mappings()
        return [
            ChangelogEntry(
                r["id"],
                r["field"],
                r["old_value"],
                r["new_value"],
                r["changed_by"],
                r["changed_at"],
            )
            for r in rows
        ]

    async def _write(self, statement: Any) -> None:
        try:
            await self._connection.execute(statement)
        except IntegrityError as exc:
            constraint = getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None
            if constraint == "uq_service_plans_name":
                raise Conflict(
                    "a service plan with this name exists", {"fields": ["name"]}
                ) from exc
            raise


def _row(plan: ServicePlan) -> dict[str, Any]:
    values = {name: getattr(plan, name) for name in _PLAN_FIELDS}
    values["advanced"] = plan.advanced.model_dump(mode="json") if plan.advanced else None
    return values


def _plan(row: Any) -> ServicePlan:
    values = {name: row[name] for name in _PLAN_FIELDS}
    advanced = row["advanced"]
    values["advanced"] = AdvancedConfig.model_validate(advanced) if advanced is not None else None
    return ServicePlan(**values)
