"""A browser's login: the tokens identity issued, who they speak for, and the CSRF secret of
the session. It lives in the browser, encrypted (adapters/session_cookie.py); the console keeps
nothing of it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

# Refresh when the access token has less than this left, so that a page's API calls never meet
# an expiry halfway through.
REFRESH_MARGIN = timedelta(seconds=60)


class Area(StrEnum):
    """Where a session logged in: staff use the console, subscribers the portal."""

    CONSOLE = "console"
    PORTAL = "portal"


LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"


def chosen_locale(value: str | None) -> str:
    return value if value in LOCALES else DEFAULT_LOCALE


@dataclass(frozen=True)
class Session:
    area: Area
    tenant: str  # the tenant's slug, as typed at login
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    csrf_token: str
    subject: str
    roles: tuple[str, ...]
    display_name: str
    customer_id: str | None = None
    locale: str = DEFAULT_LOCALE
    extra: dict[str, Any] = field(default_factory=dict)

    def needs_refresh(self, now: datetime) -> bool:
        return now >= self.access_expires_at - REFRESH_MARGIN

    def with_tokens(self, access_token: str, refresh_token: str, expires_at: datetime) -> Session:
        return replace(
            self,
            access_token=access_token,
            refresh_token=refresh_token,
            access_expires_at=expires_at,
        )

    def with_locale(self, locale: str) -> Session:
        return replace(self, locale=chosen_locale(locale))
