"""POST /auth/token: the OAuth 2.0 token endpoint (RFC 6749), form-encoded, answering §5.1's
JSON at the top level rather than in the envelope (docs/identity.md, "Tokens")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, Response

from isp_common.web.envelope import NO_STORE

from isp_identity.api.auth_schemas import TokenResponse
from isp_identity.api.auth_support import (
    RATE_LIMITED_RESPONSE,
    FormText,
    field_error,
    locked_answer,
    refuse_nul,
    runtime_of,
    source_address,
)
from isp_identity.bootstrap import Runtime
from isp_identity.domain.claims import TokenGrant
from isp_identity.domain.opaque_tokens import parse_opaque_token
from isp_identity.domain.tenant import PLATFORM_TENANT_ID
from isp_identity.use_cases.login import PasswordLogin, password_grant
from isp_identity.use_cases.outcome import Outcome
from isp_identity.use_cases.refresh import invalid_refresh_token, refresh_grant

router = APIRouter(prefix="/auth", tags=["auth"])
TOKEN_URL = "/api/v1/auth/token"


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
    `grant_type=refresh_token`: `refresh_token`."""
    refuse_nul(
        {
            "grant_type": grant_type,
            "username": username,
            "password": password,
            "tenant": tenant,
            "client_id": client_id,
            "totp_code": totp_code,
            "refresh_token": refresh_token,
        }
    )
    runtime = runtime_of(request)
    if grant_type == "password":
        outcome = await _password_grant(
            runtime, request, username, password, tenant or client_id, totp_code
        )
    elif grant_type == "refresh_token":
        outcome = await _refresh_grant(runtime, refresh_token)
    else:
        raise field_error("grant_type", "password or refresh_token", "unsupported_grant_type")
    locked = locked_answer(outcome)
    if locked is not None:
        return locked
    grant = outcome.unwrap()
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
) -> Outcome[TokenGrant]:
    for field, value in (("username", username), ("password", password), ("tenant", tenant)):
        if not value:
            raise field_error(field, "Field required", "missing")
    assert username and password and tenant
    tenant_id = await runtime.directory.tenant_id_of(tenant)
    login = PasswordLogin(
        tenant_known=tenant_id is not None,
        username=username,
        password=password,
        totp_code=totp_code or None,
        source_address=source_address(request),
    )
    return await runtime.run(
        tenant_id or PLATFORM_TENANT_ID,
        password_grant,
        login,
        runtime.token_services,
        runtime.second_factor,
        runtime.clock(),
    )


async def _refresh_grant(runtime: Runtime, refresh_token: str | None) -> Outcome[TokenGrant]:
    if not refresh_token:
        raise field_error("refresh_token", "Field required", "missing")
    presented = parse_opaque_token(refresh_token)
    tenant_id = await runtime.directory.tenant_of_refresh_token(presented.id) if presented else None
    if presented is None or tenant_id is None:
        raise invalid_refresh_token()
    return await runtime.run(
        tenant_id, refresh_grant, presented, runtime.token_services, runtime.clock()
    )
