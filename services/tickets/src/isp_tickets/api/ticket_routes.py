from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from isp_common.auth import Principal
from isp_common.text import SINGLE_LINE
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

from isp_tickets.api.dependencies import (
    DISPATCHERS,
    OPENERS,
    READERS,
    RuntimeDep,
)
from isp_tickets.api.presenters import (
    ActivityOut,
    TicketDetailOut,
    TicketOut,
    present,
    present_activity,
    present_details,
)
from isp_tickets.api.schemas import CommentRequest, TicketCreate, TicketPatch
from isp_tickets.domain.read_models import TicketFilter
from isp_tickets.domain.status import Category, Priority, TicketStatus
from isp_tickets.use_cases.comment_on_ticket import comment_on_ticket
from isp_tickets.use_cases.create_ticket import create_ticket
from isp_tickets.use_cases.get_ticket import get_ticket, get_ticket_by_number
from isp_tickets.use_cases.list_tickets import list_tickets
from isp_tickets.use_cases.update_ticket import update_ticket

router = APIRouter(prefix="/tickets", tags=["tickets"])


@router.post("", status_code=201, response_model=Envelope[TicketOut])
async def create(
    body: TicketCreate, runtime: RuntimeDep, principal: Principal = require(*OPENERS)
) -> Response:
    """Opens a ticket (`open`), numbered TKT-000001, … per tenant, due by the tenant's SLA for
    its priority. A subscriber opens tickets about itself only, and cannot assign them."""
    command = body.to_command(only_customer_id=principal.only_customer_id)
    view = await runtime.run(principal.tenant_id, create_ticket, command, by=principal.sub)
    return created(present(view))


@router.get("", response_model=ListEnvelope[TicketOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
    status: TicketStatus | None = None,
    priority: Priority | None = None,
    category: Category | None = None,
    assigned_to: Annotated[str | None, Query(max_length=200), SINGLE_LINE] = None,
    customer_id: UUID | None = None,
    search: Annotated[
        str | None,
        Query(max_length=100, description="In the ticket number, title and description"),
        SINGLE_LINE,
    ] = None,
    sla_breached: Annotated[
        bool | None, Query(description="Past the SLA due time (unresolved ones: as of now)")
    ] = None,
) -> Response:
    """Newest first. A subscriber's token lists its own tickets only."""
    where = TicketFilter(
        status=status,
        priority=priority,
        category=category,
        assigned_to=assigned_to or None,
        customer_id=customer_id,
        search=search or None,
        sla_breached=sla_breached,
        only_customer_id=principal.only_customer_id,
    )
    result = await runtime.run(principal.tenant_id, list_tickets, where, page)
    return ok_page([present(item) for item in result.items], result)


@router.get("/by-number/{ticket_number}", response_model=Envelope[TicketDetailOut])
async def by_number(
    ticket_number: Annotated[str, Path(max_length=32), SINGLE_LINE],
    runtime: RuntimeDep,
    principal: Principal = require(*READERS),
) -> Response:
    details = await runtime.run(
        principal.tenant_id,
        get_ticket_by_number,
        ticket_number,
        only_customer_id=principal.only_customer_id,
    )
    return ok(present_details(details))


@router.get("/{ticket_id}", response_model=Envelope[TicketDetailOut])
async def get(
    ticket_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    """The ticket with its activities, oldest first."""
    details = await runtime.run(
        principal.tenant_id, get_ticket, ticket_id, only_customer_id=principal.only_customer_id
    )
    return ok(present_details(details))


@router.patch("/{ticket_id}", response_model=Envelope[TicketOut])
async def patch(
    ticket_id: UUID,
    body: TicketPatch,
    runtime: RuntimeDep,
    principal: Principal = require(*DISPATCHERS),
) -> Response:
    view = await runtime.run(
        principal.tenant_id, update_ticket, ticket_id, body.changes(), by=principal.sub
    )
    return ok(present(view))


@router.post("/{ticket_id}/comments", status_code=201, response_model=Envelope[ActivityOut])
async def comment(
    ticket_id: UUID,
    body: CommentRequest,
    runtime: RuntimeDep,
    principal: Principal = require(*OPENERS),
) -> Response:
    """Adds a comment (a `commented` activity); not on a closed ticket."""
    activity = await runtime.run(
        principal.tenant_id,
        comment_on_ticket,
        ticket_id,
        body.body,
        by=principal.sub,
        only_customer_id=principal.only_customer_id,
    )
    return created(present_activity(activity))
