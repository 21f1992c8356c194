"""/auth: logout, who am I, password change and reset, subscriber activation and the caller's
TOTP second factor; the token endpoint itself is api/token_endpoint.py, on the same router."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import Request
from fastapi.responses import Response

from isp_common.auth import STAFF, Principal, Role
from isp_common.web import ok, require, shown_once
from isp_common.web.envelope import Envelope

from isp_identity.api.auth_schemas import (
    ActivateRequest,
    ChangePasswordRequest,
    LogoutRequest,
    MeView,
    ResetPasswordRequest,
    TotpConfirmRequest,
    TotpDisableRequest,
    TotpSetupView,
    TotpStateView,
)
from isp_identity.api.auth_support import (
    RATE_LIMITED_RESPONSE,
    locked_answer,
    runtime_of,
    source_address,
)
from isp_identity.api.token_endpoint import TOKEN_URL, router
from isp_identity.domain.opaque_tokens import parse_opaque_token
from isp_identity.domain.tenant import PLATFORM_TENANT_ID
from isp_identity.use_cases.activate_portal_account import Activation, activate_portal_account
from isp_identity.use_cases.change_password import change_password
from isp_identity.use_cases.logout import logout
from isp_identity.use_cases.me import who_am_i
from isp_identity.use_cases.reset_password import invalid_reset_token, reset_password
from isp_identity.use_cases.totp import confirm_totp, disable_totp, set_up_totp

# Whoever calls these has no access token yet: a password, a refresh token, a reset token or an
# activation code proves who they are.
PUBLIC_AUTH_PATHS = ("/auth/token", "/auth/logout", "/auth/password/reset", "/auth/activate")
ANYONE = (*STAFF, Role.CUSTOMER, Role.PLATFORM_ADMIN)
# Who may have a second factor: a staff account (the platform's operators included).
STAFF_ACCOUNTS = (*STAFF, Role.PLATFORM_ADMIN)


@router.post("/logout", status_code=204, response_class=Response)
async def log_out(request: Request, body: LogoutRequest) -> Response:
    """Ends the refresh token's session (every token of its family). An unknown or already
    ended token answers the same. Access tokens already issued stay valid at other services
    until they expire (at most ISP_IDENTITY_ACCESS_TOKEN_SECONDS)."""
    runtime = runtime_of(request)
    presented = parse_opaque_token(body.refresh_token)
    if presented is not None:
        tenant_id = await runtime.directory.tenant_of_refresh_token(presented.id)
        if tenant_id is not None:
            await runtime.run(tenant_id, logout, presented, runtime.clock())
    return Response(status_code=204)


@router.get("/me", response_model=Envelope[MeView])
async def me(request: Request, principal: Principal = require(*ANYONE)) -> Response:
    runtime = runtime_of(request)
    found = await runtime.run(principal.tenant_id, who_am_i, principal, runtime.clock())
    return ok(MeView(**asdict(found)))


@router.post("/password", status_code=204, response_class=Response, responses=RATE_LIMITED_RESPONSE)
async def change_own_password(
    request: Request, body: ChangePasswordRequest, principal: Principal = require(*ANYONE)
) -> Response:
    """Every session of the caller ends (log in again with the new password)."""
    runtime = runtime_of(request)
    outcome = await runtime.run(
        principal.tenant_id,
        change_password,
        principal,
        body.current_password.get_secret_value(),
        body.new_password.get_secret_value(),
        runtime.passwords,
        runtime.clock(),
    )
    return locked_answer(outcome) or Response(status_code=204)


@router.post("/password/reset", status_code=204, response_class=Response)
async def reset_with_token(request: Request, body: ResetPasswordRequest) -> Response:
    """With the one-time token an admin issued (`POST /users/{id}/reset-password`)."""
    runtime = runtime_of(request)
    presented = parse_opaque_token(body.token)
    tenant_id = (
        await runtime.directory.tenant_of_one_time_token(presented.id) if presented else None
    )
    if presented is None or tenant_id is None:
        raise invalid_reset_token()
    await runtime.run(
        tenant_id,
        reset_password,
        presented,
        body.new_password.get_secret_value(),
        runtime.passwords,
        runtime.clock(),
    )
    return Response(status_code=204)


@router.post(
    "/activate",
    status_code=204,
    response_class=Response,
    responses=RATE_LIMITED_RESPONSE,
)
async def activate(request: Request, body: ActivateRequest) -> Response:
    """A subscriber's first password, with the activation code staff issued."""
    runtime = runtime_of(request)
    tenant_id = await runtime.directory.tenant_id_of(body.tenant)
    activation = Activation(
        tenant_known=tenant_id is not None,
        username=body.username,
        activation_code=body.activation_code,
        new_password=body.new_password.get_secret_value(),
        source_address=source_address(request),
    )
    outcome = await runtime.run(
        tenant_id or PLATFORM_TENANT_ID,
        activate_portal_account,
        activation,
        runtime.passwords,
        runtime.clock(),
    )
    return locked_answer(outcome) or Response(status_code=204)


@router.post("/totp", response_model=Envelope[TotpSetupView])
async def totp_set_up(
    request: Request, principal: Principal = require(*STAFF_ACCOUNTS)
) -> Response:
    """A new secret, shown this once; TOTP is on once `POST /auth/totp/confirm` takes a code.
    Shown once: with an Idempotency-Key, a retry answers CONFLICT, never the secret again."""
    runtime = runtime_of(request)
    setup = await runtime.run(
        principal.tenant_id, set_up_totp, principal, runtime.totp, runtime.secrets, runtime.clock()
    )
    return shown_once(ok(TotpSetupView(secret=setup.secret, otpauth_uri=setup.otpauth_uri)))


@router.post("/totp/confirm", response_model=Envelope[TotpStateView])
async def totp_confirm(
    request: Request, body: TotpConfirmRequest, principal: Principal = require(*STAFF_ACCOUNTS)
) -> Response:
    runtime = runtime_of(request)
    user = await runtime.run(
        principal.tenant_id,
        confirm_totp,
        principal,
        body.code,
        runtime.totp,
        runtime.secrets,
        runtime.clock(),
    )
    return ok(TotpStateView(totp_enabled=user.totp_enabled))


@router.delete("/totp", response_model=Envelope[TotpStateView], responses=RATE_LIMITED_RESPONSE)
async def totp_disable(
    request: Request, body: TotpDisableRequest, principal: Principal = require(*STAFF_ACCOUNTS)
) -> Response:
    runtime = runtime_of(request)
    outcome = await runtime.run(
        principal.tenant_id,
        disable_totp,
        principal,
        body.password.get_secret_value(),
        runtime.passwords,
        runtime.clock(),
    )
    locked = locked_answer(outcome)
    if locked is not None:
        return locked
    return ok(TotpStateView(totp_enabled=outcome.unwrap().totp_enabled))


__all__ = ["PUBLIC_AUTH_PATHS", "TOKEN_URL", "router"]
