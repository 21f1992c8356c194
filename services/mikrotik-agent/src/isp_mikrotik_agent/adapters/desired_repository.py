"""Subscribers' desired state, the plans they point at, and the tenant's suspension settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot

from isp_mikrotik_agent.adapters.rows import record_from_row
from isp_mikrotik_agent.adapters.tables import plans, settings, subscribers
from isp_mikrotik_agent.domain.desired import SuspensionMode, SuspensionSettings
from isp_mikrotik_agent.domain.stored_state import Outcome, SubscriberRecord

CHANNEL = "mikrotik_agent_desired"
_BUMP = {"revision": subscribers.c.revision + 1}


class SqlDesiredState:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self.connection = connection
        self.tenant_id = tenant_id

    def _mine(self) -> Any:
        return subscribers.c.tenant_id == self.tenant_id

    async def notify(self) -> None:
        """Wakes the lanes of this tenant on every replica once the transaction commits."""
        await self.connection.execute(
            text("select pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": str(self.tenant_id)},
        )

    # -- plans ----------------------------------------------------------------------------------

    async def upsert_plan(self, plan: ServicePlanSnapshot) -> bool:
        advanced = plan.advanced
        values: dict[str, Any] = {
            "bandwidth_download": plan.bandwidth_download,
            "bandwidth_upload": plan.bandwidth_upload,
            "burst_rate_download": advanced.burst_rate_download if advanced else None,
            "burst_rate_upload": advanced.burst_rate_upload if advanced else None,
            "burst_threshold": advanced.burst_threshold if advanced else None,
            "burst_time": advanced.burst_time if advanced else None,
            "queue_name_template": advanced.queue_name_template if advanced else None,
            "is_deleted": plan.is_deleted,
            "version": plan.version,
        }
        stmt = insert(plans).values(id=plan.id, tenant_id=self.tenant_id, **values)
        upsert = stmt.on_conflict_do_update(
            index_elements=[plans.c.id],
            set_=values,
            where=plans.c.version <= stmt.excluded.version,
        ).returning(plans.c.id)
        if (await self.connection.execute(upsert)).first() is None:
            return False
        await self.connection.execute(
            update(subscribers).where(self._mine(), subscribers.c.plan_id == plan.id).values(_BUMP)
        )
        return True

    # -- subscribers ----------------------------------------------------------------------------

    async def upsert_customer(
        self, customer: CustomerSnapshot, target_router_id: UUID | None, now: datetime
    ) -> None:
        values: dict[str, Any] = {
            "customer_code": customer.customer_code,
            "status": customer.status,
            "is_deleted": customer.is_deleted,
            "pppoe_username": customer.pppoe_username,
            "pppoe_password_encrypted": customer.pppoe_password_encrypted,
            "remote_address": customer.remote_address,
            "plan_id": customer.service_plan_id,
            "router_id": customer.router_id,
            "target_router_id": target_router_id,
            "customer_version": customer.version,
            "updated_at": now,
        }
        stmt = insert(subscribers).values(
            customer_id=customer.id, tenant_id=self.tenant_id, **values
        )
        await self.connection.execute(
            stmt.on_conflict_do_update(
                index_elements=[subscribers.c.customer_id],
                set_={**values, **_BUMP},
                where=subscribers.c.customer_version <= stmt.excluded.customer_version,
            )
        )

    async def set_boost(
        self,
        customer_id: UUID,
        boost_id: UUID,
        speeds: tuple[int, int] | None,
        expires_at: datetime | None,
        now: datetime,
    ) -> None:
        """Starts the boost (speeds = (upload, download)) or, with None, ends it if it is the
        boost the subscriber has (an older boost's end must not end a newer one)."""
        if speeds is None:
            await self.connection.execute(
                update(subscribers)
                .where(self._mine(), subscribers.c.customer_id == customer_id)
                .where(subscribers.c.boost_id == boost_id)
                .values(
                    boost_id=None,
                    boost_upload=None,
                    boost_download=None,
                    boost_expires_at=None,
                    updated_at=now,
                    **_BUMP,
                )
            )
            return
        values: dict[str, Any] = {
            "boost_id": boost_id,
            "boost_upload": speeds[0],
            "boost_download": speeds[1],
            "boost_expires_at": expires_at,
            "updated_at": now,
        }
        stmt = insert(subscribers).values(
            customer_id=customer_id, tenant_id=self.tenant_id, **values
        )
        await self.connection.execute(
            stmt.on_conflict_do_update(
                index_elements=[subscribers.c.customer_id], set_={**values, **_BUMP}
            )
        )

    async def retarget_default(self, default_router_id: UUID | None) -> None:
        """Subscribers that name no router follow the tenant's default router."""
        await self.connection.execute(
            update(subscribers)
            .where(self._mine(), subscribers.c.router_id.is_(None))
            .where(subscribers.c.target_router_id.is_distinct_from(default_router_id))
            .values(target_router_id=default_router_id, **_BUMP)
        )

    async def touch_all(self) -> None:
        await self.connection.execute(update(subscribers).where(self._mine()).values(_BUMP))

    async def for_router(
        self, router_id: UUID, *, only_dirty: bool, limit: int | None = None
    ) -> list[SubscriberRecord]:
        """Subscribers that belong on the router or whose objects are still there; with
        `only_dirty`, those whose router is not yet known to match."""
        here = subscribers.c.target_router_id == router_id
        left = and_(
            subscribers.c.placed_router_id == router_id,
            subscribers.c.target_router_id.is_distinct_from(router_id),
        )
        if only_dirty:
            condition = or_(
                and_(here, subscribers.c.revision > subscribers.c.reconciled_revision), left
            )
        else:
            condition = or_(here, subscribers.c.placed_router_id == router_id)
        stmt = (
            select(
                subscribers,
                plans.c.bandwidth_upload,
                plans.c.bandwidth_download,
                plans.c.burst_rate_upload,
                plans.c.burst_rate_download,
                plans.c.burst_threshold,
                plans.c.burst_time,
                plans.c.queue_name_template,
            )
            .select_from(
                subscribers.outerjoin(
                    plans, and_(plans.c.id == subscribers.c.plan_id, plans.c.is_deleted.is_(False))
                )
            )
            .where(self._mine(), condition)
            .order_by(subscribers.c.customer_id)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_record(row) for row in await self.connection.execute(stmt)]

    async def count_for(self, router_id: UUID) -> int:
        return int(
            await self.connection.scalar(
                select(func.count()).where(
                    self._mine(), subscribers.c.target_router_id == router_id
                )
            )
            or 0
        )

    async def record_outcomes(
        self, outcomes: Sequence[Outcome], now: datetime
    ) -> list[tuple[Outcome, int]]:
        """Writes what the reconcile did; returns the outcomes an event is due for (a customer
        version not reported yet, or a change between provisioned and failed), each with the
        subscriber's next event version."""
        due: list[tuple[Outcome, int]] = []
        for outcome in outcomes:
            status = "provisioned" if outcome.ok else "failed"
            mine = and_(self._mine(), subscribers.c.customer_id == outcome.customer_id)
            if outcome.moved_away:
                if outcome.ok:
                    await self.connection.execute(
                        update(subscribers)
                        .where(mine, subscribers.c.placed_router_id == outcome.router_id)
                        .values(placed_router_id=None)
                    )
                continue
            row = (
                await self.connection.execute(
                    select(
                        subscribers.c.reported_version,
                        subscribers.c.provisioning_status,
                        subscribers.c.event_version,
                    ).where(mine)
                )
            ).first()
            if row is None:
                continue
            values: dict[str, Any] = {"provisioning_status": status, "last_error": outcome.error}
            if outcome.ok:
                values["reconciled_revision"] = func.greatest(
                    subscribers.c.reconciled_revision, outcome.revision
                )
                values["placed_router_id"] = outcome.router_id if outcome.placed else None
            report = outcome.customer_version > row.reported_version or (
                status != row.provisioning_status
            )
            if report:
                values["reported_version"] = func.greatest(
                    subscribers.c.reported_version, outcome.customer_version
                )
                values["event_version"] = row.event_version + 1
                due.append((outcome, row.event_version + 1))
            await self.connection.execute(update(subscribers).where(mine).values(**values))
        return due

    # -- settings -------------------------------------------------------------------------------

    async def settings(self) -> SuspensionSettings:
        row = (
            await self.connection.execute(
                select(settings).where(settings.c.tenant_id == self.tenant_id)
            )
        ).first()
        if row is None:
            return SuspensionSettings()
        return SuspensionSettings(
            SuspensionMode(row.suspension_mode), row.isolation_profile, row.isolation_address_list
        )

    async def save_settings(self, value: SuspensionSettings, now: datetime) -> None:
        values = {
            "suspension_mode": value.mode.value,
            "isolation_profile": value.isolation_profile,
            "isolation_address_list": value.isolation_address_list,
            "updated_at": now,
        }
        stmt = insert(settings).values(tenant_id=self.tenant_id, **values)
        await self.connection.execute(
            stmt.on_conflict_do_update(index_elements=[settings.c.tenant_id], set_=values)
        )


def _record(row: Any) -> SubscriberRecord:
    # The plan's speeds are stored as the plan's bandwidth.
    return record_from_row(
        SubscriberRecord,
        row,
        columns={"plan_upload": "bandwidth_upload", "plan_download": "bandwidth_download"},
    )
