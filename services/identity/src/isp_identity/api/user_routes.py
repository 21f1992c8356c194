"""/users: a tenant's admins manage its staff accounts and roles."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import (
    Envelope,
    ListEnvelope,
    PageParams,
    created,
    ok,
    ok_page,
    require,
    shown_once,
)

from isp_identity.api.account_dependencies import (
    USER_MANAGERS,
    RuntimeDep,
    reset_token_lifetime,
)
from isp_identity.api.account_presenters import (
    CreatedUserOut,
    PasswordResetOut,
    UserOut,
    present_created_user,
    present_reset,
    present_user,
)
from isp_identity.api.account_schemas import UserCreate, UserPatch
from isp_identity.use_cases.create_user import create_user
from isp_identity.use_cases.get_user import get_user
from isp_identity.use_cases.issue_password_reset import issue_password_reset
from isp_identity.use_cases.list_users import list_users
from isp_identity.use_cases.update_user import update_user

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=201, response_model=Envelope[CreatedUserOut])
async def create(
    body: UserCreate, runtime: RuntimeDep, principal: Principal = require(*USER_MANAGERS)
) -> Response:
    """Without `password` the answer carries a one-time reset token (`password_reset`), shown
    this once, with which the user sets their own. CONFLICT for a taken email."""
    created_user = await runtime.run(
        principal.tenant_id,
        create_user,
        body.to_command(),
        passwords=runtime.passwords,
        reset_valid_for=reset_token_lifetime(runtime),
    )
    return shown_once(created(present_created_user(created_user)))


@router.get("", response_model=ListEnvelope[UserOut])
async def list_(
    runtime: RuntimeDep, page: PageParams, principal: Principal = require(*USER_MANAGERS)
) -> Response:
    result = await runtime.run(principal.tenant_id, list_users, page)
    return ok_page([present_user(user) for user in result.items], result)


@router.get("/{user_id}", response_model=Envelope[UserOut])
async def get(
    user_id: UUID, runtime: RuntimeDep, principal: Principal = require(*USER_MANAGERS)
) -> Response:
    return ok(present_user(await runtime.run(principal.tenant_id, get_user, user_id)))


@router.patch("/{user_id}", response_model=Envelope[UserOut])
async def patch(
    user_id: UUID,
    body: UserPatch,
    runtime: RuntimeDep,
    principal: Principal = require(*USER_MANAGERS),
) -> Response:
    """The tenant always keeps one active admin (INVALID_STATE otherwise); disabling a user
    ends their sessions at once for identity, and within an access token's lifetime (15
    minutes) elsewhere."""
    user = await runtime.run(principal.tenant_id, update_user, user_id, body.changes())
    return ok(present_user(user))


@router.post("/{user_id}/reset-password", response_model=Envelope[PasswordResetOut])
async def reset_password(
    user_id: UUID, runtime: RuntimeDep, principal: Principal = require(*USER_MANAGERS)
) -> Response:
    """A one-time reset token, shown this once; only the newest one works."""
    reset = await runtime.run(
        principal.tenant_id,
        issue_password_reset,
        user_id,
        valid_for=reset_token_lifetime(runtime),
    )
    return shown_once(ok(present_reset(reset)))
