"""Logging in and staying logged in: identity's token endpoint, then who the token speaks for.

Staff log in to the console, subscribers to the portal; a login meant for the other area is
refused with the same words as a wrong password would get, less one hint (where to go).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from isp_console.domain.session import Area, Session, chosen_locale
from isp_console.use_cases.ports import Api, ApiError

CUSTOMER = "customer"


class WrongArea(Exception):
    """A subscriber at the console's login, or staff at the portal's."""

    def __init__(self, right_area: Area) -> None:
        super().__init__(right_area.value)
        self.right_area = right_area


async def log_in(
    api: Api,
    area: Area,
    tenant: str,
    username: str,
    password: str,
    totp_code: str | None,
    locale: str | None,
    now: datetime,
) -> Session:
    form = {"grant_type": "password", "tenant": tenant, "username": username, "password": password}
    if totp_code:
        form["totp_code"] = totp_code
    tokens = await api.post("/auth/token", data=form)
    me = await _me(api, tokens["access_token"])
    roles = tuple(str(role) for role in me.get("roles") or ())
    is_subscriber = CUSTOMER in roles
    if area is Area.CONSOLE and is_subscriber:
        await _end(api, tokens["refresh_token"])
        raise WrongArea(Area.PORTAL)
    if area is Area.PORTAL and not is_subscriber:
        await _end(api, tokens["refresh_token"])
        raise WrongArea(Area.CONSOLE)
    return Session(
        area=area,
        tenant=tenant,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        access_expires_at=now + timedelta(seconds=int(tokens.get("expires_in", 900))),
        csrf_token=secrets.token_urlsafe(32),
        subject=str(me.get("sub", "")),
        roles=roles,
        display_name=str(me.get("full_name") or me.get("email") or username),
        customer_id=str(me["customer_id"]) if me.get("customer_id") else None,
        locale=chosen_locale(locale),
    )


async def refresh(api: Api, session: Session, now: datetime) -> Session:
    form = {"grant_type": "refresh_token", "refresh_token": session.refresh_token}
    tokens = await api.post("/auth/token", data=form)
    return session.with_tokens(
        tokens["access_token"],
        tokens["refresh_token"],
        now + timedelta(seconds=int(tokens.get("expires_in", 900))),
    )


async def log_out(api: Api, session: Session) -> None:
    await _end(api, session.refresh_token)


async def _me(api: Api, access_token: str) -> dict[str, Any]:
    me = await api.with_token(access_token).get("/auth/me")
    if not isinstance(me, dict):
        raise ValueError("identity answered no account")
    return me


async def _end(api: Api, refresh_token: str) -> None:
    try:
        await api.post("/auth/logout", json={"refresh_token": refresh_token})
    except ApiError:  # the session is being dropped either way; identity forgets it in time
        return
