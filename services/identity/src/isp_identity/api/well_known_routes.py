"""Discovery and keys at the root (the gateway serves /.well-known/ there): what every service
and any OIDC-aware client needs to verify identity's tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from isp_identity.api.auth_routes import TOKEN_URL
from isp_identity.bootstrap import Runtime
from isp_identity.domain.tenant import PLATFORM_TENANT_ID
from isp_identity.use_cases.signing_keys import published_keys

router = APIRouter(prefix="/.well-known", tags=["discovery"])
# Verifiers refetch on an unknown kid anyway; a short cache keeps a rotation visible quickly.
JWKS_CACHE = {"Cache-Control": "public, max-age=60"}
CLAIMS = ["iss", "sub", "aud", "exp", "iat", "jti", "tenant_id", "roles", "customer_id", "sid"]


@router.get("/jwks.json", summary="The public keys that verify identity's access tokens")
async def jwks(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    document = await runtime.run(PLATFORM_TENANT_ID, published_keys, runtime.clock())
    return JSONResponse(document, headers=JWKS_CACHE)


@router.get("/openid-configuration", summary="OpenID Connect discovery")
async def openid_configuration(request: Request) -> dict[str, Any]:
    runtime: Runtime = request.app.state.runtime
    base = (runtime.settings.identity_public_url or str(request.base_url)).rstrip("/")
    return {
        "issuer": runtime.settings.token_issuer,
        "token_endpoint": base + TOKEN_URL,
        "jwks_uri": base + "/.well-known/jwks.json",
        "grant_types_supported": ["password", "refresh_token"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": CLAIMS,
    }
