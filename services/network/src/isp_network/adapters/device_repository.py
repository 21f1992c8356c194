"""All SQL about devices: rows ↔ entities, filters and search, the one default router."""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_network.adapters.tables import devices
from isp_network.domain.devices import (
    ConnectionStatus,
    Device,
    DeviceFilter,
    DeviceStatus,
    DeviceType,
    RouterReport,
)
from isp_network.domain.errors import field_conflict

_FIELDS = tuple(f.name for f in fields(Device))
_COLUMNS = [devices.c[name] for name in _FIELDS]
_BY_ID = select(*_COLUMNS).where(devices.c.id == bindparam("device_id"))
_BY_SERIAL = select(*_COLUMNS).where(devices.c.serial_number == bindparam("serial"))
_SEARCHED = (
    "device_name",
    "serial_number",
    "mac_address",
    "ip_address",
    "brand",
    "model",
    "location",
)
_SERIAL_TAKEN = "this serial number is already used by another device"


class SqlDeviceRepository:
    def __init__(self, connection: AsyncConnection, tenant_id: UUID) -> None:
        self._connection = connection
        self._tenant_id = tenant_id

    async def add(self, device: Device) -> None:
        values = {**_values(device), "tenant_id": self._tenant_id}
        await self._execute_unique(devices.insert().values(values))

    async def save(self, device: Device) -> None:
        statement = update(devices).where(devices.c.id == device.id).values(_values(device))
        await self._execute_unique(statement)

    async def delete(self, device_id: UUID) -> None:
        await self._connection.execute(devices.delete().where(devices.c.id == device_id))

    async def get(self, device_id: UUID, *, for_update: bool = False) -> Device | None:
        query = _BY_ID.with_for_update() if for_update else _BY_ID
        row = (await self._connection.execute(query, {"device_id": device_id})).mappings().first()
        return _to_device(row) if row else None

    async def of_customer(self, customer_id: UUID) -> list[Device]:
        query = select(*_COLUMNS).where(devices.c.customer_id == customer_id)
        rows = (await self._connection.execute(query.with_for_update())).mappings().all()
        return [_to_device(row) for row in rows]

    async def by_serial(self, serial: str) -> Device | None:
        row = (await self._connection.execute(_BY_SERIAL, {"serial": serial})).mappings().first()
        return _to_device(row) if row else None

    async def serial_taken(self, serial: str, *, other_than: UUID) -> bool:
        query = select(devices.c.id).where(
            devices.c.serial_number == serial, devices.c.id != other_than
        )
        return (await self._connection.execute(query)).first() is not None

    async def count_children(self, device_id: UUID) -> int:
        query = select(func.count()).where(devices.c.parent_device_id == device_id)
        return int(await self._connection.scalar(query) or 0)

    async def ancestors(self, device_id: UUID, limit: int = 64) -> list[UUID]:
        """`device_id` and the chain of parents above it (to refuse a cycle)."""
        chain = [device_id]
        current: UUID | None = device_id
        while current is not None and len(chain) <= limit:
            current = await self._connection.scalar(
                select(devices.c.parent_device_id).where(devices.c.id == current)
            )
            if current is not None:
                if current in chain:
                    break
                chain.append(current)
        return chain

    async def lock_default_router(self) -> None:
        """Serialises the tenant's changes of default router until commit: two devices made
        default at once then take turns, and the second clears the first."""
        await self._connection.execute(
            text("select pg_advisory_xact_lock(hashtext('network.default_router:' || :tenant))"),
            {"tenant": str(self._tenant_id)},
        )

    async def default_routers(self, *, other_than: UUID) -> list[Device]:
        query = select(*_COLUMNS).where(
            devices.c.is_default_mikrotik.is_(True), devices.c.id != other_than
        )
        rows = (await self._connection.execute(query.with_for_update())).mappings().all()
        return [_to_device(row) for row in rows]

    async def page(self, where: DeviceFilter, request: PageRequest) -> Page[Device]:
        condition = _matching(where)
        total = await self._connection.scalar(select(func.count()).where(condition))
        query = (
            select(*_COLUMNS)
            .where(condition)
            .order_by(devices.c.created_at, devices.c.id)
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query)).mappings().all()
        return Page([_to_device(row) for row in rows], int(total or 0), request)

    async def record_report(self, report: RouterReport) -> bool:
        """Operational state from the agent: not a change of the device's configuration, so
        neither its version nor an event (the agent would hear its own report back). Reports
        come in the agent's order (the consumer skips older versions of the router); a sync
        result older than the one held is still ignored."""
        values: dict[str, Any] = {}
        guard: ColumnElement[bool] = true()
        if report.sync_result is not None:
            values |= {"last_sync_at": report.at, "last_sync_result": report.sync_result}
            guard = or_(devices.c.last_sync_at.is_(None), devices.c.last_sync_at <= report.at)
        if report.connection_status is not None:
            values["connection_status"] = report.connection_status.value
            if report.connection_status is ConnectionStatus.ONLINE:
                values |= {"last_connected_at": report.at, "last_seen": report.at}
            # An operator's `maintenance` stays until the operator lifts it.
            online = report.connection_status is ConnectionStatus.ONLINE
            status = DeviceStatus.ONLINE if online else DeviceStatus.OFFLINE
            values["status"] = _unless_maintenance(status)
        statement = (
            update(devices)
            .where(devices.c.id == report.router_id, guard)
            .values(values)
            .returning(devices.c.id)
        )
        return (await self._connection.execute(statement)).first() is not None

    async def _execute_unique(self, statement: Any) -> None:
        try:
            await self._connection.execute(statement)
        except IntegrityError as exc:
            constraint = getattr(exc.orig.__cause__, "constraint_name", None) if exc.orig else None
            if constraint == "uq_devices_serial":
                raise field_conflict("serial_number", _SERIAL_TAKEN) from exc
            if constraint == "uq_devices_default_mikrotik":
                raise field_conflict(
                    "is_default_mikrotik", "another router became the default meanwhile"
                ) from exc
            if constraint == "fk_devices_parent":
                raise field_conflict("parent_device_id", "the parent device is gone") from exc
            raise


def _unless_maintenance(status: DeviceStatus) -> Any:
    return case(
        (devices.c.status == DeviceStatus.MAINTENANCE.value, devices.c.status),
        else_=status.value,
    )


def _matching(where: DeviceFilter) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [true()]
    if where.device_type is not None:
        conditions.append(devices.c.device_type == where.device_type.value)
    if where.status is not None:
        conditions.append(devices.c.status == where.status.value)
    if where.customer_id is not None:
        conditions.append(devices.c.customer_id == where.customer_id)
    if where.parent_device_id is not None:
        conditions.append(devices.c.parent_device_id == where.parent_device_id)
    if where.is_default_mikrotik is not None:
        conditions.append(devices.c.is_default_mikrotik.is_(where.is_default_mikrotik))
    if where.search:
        pattern = _contains(where.search)
        conditions.append(or_(*(devices.c[c].ilike(pattern, escape="\\") for c in _SEARCHED)))
    return and_(*conditions)


def _contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _values(device: Device) -> dict[str, Any]:
    values = {name: getattr(device, name) for name in _FIELDS}
    for enum_field in ("device_type", "status", "connection_status"):
        values[enum_field] = values[enum_field].value
    return values


def _to_device(row: Any) -> Device:
    values = {name: row[name] for name in _FIELDS}
    values["device_type"] = DeviceType(row["device_type"])
    values["status"] = DeviceStatus(row["status"])
    values["connection_status"] = ConnectionStatus(row["connection_status"])
    return Device(**values)
