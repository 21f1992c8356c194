"""The demo tenant's logins, made in identity once the platform answers: the tenant itself
(adopting the id the demo's tokens already carry, slug `demo`) with its first admin, and a portal
login for one demo subscriber. Both passwords are generated on the first run and kept in
`<state_dir>/demo-logins.json` (readable by its owner only), so a second `make up` prints the
same ones; each run logs in with them to show that they work.

Identity answers 409 for a tenant it has already: that is the second run, not an error. The
subscriber's portal login waits until identity has heard of the customer (its replica is fed by
customers' events, so a fresh demo customer may take a moment).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from isp_common.auth import Role, mint_token
from isp_common.settings import Settings

SLUG = "demo"
ADMIN_EMAIL = "admin@demo.isp.local"
# The PPPoE username of the demo subscriber who gets a portal login (isp_cli.demo's first).
SUBSCRIBER_LOGIN = "siti"
LOGINS_FILE = "demo-logins.json"
# Identity's platform tenant (its own rows: signing keys, throttling of unknown tenants): the
# tenant a platform_admin token names, since the operator belongs to no ISP.
PLATFORM_TENANT_ID = UUID(int=0)
PLATFORM_TOKEN_TTL_SECONDS = 300


class LoginsFailed(Exception):
    pass


@dataclass(frozen=True)
class Login:
    who: str  # "staff admin", "subscriber"
    tenant: str  # the slug a login names
    username: str
    password: str
    works: bool


def ensure(
    base_urls: Mapping[str, str],
    settings: Settings,
    tenant: UUID,
    admin_token: str,
    state_dir: Path,
    say: Callable[[str], None],
    *,
    with_subscriber: bool,
    wait_seconds: float = 60.0,
) -> list[Login]:
    """The demo logins, made when missing and checked; `base_urls` maps a service to its URL."""
    if "identity" not in base_urls:
        say("  identity is not running: no logins (the admin token above still works)")
        return []
    passwords = stored_passwords(state_dir)
    operator = mint_token(
        settings,
        tenant_id=PLATFORM_TENANT_ID,
        roles=[Role.PLATFORM_ADMIN],
        sub="isp-up",
        ttl_seconds=PLATFORM_TOKEN_TTL_SECONDS,
    )
    identity = base_urls["identity"] + "/api/v1"
    with httpx.Client(timeout=30) as http:
        _tenant(http, identity, operator, tenant, passwords["admin"], say)
        logins = [_checked(http, identity, "staff admin", ADMIN_EMAIL, passwords["admin"])]
        if with_subscriber and "customers" in base_urls:
            customer = _subscriber(http, base_urls["customers"] + "/api/v1", admin_token)
            if customer is None:
                say(f"  no demo subscriber {SUBSCRIBER_LOGIN!r}: no portal login")
            else:
                _portal_account(
                    http, identity, admin_token, customer, passwords["subscriber"], wait_seconds
                )
                logins.append(
                    _checked(
                        http, identity, "subscriber", SUBSCRIBER_LOGIN, passwords["subscriber"]
                    )
                )
    for login in logins:
        if not login.works:
            say(
                f"  {login.who} {login.username}: the kept password does not log in (set on a "
                f"run whose {state_dir / LOGINS_FILE} is gone?)"
            )
    return logins


def stored_passwords(state_dir: Path) -> dict[str, str]:
    """The demo passwords of this checkout: made once (16 random url-safe characters, which no
    password rule refuses), then read back."""
    path = state_dir / LOGINS_FILE
    try:
        kept = json.loads(path.read_text())
        if isinstance(kept, dict) and all(isinstance(kept.get(k), str) for k in _WHO):
            return {k: kept[k] for k in _WHO}
    except (OSError, ValueError):
        pass
    made = {k: secrets.token_urlsafe(12) for k in _WHO}
    state_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump(made, out)
        out.write("\n")
    return made


_WHO = ("admin", "subscriber")


def _tenant(
    http: httpx.Client,
    identity: str,
    operator: str,
    tenant: UUID,
    password: str,
    say: Callable[[str], None],
) -> None:
    body = {
        "id": str(tenant),
        "slug": SLUG,
        "name": "Demo ISP",
        "timezone": "Asia/Jakarta",
        "currency": "IDR",
        "admin_email": ADMIN_EMAIL,
        "admin_full_name": "Demo Admin",
        "admin_password": password,
    }
    answer = _call(lambda: http.post(f"{identity}/tenants", json=body, headers=_bearer(operator)))
    if answer.status_code == 201:
        say(f"  tenant {SLUG!r} and its admin {ADMIN_EMAIL} in identity")
    elif answer.status_code == 409:
        say(f"  tenant {SLUG!r} is in identity already")
    else:
        raise LoginsFailed(_why("POST /tenants", answer))


def _subscriber(http: httpx.Client, customers: str, admin_token: str) -> str | None:
    answer = _call(
        lambda: http.get(
            f"{customers}/customers",
            params={"search": SUBSCRIBER_LOGIN},
            headers=_bearer(admin_token),
        )
    )
    if answer.status_code != 200:
        raise LoginsFailed(_why("GET /customers", answer))
    for customer in answer.json()["data"]:
        if customer.get("pppoe_username") == SUBSCRIBER_LOGIN:
            return str(customer["id"])
    return None


def _portal_account(
    http: httpx.Client,
    identity: str,
    admin_token: str,
    customer: str,
    password: str,
    wait_seconds: float,
) -> None:
    """PUT until identity knows the customer (404 until customers' event has reached it)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        answer = _call(
            lambda: http.put(
                f"{identity}/customers/{customer}/portal-account",
                json={"password": password},
                headers=_bearer(admin_token),
            )
        )
        if answer.status_code in (200, 201):
            return
        if answer.status_code != 404 or time.monotonic() > deadline:
            raise LoginsFailed(_why("PUT /customers/{id}/portal-account", answer))
        time.sleep(0.5)


def _checked(http: httpx.Client, identity: str, who: str, username: str, password: str) -> Login:
    form = {"grant_type": "password", "tenant": SLUG, "username": username, "password": password}
    answer = _call(lambda: http.post(f"{identity}/auth/token", data=form))
    if answer.status_code not in (200, 401):
        raise LoginsFailed(_why(f"POST /auth/token ({who})", answer))
    return Login(who, SLUG, username, password, answer.status_code == 200)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _call(request: Callable[[], httpx.Response]) -> httpx.Response:
    try:
        return request()
    except httpx.HTTPError as exc:
        raise LoginsFailed(f"{type(exc).__name__}: {exc}") from None


def _why(what: str, answer: httpx.Response) -> str:
    body: Any = answer.text[:300]
    return f"{what} answered {answer.status_code}: {body}"
