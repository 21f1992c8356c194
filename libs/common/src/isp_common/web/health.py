"""/healthz (the process answers), /readyz (ready for its work), /metrics.

An API is ready when its database answers: its writes go to the outbox, so a broker outage must
not take every API replica out of its load balancer. A worker (`create_ops_app`) needs both.
"""

from __future__ import annotations

import asyncio

import aiormq
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from isp_common.web.errors import error_response

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    settings = request.app.state.settings
    problems: dict[str, str] = {}
    try:
        await asyncio.wait_for(request.app.state.db.ping(), timeout=2)
    except Exception as exc:  # any failure means not ready; the kind is enough for an SRE
        problems["database"] = type(exc).__name__
    if getattr(request.app.state, "needs_broker", False):
        try:
            connection = await asyncio.wait_for(aiormq.connect(settings.amqp_url), timeout=2)
            await connection.close()
        except Exception as exc:
            problems["broker"] = type(exc).__name__
    if problems:
        return error_response(503, "SERVICE_UNAVAILABLE", "not ready", problems)
    return Response(content='{"status":"ready"}', media_type="application/json")


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
