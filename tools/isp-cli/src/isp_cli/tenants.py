"""`isp tenant create`: a tenant and its first admin, made through identity's API
(POST /api/v1/tenants) with a short-lived platform_admin token, as the platform operator."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from isp_common.auth import Role, mint_token
from isp_common.settings import Settings

# The operator belongs to no ISP: its token names identity's platform tenant.
PLATFORM_TENANT_ID = UUID(int=0)
OPERATOR_TOKEN_TTL_SECONDS = 120


class TenantRefused(Exception):
    """Identity refused the tenant (or could not be reached): the reason, for the operator."""


def create_tenant(settings: Settings, identity_url: str, body: dict[str, Any]) -> dict[str, Any]:
    """The created tenant as identity answers it (with `admin`, and the admin's one-time
    `password_reset` when no password was given)."""
    token = mint_token(
        settings,
        tenant_id=PLATFORM_TENANT_ID,
        roles=[Role.PLATFORM_ADMIN],
        sub="isp-cli",
        ttl_seconds=OPERATOR_TOKEN_TTL_SECONDS,
    )
    url = identity_url.rstrip("/") + "/api/v1/tenants"
    try:
        with httpx.Client(timeout=settings.http_timeout_seconds) as http:
            answer = http.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise TenantRefused(f"identity at {identity_url} did not answer: {exc}") from None
    if answer.status_code != 201:
        raise TenantRefused(_reason(answer))
    return dict(answer.json()["data"])


def describe(created: dict[str, Any]) -> list[str]:
    """What the operator is shown: the tenant, its admin and, once, the admin's reset token."""
    admin = created["admin"]
    lines = [
        f"tenant    {created['id']}",
        f"slug      {created['slug']}",
        f"name      {created['name']}",
        f"timezone  {created['timezone']}",
        f"currency  {created['currency']}",
        f"admin     {admin['email']} ({admin['id']})",
    ]
    reset = admin.get("password_reset")
    if reset:
        lines += [
            f"reset token (shown once, until {reset['expires_at']}): {reset['reset_token']}",
            "  the admin sets a password with it: POST /api/v1/auth/password/reset",
        ]
    else:
        lines.append("the admin logs in with the password given")
    return lines


def _reason(answer: httpx.Response) -> str:
    try:
        error = answer.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"identity answered {answer.status_code}"
    fields = (error.get("details") or {}).get("fields") or []
    named = "; ".join(f"{f.get('field')}: {f.get('message')}" for f in fields)
    return f"{error.get('code')}: {error.get('message')}" + (f" ({named})" if named else "")
