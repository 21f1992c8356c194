"""/customers/{id}/portal-account: staff turn a subscriber's portal login on (a password, or a
one-time activation code) and off, and see its state (never a secret)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require, shown_once

from isp_identity.api.account_dependencies import (
    PORTAL_MANAGERS,
    RuntimeDep,
    activation_code_lifetime,
)
from isp_identity.api.account_presenters import (
    EnabledPortalAccountOut,
    PortalAccountOut,
    present_enabled,
    present_portal_account,
)
from isp_identity.api.account_schemas import PortalAccountPut
from isp_identity.use_cases.disable_portal_account import disable_portal_account
from isp_identity.use_cases.enable_portal_account import (
    enable_with_activation,
    enable_with_password,
)
from isp_identity.use_cases.get_portal_account import get_portal_account

router = APIRouter(prefix="/customers/{customer_id}/portal-account", tags=["portal accounts"])


@router.get("", response_model=Envelope[PortalAccountOut])
async def get(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*PORTAL_MANAGERS)
) -> Response:
    """NOT_FOUND until customers' event about the customer has reached identity."""
    account = await runtime.run(principal.tenant_id, get_portal_account, customer_id)
    return ok(present_portal_account(account))


@router.put("", response_model=Envelope[EnabledPortalAccountOut])
async def put(
    customer_id: UUID,
    body: PortalAccountPut,
    runtime: RuntimeDep,
    principal: Principal = require(*PORTAL_MANAGERS),
) -> Response:
    """`{"password": …}` sets the subscriber's password; `{"activation": true}` answers a
    one-time activation code (shown this once) and ends any earlier password. Either ends the
    subscriber's sessions. A terminated customer's login stays off (INVALID_STATE)."""
    if body.new_password is not None:
        enabled = await runtime.run(
            principal.tenant_id,
            enable_with_password,
            customer_id,
            body.new_password,
            passwords=runtime.passwords,
        )
    else:
        enabled = await runtime.run(
            principal.tenant_id,
            enable_with_activation,
            customer_id,
            passwords=runtime.passwords,
            valid_for=activation_code_lifetime(runtime),
        )
    return shown_once(ok(present_enabled(enabled)))


@router.delete("", response_model=Envelope[PortalAccountOut])
async def delete(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*PORTAL_MANAGERS)
) -> Response:
    """Disables the login (and any activation code) and ends the subscriber's sessions."""
    account = await runtime.run(principal.tenant_id, disable_portal_account, customer_id)
    return ok(present_portal_account(account))
