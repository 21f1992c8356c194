"""The workflow: open → in_progress → resolved → closed, resolved → open; assign keeps the
status. A transition the state machine does not allow is INVALID_STATE (409)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require

from isp_tickets.api.dependencies import DISPATCHERS, WORKERS, RuntimeDep
from isp_tickets.api.presenters import TicketOut, present
from isp_tickets.api.schemas import AssignRequest, ReopenRequest, ResolveRequest
from isp_tickets.domain.read_models import TicketView
from isp_tickets.use_cases.assign_ticket import assign_ticket
from isp_tickets.use_cases.close_ticket import close_ticket
from isp_tickets.use_cases.reopen_ticket import reopen_ticket
from isp_tickets.use_cases.resolve_ticket import resolve_ticket
from isp_tickets.use_cases.start_ticket import start_ticket

UseCase = Callable[..., Awaitable[TicketView]]

router = APIRouter(
    prefix="/tickets/{ticket_id}",
    tags=["ticket workflow"],
)


async def _change(
    runtime: RuntimeDep, principal: Principal, use_case: UseCase, ticket_id: UUID, *args: Any
) -> Response:
    """Runs one workflow use case on the ticket, as the caller, and answers the ticket."""
    view = await runtime.run(principal.tenant_id, use_case, ticket_id, *args, by=principal.sub)
    return ok(present(view))


@router.post("/assign", response_model=Envelope[TicketOut])
async def assign(
    ticket_id: UUID,
    body: AssignRequest,
    runtime: RuntimeDep,
    principal: Principal = require(*DISPATCHERS),
) -> Response:
    """(Re)assigns an open or in-progress ticket; the status stays."""
    return await _change(runtime, principal, assign_ticket, ticket_id, body.assigned_to)


@router.post("/start", response_model=Envelope[TicketOut])
async def start(
    ticket_id: UUID, runtime: RuntimeDep, principal: Principal = require(*WORKERS)
) -> Response:
    """open → in_progress."""
    return await _change(runtime, principal, start_ticket, ticket_id)


@router.post("/resolve", response_model=Envelope[TicketOut])
async def resolve(
    ticket_id: UUID,
    body: ResolveRequest,
    runtime: RuntimeDep,
    principal: Principal = require(*WORKERS),
) -> Response:
    """in_progress → resolved: sets `resolved_at` and `resolution_notes`."""
    return await _change(runtime, principal, resolve_ticket, ticket_id, body.resolution_notes)


@router.post("/close", response_model=Envelope[TicketOut])
async def close(
    ticket_id: UUID, runtime: RuntimeDep, principal: Principal = require(*DISPATCHERS)
) -> Response:
    """resolved → closed (final)."""
    return await _change(runtime, principal, close_ticket, ticket_id)


@router.post("/reopen", response_model=Envelope[TicketOut])
async def reopen(
    ticket_id: UUID,
    runtime: RuntimeDep,
    body: ReopenRequest | None = None,
    principal: Principal = require(*DISPATCHERS),
) -> Response:
    """resolved → open; clears `resolved_at` and `resolution_notes`."""
    reason = body.reason if body else None
    return await _change(runtime, principal, reopen_ticket, ticket_id, reason)
