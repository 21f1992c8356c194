"""All SQL about monitoring samples: bulk insert, series, buckets, the latest, pages, purge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy import ColumnElement, and_, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common.pagination import Page, PageRequest

from isp_network.adapters.partitions import SamplePartitions
from isp_network.adapters.tables import SCHEMA, samples
from isp_network.domain.errors import invalid_field
from isp_network.domain.monitoring import (
    BUCKET_ORIGIN,
    Bucket,
    Sample,
    SampleData,
    SampleFilter,
    SeriesPoint,
    TimeRange,
    days_between,
)

# One statement for a whole batch: each column travels as one array parameter. (COPY is not
# allowed into a table under row-level security; this costs about the same.) Samples of a
# customer the replica knows as deleted are dropped: their data was purged.
_INSERT = f"""
INSERT INTO "{SCHEMA}".samples (
    tenant_id, customer_id, sampled_at, download_speed, upload_speed, download_usage,
    upload_usage, onu_status, signal_strength, temperature, uptime, is_online, last_seen
)
SELECT current_setting('app.tenant_id')::uuid, s.*
FROM unnest(
    $1::uuid[], $2::timestamptz[], $3::int4[], $4::int4[], $5::int8[], $6::int8[],
    $7::text[], $8::float8[], $9::float8[], $10::int8[], $11::bool[], $12::timestamptz[]
) AS s (
    customer_id, sampled_at, download_speed, upload_speed, download_usage, upload_usage,
    onu_status, signal_strength, temperature, uptime, is_online, last_seen
)
WHERE NOT EXISTS (
    SELECT 1 FROM "{SCHEMA}".customer_placements p
    WHERE p.customer_id = s.customer_id AND p.is_deleted
)
"""  # noqa: S608 - the schema is a constant
_FIELDS = (
    "customer_id",
    "timestamp",
    "download_speed",
    "upload_speed",
    "download_usage",
    "upload_usage",
    "onu_status",
    "signal_strength",
    "temperature",
    "uptime",
    "is_online",
    "last_seen",
)
_COLUMNS = [samples.c[name if name != "timestamp" else "sampled_at"] for name in _FIELDS]
_BUCKETS = text(
    f"""
    SELECT date_bin(:width, sampled_at, :origin) AS bucket_start,
           count(*) AS samples,
           round(avg(download_speed), 2) AS avg_download_speed,
           max(download_speed) AS max_download_speed,
           round(avg(upload_speed), 2) AS avg_upload_speed,
           max(upload_speed) AS max_upload_speed,
           sum(download_usage) AS download_usage,
           sum(upload_usage) AS upload_usage,
           count(*) FILTER (WHERE is_online) AS online_samples
    FROM "{SCHEMA}".samples
    WHERE customer_id = :customer_id AND sampled_at >= :date_from AND sampled_at < :date_to
    GROUP BY 1
    ORDER BY 1
    """  # noqa: S608 - the schema is a constant
)


class SqlMonitoringRepository:
    def __init__(
        self, connection: AsyncConnection, tenant_id: UUID, partitions: SamplePartitions
    ) -> None:
        self._connection = connection
        self._tenant_id = tenant_id
        self._partitions = partitions

    async def insert(self, batch: Sequence[SampleData]) -> int:
        """Stores the batch in this unit of work; answers how many were kept."""
        if not batch:
            return 0
        stamps = [sample.timestamp for sample in batch]
        days = days_between(min(stamps), max(stamps))
        await self._partitions.ensure(days)
        arrays = _columns(batch)
        raw: Any = (await self._connection.get_raw_connection()).driver_connection
        await raw.execute("SAVEPOINT samples_insert")
        try:
            status = await raw.execute(_INSERT, *arrays)
        except asyncpg.DataError as exc:
            raise invalid_field("samples", "a value was refused by the database") from exc
        except asyncpg.CheckViolationError:
            # A partition this process believed in was dropped by a retention run elsewhere.
            await raw.execute("ROLLBACK TO SAVEPOINT samples_insert")
            self._partitions.forget()
            await self._partitions.ensure(days)
            status = await raw.execute(_INSERT, *arrays)
        await raw.execute("RELEASE SAVEPOINT samples_insert")
        return int(status.rsplit(" ", 1)[-1])

    async def series(self, customer_id: UUID, window: TimeRange, limit: int) -> list[Sample]:
        query = (
            select(*_COLUMNS)
            .where(
                samples.c.customer_id == customer_id,
                samples.c.sampled_at >= window.date_from,
                samples.c.sampled_at < window.date_to,
            )
            .order_by(samples.c.sampled_at)
            .limit(limit)
        )
        rows = (await self._connection.execute(query)).all()
        return [_sample(row) for row in rows]

    async def buckets(
        self, customer_id: UUID, window: TimeRange, bucket: Bucket
    ) -> list[SeriesPoint]:
        rows = await self._connection.execute(
            _BUCKETS,
            {
                "width": bucket.width,
                "origin": BUCKET_ORIGIN,
                "customer_id": customer_id,
                "date_from": window.date_from,
                "date_to": window.date_to,
            },
        )
        return [
            SeriesPoint(
                bucket_start=row.bucket_start,
                samples=int(row.samples),
                avg_download_speed=row.avg_download_speed,
                max_download_speed=int(row.max_download_speed),
                avg_upload_speed=row.avg_upload_speed,
                max_upload_speed=int(row.max_upload_speed),
                download_usage=int(row.download_usage),
                upload_usage=int(row.upload_usage),
                online_samples=int(row.online_samples),
            )
            for row in rows
        ]

    async def latest(self, customer_id: UUID) -> Sample | None:
        query = (
            select(*_COLUMNS)
            .where(samples.c.customer_id == customer_id)
            .order_by(samples.c.sampled_at.desc())
            .limit(1)
        )
        row = (await self._connection.execute(query)).first()
        return _sample(row) if row else None

    async def page(self, where: SampleFilter, request: PageRequest) -> Page[Sample]:
        conditions: list[ColumnElement[bool]] = [
            samples.c.sampled_at >= where.date_from,
            samples.c.sampled_at < where.date_to,
        ]
        if where.customer_id is not None:
            conditions.append(samples.c.customer_id == where.customer_id)
        if where.is_online is not None:
            conditions.append(samples.c.is_online.is_(where.is_online))
        condition = and_(*conditions)
        total = await self._connection.scalar(select(func.count()).where(condition))
        query = (
            select(*_COLUMNS)
            .where(condition)
            .order_by(samples.c.sampled_at.desc(), samples.c.customer_id)
            .limit(request.limit)
            .offset(request.offset)
        )
        rows = (await self._connection.execute(query)).all()
        return Page([_sample(row) for row in rows], int(total or 0), request)

    async def purge_customer(self, customer_id: UUID) -> int:
        result = await self._connection.execute(
            delete(samples).where(samples.c.customer_id == customer_id)
        )
        return int(result.rowcount or 0)


def _columns(batch: Sequence[SampleData]) -> list[list[Any]]:
    return [[getattr(sample, name) for sample in batch] for name in _FIELDS]


def _sample(row: Any) -> Sample:
    return Sample(**dict(zip(_FIELDS, row, strict=True)))
