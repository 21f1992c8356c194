"""Routers as the agent knows them (from network.device.* events), and its view of each."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.contracts.network import DeviceSnapshot
from isp_common.pagination import PageRequest

from isp_mikrotik_agent.adapters.rows import record_from_row
from isp_mikrotik_agent.adapters.tables import router_directory, routers, subscribers
from isp_mikrotik_agent.domain.stored_state import RouterRecord

_COUNT = (
    select(func.count())
    .where(subscribers.c.target_router_id == routers.c.id)
    .where(subscribers.c.tenant_id == routers.c.tenant_id)
    .where(subscribers.c.is_deleted.is_(False))
    .where(subscribers.c.status.in_(("active", "suspended")))
    .scalar_subquery()
)


class SqlRouters:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self.connection = connection
        self.tenant_id = tenant_id

    async def upsert_device(self, device: DeviceSnapshot, now: datetime) -> tuple[bool, bool]:
        """Applies a device snapshot; returns (changed, default_changed). A device that is not
        (or no longer) a router is kept as a deleted router, so its lane stops."""
        is_router = device.device_type == "router" and not device.is_deleted
        previous = await self.default_router_id()
        values: dict[str, Any] = {
            "name": device.name,
            "host": device.ip_address,
            "port": device.api_port or 8728,
            "username": device.username,
            "password_encrypted": device.password_encrypted,
            "is_default": bool(device.is_default_mikrotik and is_router),
            "is_deleted": not is_router,
            "device_version": device.version,
            "updated_at": now,
        }
        stmt = insert(routers).values(id=device.id, tenant_id=self.tenant_id, **values)
        upsert = stmt.on_conflict_do_update(
            index_elements=[routers.c.id],
            set_=values,
            where=routers.c.device_version <= stmt.excluded.device_version,
        ).returning(routers.c.id)
        changed = (await self.connection.execute(upsert)).first() is not None
        if not changed:
            return False, False
        if values["is_default"]:
            await self.connection.execute(
                update(routers)
                .where(routers.c.tenant_id == self.tenant_id, routers.c.id != device.id)
                .values(is_default=False)
            )
        directory = insert(router_directory).values(
            router_id=device.id, tenant_id=self.tenant_id, is_deleted=not is_router
        )
        await self.connection.execute(
            directory.on_conflict_do_update(
                index_elements=[router_directory.c.router_id],
                set_={"is_deleted": directory.excluded.is_deleted},
            )
        )
        return True, previous != await self.default_router_id()

    async def default_router_id(self) -> UUID | None:
        return await self.connection.scalar(
            select(routers.c.id).where(
                routers.c.tenant_id == self.tenant_id,
                routers.c.is_default.is_(True),
                routers.c.is_deleted.is_(False),
            )
        )

    async def exists(self, router_id: UUID) -> bool:
        found = await self.connection.scalar(
            select(routers.c.id).where(
                routers.c.tenant_id == self.tenant_id,
                routers.c.id == router_id,
                routers.c.is_deleted.is_(False),
            )
        )
        return found is not None

    async def get(self, router_id: UUID, *, include_deleted: bool = False) -> RouterRecord | None:
        conditions = [routers.c.tenant_id == self.tenant_id, routers.c.id == router_id]
        if not include_deleted:
            conditions.append(routers.c.is_deleted.is_(False))
        row = (
            await self.connection.execute(
                select(routers, _COUNT.label("subscriber_count")).where(and_(*conditions))
            )
        ).first()
        return _record(row) if row else None

    async def page(self, request: PageRequest) -> tuple[list[RouterRecord], int]:
        live = and_(routers.c.tenant_id == self.tenant_id, routers.c.is_deleted.is_(False))
        total = await self.connection.scalar(select(func.count()).where(live))
        rows = await self.connection.execute(
            select(routers, _COUNT.label("subscriber_count"))
            .where(live)
            .order_by(routers.c.name, routers.c.id)
            .offset(request.offset)
            .limit(request.limit)
        )
        return [_record(r) for r in rows], int(total or 0)

    async def set_connection(
        self, router_id: UUID, status: str, error: str | None, now: datetime
    ) -> bool:
        """Records the connection state; True if it changed (an event is due)."""
        values: dict[str, Any] = {"connection_status": status, "last_error": error}
        if status == "online":
            values["last_connected_at"] = now
        before = await self.connection.scalar(
            select(routers.c.connection_status)
            .where(routers.c.tenant_id == self.tenant_id, routers.c.id == router_id)
            .with_for_update()
        )
        await self.connection.execute(
            update(routers)
            .where(routers.c.tenant_id == self.tenant_id, routers.c.id == router_id)
            .values(**values)
        )
        return before is not None and before != status

    async def record_sync(self, router_id: UUID, result: dict[str, Any], now: datetime) -> None:
        await self.connection.execute(
            update(routers)
            .where(routers.c.tenant_id == self.tenant_id, routers.c.id == router_id)
            .values(last_sync_at=now, last_sync_result=result, sync_requested_at=None)
        )

    async def request_sync(self, router_id: UUID, now: datetime) -> None:
        await self.connection.execute(
            update(routers)
            .where(routers.c.tenant_id == self.tenant_id, routers.c.id == router_id)
            .values(sync_requested_at=now)
        )

    async def sync_requested(self, router_id: UUID) -> bool:
        at = await self.connection.scalar(
            select(routers.c.sync_requested_at).where(
                routers.c.tenant_id == self.tenant_id, routers.c.id == router_id
            )
        )
        return at is not None

    async def next_event_version(self, router_id: UUID) -> int:
        version = await self.connection.scalar(
            update(routers)
            .where(routers.c.tenant_id == self.tenant_id, routers.c.id == router_id)
            .values(event_version=routers.c.event_version + 1)
            .returning(routers.c.event_version)
        )
        return int(version or 1)


def _record(row: Any) -> RouterRecord:
    return record_from_row(RouterRecord, row, subscriber_count=int(row.subscriber_count or 0))
