"""/auth: the OAuth 2.0 token endpoint (password and refresh_token grants), logout, who am I,
password change and reset, subscriber activation, and the caller's TOTP second factor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response

from isp_common.auth import STAFF, Principal, Role
from isp_common.errors import RateLimited, ValidationFailed
from isp_common.web import ok, require
from isp_common.web.auth import client_ip
from isp_common.web.envelope import Envelope, ErrorEnvelope
from isp_common.web.errors import error_response

from isp_identity.api.auth_schemas import (
    ActivateRequest,
    ChangePasswordRequest,
    LogoutRequest,
    MeView,
    ResetPasswordRequest,
    TokenResponse,
    TotpConfirmRequest,
    TotpDisableRequest,
    TotpSetupView,
    TotpStateView,
)
from isp_identity.bootstrap import Runtime
from isp_identity.domain.claims import TokenGrant
from isp_identity.domain.opaque_tokens import parse_opaque_token
from isp_identity.domain.tenant import PLATFORM_TENANT_ID
from isp_identity.use_cases.activate_portal_account import Activation, activate_portal_account
from isp_identity.use_cases.change_password import change_password
from isp_identity.use_cases.login import PasswordLogin, password_grant
from isp_identity.use_cases.logout import logout
from isp_identity.use_cases.me import who_am_i
from isp_identity.use_cases.outcome import Outcome
from isp_identity.use_cases.refresh import invalid_refresh_token, refresh_grant
from isp_identity.use_cases.reset_password import invalid_reset_token, reset_password
from isp_identity.use_cases.totp import confirm_totp, disable_totp, set_up_totp

router = APIRouter(prefix="/auth", tags=["auth"])
PUBLIC_AUTH_PATHS = ("/auth/token", "/auth/logout", "/auth/password/reset", "/auth/activate")
TOKEN_URL = "/api/v1/auth/token"
ANYONE = (*STAFF, Role.CUSTOMER, Role.PLATFORM_ADMIN)
# RFC 6749 §5.1: a token answer is never cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
RATE_LIMITED_RESPONSE: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorEnvelope, "description": "RATE_LIMITED: locked for a while (Retry-After)"}
}
FormText = Annotated[str | None, Form(max_length=1024)]


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _source(request: Request) -> str | None:
    return client_ip(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        request.app.state.settings.trusted_proxies,
    )


def _raise(outcome: Outcome[Any]) -> Any:
    """The refusal a use case returned (after its commit), or its value. A 429 says when to
    come back in Retry-After."""
    if isinstance(outcome.refusal, RateLimited):
        raise _RetryLater(outcome.refusal)
    return outcome.unwrap()


class _RetryLater(Exception):
    def __init__(self, error: RateLimited) -> None:
        self.error = error


def _rate_limited(error: RateLimited) -> JSONResponse:
    retry = str(error.details.get("retry_after_seconds", 1))
    return error_response(
        error.status, error.code, error.message, error.details, headers={"Retry-After": retry}
    )


def _refuse_nul(fields: dict[str, str | None]) -> None:
    """A form is not a RequestModel: refuse NUL here (Postgres cannot store it, and a login name
    that cannot be recorded must not slip past the throttle as a database error)."""
    bad = [name for name, value in fields.items() if value and "\x00" in value]
    if bad:
        raise ValidationFailed(
            "The request is not valid",
            {
                "fields": [
                    {
                        "field": name,
                        "message": "text must not contain the NUL character",
                        "type": "nul_character",
                    }
                    for name in bad
                ]
            },
        )


def _missing(field: str) -> ValidationFailed:
    return ValidationFailed(
        "The request is not valid",
        {"fields": [{"field": field, "message": "Field required", "type": "missing"}]},
    )


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=RATE_LIMITED_RESPONSE,
    summary="OAuth 2.0 token endpoint (password and refresh_token grants)",
)
async def token(
    request: Request,
    grant_type: Annotated[str, Form(max_length=32)],
    username: FormText = None,
    password: FormText = None,
    tenant: FormText = None,
    client_id: FormText = None,
    totp_code: FormText = None,
    refresh_token: FormText = None,
) -> Response:
    """`grant_type=password`: `username` (staff: email; subscriber: customer code, PPPoE
    username or phone), `password`, `tenant` (the tenant's slug; `client_id` when absent, as
    Swagger's Authorize dialog sends it) and `totp_code` for staff with TOTP on.
    `grant_type=refresh_token`: `refresh_token`. Answers RFC 6749's JSON at the top level."""
    runtime = _runtime(request)
    fields = {
        "grant_type": grant_type,
        "username": username,
        "password": password,
        "tenant": tenant,
        "client_id": client_id,
        "totp_code": totp_code,
        "refresh_token": refresh_token,
    }
    _refuse_nul(fields)
    try:
        if grant_type == "password":
            grant = await _password_grant(
                runtime, request, username, password, tenant or client_id, totp_code
            )
        elif grant_type == "refresh_token":
            grant = await _refresh_grant(runtime, refresh_token)
        else:
            raise ValidationFailed(
                "unsupported grant_type",
                {
                    "fields": [
                        {
                            "field": "grant_type",
                            "message": "password or refresh_token",
                            "type": "unsupported_grant_type",
                        }
                    ]
                },
            )
    except _RetryLater as later:
        return _rate_limited(later.error)
    body = TokenResponse(
        access_token=grant.access_token,
        token_type=grant.token_type,
        expires_in=grant.expires_in,
        refresh_token=grant.refresh_token,
    )
    return JSONResponse(body.model_dump(), headers=NO_STORE)


async def _password_grant(
    runtime: Runtime,
    request: Request,
    username: str | None,
    password: str | None,
    tenant: str | None,
    totp_code: str | None,
) -> TokenGrant:
    for field, value in (("username", username), ("password", password), ("tenant", tenant)):
        if not value:
            raise _missing(field)
    assert username and password and tenant
    tenant_id = await runtime.directory.tenant_id_of(tenant)
    login = PasswordLogin(
        tenant_known=tenant_id is not None,
        username=username,
        password=password,
        totp_code=totp_code or None,
        source_address=_source(request),
    )
    outcome = await runtime.run(
        tenant_id or PLATFORM_TENANT_ID,
        password_grant,
        login,
        runtime.token_services,
        runtime.second_factor,
        runtime.clock(),
    )
    grant: TokenGrant = _raise(outcome)
    return grant


async def _refresh_grant(runtime: Runtime, refresh_token: str | None) -> TokenGrant:
    if not refresh_token:
        raise _missing("refresh_token")
    presented = parse_opaque_token(refresh_token)
    tenant_id = await runtime.directory.tenant_of_refresh_token(presented.id) if presented else None
    if presented is None or tenant_id is None:
        raise invalid_refresh_token()
    outcome = await runtime.run(
        tenant_id, refresh_grant, presented, runtime.token_services, runtime.clock()
    )
    grant: TokenGrant = _raise(outcome)
    return grant


@router.post("/logout", status_code=204, response_class=Response)
async def log_out(request: Request, body: LogoutRequest) -> Response:
    """Ends the refresh token's session (every token of its family). An unknown or already
    ended token answers the same. Access tokens already issued stay valid at other services
    until they expire (at most ISP_IDENTITY_ACCESS_TOKEN_SECONDS)."""
    runtime = _runtime(request)
    presented = parse_opaque_token(body.refresh_token)
    if presented is not None:
        tenant_id = await runtime.directory.tenant_of_refresh_token(presented.id)
        if tenant_id is not None:
            await runtime.run(tenant_id, logout, presented, runtime.clock())
    return Response(status_code=204)


@router.get("/me", response_model=Envelope[MeView])
async def me(request: Request, principal: Principal = require(*ANYONE)) -> Response:
    runtime = _runtime(request)
    found = await runtime.run(principal.tenant_id, who_am_i, principal, runtime.clock())
    return ok(MeView(**found.__dict__))


@router.post("/password", status_code=204, response_class=Response, responses=RATE_LIMITED_RESPONSE)
async def change_own_password(
    request: Request, body: ChangePasswordRequest, principal: Principal = require(*ANYONE)
) -> Response:
    """Every session of the caller ends (log in again with the new password)."""
    runtime = _runtime(request)
    outcome = await runtime.run(
        principal.tenant_id,
        change_password,
        principal,
        body.current_password.get_secret_value(),
        body.new_password.get_secret_value(),
        runtime.passwords,
        runtime.clock(),
    )
    try:
        _raise(outcome)
    except _RetryLater as later:
        return _rate_limited(later.error)
    return Response(status_code=204)


@router.post("/password/reset", status_code=204, response_class=Response)
async def reset_with_token(request: Request, body: ResetPasswordRequest) -> Response:
    """With the one-time token an admin issued (`POST /users/{id}/reset-password`)."""
    runtime = _runtime(request)
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
    runtime = _runtime(request)
    tenant_id = await runtime.directory.tenant_id_of(body.tenant)
    activation = Activation(
        tenant_known=tenant_id is not None,
        username=body.username,
        activation_code=body.activation_code,
        new_password=body.new_password.get_secret_value(),
        source_address=_source(request),
    )
    outcome = await runtime.run(
        tenant_id or PLATFORM_TENANT_ID,
        activate_portal_account,
        activation,
        runtime.passwords,
        runtime.clock(),
    )
    try:
        _raise(outcome)
    except _RetryLater as later:
        return _rate_limited(later.error)
    return Response(status_code=204)


@router.post("/totp", response_model=Envelope[TotpSetupView])
async def totp_set_up(request: Request, principal: Principal = require(*STAFF)) -> Response:
    """A new secret, shown this once; TOTP is on once `POST /auth/totp/confirm` takes a code."""
    runtime = _runtime(request)
    setup = await runtime.run(
        principal.tenant_id, set_up_totp, principal, runtime.totp, runtime.secrets, runtime.clock()
    )
    response = ok(TotpSetupView(secret=setup.secret, otpauth_uri=setup.otpauth_uri))
    response.headers.update(NO_STORE)
    return response


@router.post("/totp/confirm", response_model=Envelope[TotpStateView])
async def totp_confirm(
    request: Request, body: TotpConfirmRequest, principal: Principal = require(*STAFF)
) -> Response:
    runtime = _runtime(request)
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
    request: Request, body: TotpDisableRequest, principal: Principal = require(*STAFF)
) -> Response:
    runtime = _runtime(request)
    outcome = await runtime.run(
        principal.tenant_id,
        disable_totp,
        principal,
        body.password.get_secret_value(),
        runtime.passwords,
        runtime.clock(),
    )
    try:
        user = _raise(outcome)
    except _RetryLater as later:
        return _rate_limited(later.error)
    return ok(TotpStateView(totp_enabled=user.totp_enabled))


__all__ = ["PUBLIC_AUTH_PATHS", "TOKEN_URL", "router"]
