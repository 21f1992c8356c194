"""/monitoring (ingest, list) and /customers/{id}/monitoring (a customer's series, current)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from isp_common.auth import Principal
from isp_common.pagination import Page, PageRequest
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require
from isp_common.web.envelope import PageMeta
from isp_common.web.query import MAX_PAGE, MAX_PER_PAGE

from isp_network.api.dependencies import MONITORING_READERS, STRICT_QUERY, WRITERS, RuntimeDep
from isp_network.api.presenters import (
    IngestOut,
    SampleOut,
    SeriesPointOut,
    present_point,
    present_sample,
)
from isp_network.api.schemas import SampleBatch, SampleIn
from isp_network.api.types import UtcDateTime
from isp_network.domain.monitoring import Bucket, SampleFilter, TimeRange
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.read_monitoring import (
    current_sample,
    customer_buckets,
    customer_series,
    list_samples,
)
from isp_network.use_cases.record_samples import record_samples

router = APIRouter(prefix="/monitoring", tags=["monitoring"], dependencies=STRICT_QUERY)
customer_router = APIRouter(prefix="/customers", tags=["monitoring"], dependencies=STRICT_QUERY)

DateFrom = Annotated[
    UtcDateTime | None, Query(description="inclusive; default a day before date_to")
]
DateTo = Annotated[UtcDateTime | None, Query(description="exclusive; default now")]


class SeriesOut(BaseModel):
    customer_id: UUID
    date_from: str
    date_to: str
    bucket: Bucket | None
    samples: list[SampleOut] | None = None
    buckets: list[SeriesPointOut] | None = None


class SeriesEnvelope(Envelope[SeriesOut]):
    # Only when `page` or `per_page` was asked for: the series is then that page of it.
    meta: PageMeta | None = None


@router.post("", status_code=201, response_model=Envelope[IngestOut])
async def ingest(
    body: Annotated[SampleBatch | SampleIn, Field(union_mode="left_to_right")],
    runtime: RuntimeDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    """One sample, or `{"samples": [...]}` (up to 10,000; tried first, so a batch is
    validated once). Samples outside what retention keeps
    (or more than a day ahead), and those of a deleted customer, are dropped and counted."""
    batch = body.samples if isinstance(body, SampleBatch) else [body]
    retention = runtime.settings.monitoring_retention
    stored = await runtime.run(principal.tenant_id, record_samples, batch, retention)
    return created(IngestOut(received=len(batch), stored=stored, dropped=len(batch) - stored))


@router.get("", response_model=ListEnvelope[SampleOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*MONITORING_READERS),
    customer_id: UUID | None = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    is_online: bool | None = None,
) -> Response:
    # A subscriber's token lists its own samples, whatever customer it names.
    customer_id = principal.only_customer_id or customer_id
    window = TimeRange.ending(date_from, date_to, utc_now())
    where = SampleFilter(window.date_from, window.date_to, customer_id, is_online)
    result = await runtime.run(principal.tenant_id, list_samples, where, page)
    return ok_page([present_sample(s) for s in result.items], result)


@customer_router.get("/{customer_id}/monitoring", response_model=SeriesEnvelope)
async def series(
    customer_id: UUID,
    runtime: RuntimeDep,
    principal: Principal = require(*MONITORING_READERS),
    date_from: DateFrom = None,
    date_to: DateTo = None,
    bucket: Annotated[
        Bucket | None, Query(description="aggregate into buckets: avg/max speeds, summed usage")
    ] = None,
    page: Annotated[
        int | None, Query(ge=1, le=MAX_PAGE, description="from 1; pages the series")
    ] = None,
    per_page: Annotated[
        int | None, Query(ge=1, le=MAX_PER_PAGE, description="20 when only `page` is given")
    ] = None,
) -> Response:
    """`[date_from, date_to)` in time order: every sample, or buckets of `bucket` (UTC). With
    `page` or `per_page`, that page of the series, and `meta` says how many there are."""
    principal.ensure_can_see_customer(customer_id)
    window = TimeRange.ending(date_from, date_to, utc_now())
    out = SeriesOut(
        customer_id=customer_id,
        date_from=window.date_from.isoformat(),
        date_to=window.date_to.isoformat(),
        bucket=bucket,
    )
    found: list[Any]
    if bucket is None:
        found = await runtime.run(principal.tenant_id, customer_series, customer_id, window)
    else:
        found = await runtime.run(
            principal.tenant_id, customer_buckets, customer_id, window, bucket
        )
    shown = None
    if page is not None or per_page is not None:
        request = PageRequest(page=page or 1, per_page=per_page or 20)
        shown = Page(found[request.offset : request.offset + request.limit], len(found), request)
    items = found if shown is None else shown.items
    if bucket is None:
        out.samples = [present_sample(s) for s in items]
    else:
        out.buckets = [present_point(p) for p in items]
    if shown is None:
        return ok(out)
    body = SeriesEnvelope(data=out, meta=PageMeta(**shown.meta()))
    return Response(body.model_dump_json(), media_type="application/json")


@customer_router.get("/{customer_id}/monitoring/current", response_model=Envelope[SampleOut])
async def current(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*MONITORING_READERS)
) -> Response:
    principal.ensure_can_see_customer(customer_id)
    return ok(present_sample(await runtime.run(principal.tenant_id, current_sample, customer_id)))
