"""/tenants: the platform operator creates tenants and reads or edits any; a tenant's admin
reads and edits its own (another tenant's id is NOT_FOUND, as everywhere)."""

from __future__ import annotations

from uuid import UUID, uuid4

from fastapi import APIRouter, Response

from isp_common.auth import Principal, Role
from isp_common.errors import NotFound
from isp_common.web import Envelope, created, ok, require, shown_once

from isp_identity.api.account_dependencies import (
    OPERATOR,
    TENANT_EDITORS,
    RuntimeDep,
    reset_token_lifetime,
)
from isp_identity.api.account_presenters import (
    CreatedTenantOut,
    TenantOut,
    present_created_tenant,
    present_tenant,
)
from isp_identity.api.account_schemas import TenantCreate, TenantPatch
from isp_identity.use_cases.create_tenant import create_tenant
from isp_identity.use_cases.get_tenant import get_tenant
from isp_identity.use_cases.update_tenant import update_tenant

router = APIRouter(prefix="/tenants", tags=["tenants"])


@router.post("", status_code=201, response_model=Envelope[CreatedTenantOut])
async def create(
    body: TenantCreate, runtime: RuntimeDep, principal: Principal = require(*OPERATOR)
) -> Response:
    """Creates the tenant and its first admin. Without `admin_password` the answer carries
    the admin's one-time reset token (`admin.password_reset`), shown this once."""
    created_tenant = await runtime.run(
        body.id or uuid4(),
        create_tenant,
        body.to_command(),
        passwords=runtime.passwords,
        reset_valid_for=reset_token_lifetime(runtime),
    )
    return shown_once(created(present_created_tenant(created_tenant)))


@router.get("/{tenant_id}", response_model=Envelope[TenantOut])
async def get(
    tenant_id: UUID, runtime: RuntimeDep, principal: Principal = require(*TENANT_EDITORS)
) -> Response:
    tenant = await runtime.run(_visible(principal, tenant_id), get_tenant)
    return ok(present_tenant(tenant))


@router.patch("/{tenant_id}", response_model=Envelope[TenantOut])
async def patch(
    tenant_id: UUID,
    body: TenantPatch,
    runtime: RuntimeDep,
    principal: Principal = require(*TENANT_EDITORS),
) -> Response:
    """Name, timezone and currency; `slug` and `status` only for the platform operator."""
    tenant = await runtime.run(
        _visible(principal, tenant_id),
        update_tenant,
        body.changes(),
        by_operator=Role.PLATFORM_ADMIN in principal.roles,
    )
    return ok(present_tenant(tenant))


def _visible(principal: Principal, tenant_id: UUID) -> UUID:
    """The tenant whose unit of work the request opens: any for the operator, its own for a
    tenant's admin."""
    if Role.PLATFORM_ADMIN not in principal.roles and tenant_id != principal.tenant_id:
        raise NotFound("tenant")
    return tenant_id
