"""A customer's series (raw or bucketed), the latest sample, and pages of samples."""

from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_network.domain.errors import invalid_field
from isp_network.domain.monitoring import (
    MAX_RAW_SERIES,
    Bucket,
    Sample,
    SampleFilter,
    SeriesPoint,
    TimeRange,
)
from isp_network.use_cases.ports import UnitOfWork


async def customer_series(uow: UnitOfWork, customer_id: UUID, window: TimeRange) -> list[Sample]:
    """Every sample of `[date_from, date_to)` in time order."""
    found = await uow.monitoring.series(customer_id, window, MAX_RAW_SERIES + 1)
    if len(found) > MAX_RAW_SERIES:
        raise invalid_field(
            "bucket", f"more than {MAX_RAW_SERIES} samples in the range: ask for a bucket"
        )
    return found


async def customer_buckets(
    uow: UnitOfWork, customer_id: UUID, window: TimeRange, bucket: Bucket
) -> list[SeriesPoint]:
    return await uow.monitoring.buckets(customer_id, window, bucket)


async def current_sample(uow: UnitOfWork, customer_id: UUID) -> Sample:
    latest = await uow.monitoring.latest(customer_id)
    if latest is None:
        raise NotFound("monitoring data")
    return latest


async def list_samples(uow: UnitOfWork, where: SampleFilter, request: PageRequest) -> Page[Sample]:
    return await uow.monitoring.page(where, request)
