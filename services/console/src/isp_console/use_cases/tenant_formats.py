"""The tenant's time zone and currency, read once at login and kept in the session, so every
page shows dates in the tenant's calendar and money in its currency without asking again."""

from __future__ import annotations

from dataclasses import replace

from isp_console.domain.session import Area, Session
from isp_console.use_cases.ports import Api, ApiError


async def remember_tenant_formats(api: Api, session: Session) -> Session:
    if session.area is not Area.CONSOLE:
        return session  # a subscriber's invoices name their currency; dates stay in UTC days
    try:
        settings = await api.get("/billing/settings")
    except ApiError:
        return session
    data = settings if isinstance(settings, dict) else {}
    extra = dict(session.extra)
    for key in ("timezone", "currency"):
        if isinstance(data, dict) and data.get(key):
            extra[key] = str(data[key])
    return replace(session, extra=extra)
