"""/healthz (the process answers), /readyz (the gateway answers: without it no page can be
built), /metrics (isp_common's request metrics, labelled console)."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from isp_common.web.errors import error_response

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    http: httpx.AsyncClient = request.app.state.runtime.http
    try:
        answer = await asyncio.wait_for(http.get("/healthz"), timeout=2)
        ready = answer.status_code == 200
        reason = f"HTTP {answer.status_code}"
    except (httpx.HTTPError, TimeoutError) as exc:
        ready, reason = False, type(exc).__name__
    if not ready:
        return error_response(503, "SERVICE_UNAVAILABLE", "not ready", {"gateway": reason})
    return Response(content='{"status":"ready"}', media_type="application/json")


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
