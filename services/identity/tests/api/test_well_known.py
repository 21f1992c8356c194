"""/.well-known/openid-configuration and /.well-known/jwks.json: public, at the root; the
OpenAPI document declares the OAuth 2.0 password flow for Swagger's Authorize dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Tenant

    from isp_identity.bootstrap import Runtime


async def test_discovery_names_the_issuer_the_token_endpoint_and_the_keys(
    tenant: Tenant, runtime: Runtime
) -> None:
    client = tenant.anonymous_client()
    answer = await client.get("http://identity/.well-known/openid-configuration")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["issuer"] == runtime.settings.token_issuer
    assert document["token_endpoint"] == "http://identity/api/v1/auth/token"
    assert document["jwks_uri"] == "http://identity/.well-known/jwks.json"
    assert set(document["grant_types_supported"]) == {"password", "refresh_token"}
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = await client.get(document["jwks_uri"])
    assert keys.status_code == 200 and isinstance(keys.json()["keys"], list)


async def test_the_openapi_document_declares_the_password_flow(tenant: Tenant) -> None:
    answer = await tenant.anonymous_client().get("http://identity/openapi.json")
    schemes = answer.json()["components"]["securitySchemes"]
    assert schemes["oauth2"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    assert "bearer" in schemes


async def test_what_needs_no_token_and_what_does(tenant: Tenant) -> None:
    client = tenant.anonymous_client()
    for path in ("/auth/me", "/auth/password", "/auth/totp", "/auth/totp/confirm"):
        method = "GET" if path == "/auth/me" else "POST"
        answer = await client.request(method, path, json={})
        assert answer.status_code == 401, (path, answer.text)
    for path in ("/auth/token", "/auth/logout", "/auth/password/reset", "/auth/activate"):
        answer = await client.post(path, json={})
        assert answer.status_code == 422, (path, answer.text)


async def test_a_development_token_still_works_for_me(tenant: Tenant) -> None:
    answer = await tenant.client("platform_admin", sub="operator").get("/auth/me")
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["kind"] == "token"
    assert answer.json()["data"]["roles"] == ["platform_admin"]
