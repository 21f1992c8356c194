from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from isp_common.auth import Principal
from isp_common.text import SINGLE_LINE
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

from isp_customers.api.dependencies import READERS, WRITERS, ReferencesDep, RuntimeDep
from isp_customers.api.presenters import CustomerOut, present
from isp_customers.api.schemas import CustomerCreate, CustomerPatch
from isp_customers.domain.listing import DEFAULT_SORT, SORTABLE_FIELDS, CustomerFilter, SortOrder
from isp_customers.domain.status import CustomerStatus
from isp_customers.use_cases.create_customer import create_customer
from isp_customers.use_cases.delete_customer import delete_customer
from isp_customers.use_cases.get_customer import get_customer, get_customer_by_code
from isp_customers.use_cases.list_customers import list_customers
from isp_customers.use_cases.update_customer import update_customer

router = APIRouter(prefix="/customers", tags=["customers"])

SORT_HELP = "created_at, updated_at, full_name, customer_code or status; a leading - descends"
SORT_PATTERN = rf"^[-+]?({'|'.join(sorted(SORTABLE_FIELDS))})$"  # what SortOrder.parse takes


@router.post("", status_code=201, response_model=Envelope[CustomerOut])
async def create(
    body: CustomerCreate,
    runtime: RuntimeDep,
    references: ReferencesDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    details = await runtime.run(
        principal.tenant_id,
        create_customer,
        body.to_command(),
        secrets=runtime.secrets,
        references=references,
    )
    return created(present(details))


@router.get("", response_model=ListEnvelope[CustomerOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
    search: Annotated[str | None, Query(max_length=100), SINGLE_LINE] = None,
    status: CustomerStatus | None = None,
    service_plan_id: UUID | None = None,
    odp_id: UUID | None = None,
    kelurahan: Annotated[
        str | None,
        Query(max_length=100, description="The kelurahan's name, in any case"),
        SINGLE_LINE,
    ] = None,
    sort: Annotated[
        str, Query(description=SORT_HELP, json_schema_extra={"pattern": SORT_PATTERN})
    ] = DEFAULT_SORT,
) -> Response:
    where = CustomerFilter(
        search=search or None,
        status=status,
        service_plan_id=service_plan_id,
        odp_id=odp_id,
        kelurahan=kelurahan.strip() if kelurahan and kelurahan.strip() else None,
        only_customer_id=principal.only_customer_id,
    )
    result = await runtime.run(
        principal.tenant_id,
        list_customers,
        where,
        SortOrder.parse(sort),
        page,
    )
    return ok_page([present(item) for item in result.items], result)


@router.get("/by-code/{customer_code}", response_model=Envelope[CustomerOut])
async def by_code(
    customer_code: Annotated[str, Path(max_length=64), SINGLE_LINE],
    runtime: RuntimeDep,
    principal: Principal = require(*READERS),
) -> Response:
    details = await runtime.run(principal.tenant_id, get_customer_by_code, customer_code)
    principal.ensure_can_see_customer(details.customer.id)
    return ok(present(details))


@router.get("/{customer_id}", response_model=Envelope[CustomerOut])
async def get(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    principal.ensure_can_see_customer(customer_id)
    return ok(present(await runtime.run(principal.tenant_id, get_customer, customer_id)))


@router.patch("/{customer_id}", response_model=Envelope[CustomerOut])
async def patch(
    customer_id: UUID,
    body: CustomerPatch,
    runtime: RuntimeDep,
    references: ReferencesDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    details = await runtime.run(
        principal.tenant_id,
        update_customer,
        customer_id,
        body.to_command(),
        secrets=runtime.secrets,
        references=references,
    )
    return ok(present(details))


@router.delete("/{customer_id}", response_model=Envelope[dict[str, Any]])
async def delete(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*WRITERS)
) -> Response:
    await runtime.run(principal.tenant_id, delete_customer, customer_id)
    return ok({"id": str(customer_id), "deleted": True})
