"""What the console runs on: its settings, one HTTP client to the gateway shared by every
request, the session cookie, and the single-flight refresher. It has no database: a session
lives in its cookie and everything else is the platform's API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import httpx
from cryptography.fernet import Fernet
from pydantic import Field, model_validator

from isp_common.settings import ConfigurationError, Settings

from isp_console.adapters.session_cookie import SessionCookie
from isp_console.adapters.token_refresh import Refresher

SERVICE = "console"
PORT = 8009

# A fixed key so that a fresh clone works; production sets ISP_CONSOLE_SESSION_KEY.
DEV_SESSION_KEY = "ZGV2LW9ubHktaXNwLWNvbnNvbGUtc2Vzc2lvbi1rZXk="


class ConsoleSettings(Settings):
    """ISP_CONSOLE_* (docs/configuration.md)."""

    service_name: str = SERVICE
    # The gateway: every API call goes through it, as any other client's.
    console_api_url: str = "http://127.0.0.1:8080"
    console_api_timeout_seconds: float = Field(default=15.0, gt=0, le=120)
    console_session_key: str = DEV_SESSION_KEY
    # A login lasts this long at most (identity's refresh tokens may last longer).
    console_session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # Secure cookies; browsers accept them over plain http on localhost and 127.0.0.1 only.
    console_cookie_secure: bool = True
    # Map tiles ({z}/{x}/{y}); empty: markers on a plain background, no internet needed.
    console_map_tile_url: str = ""
    console_map_attribution: str = ""

    @model_validator(mode="after")
    def _refuse_what_cannot_work(self) -> Self:
        # The console verifies no token (the services do) and holds no database: only its own
        # key matters here.
        try:
            keys = [k.strip() for k in self.console_session_key.split(",") if k.strip()]
            if not keys:
                raise ValueError("no key")
            for key in keys:
                Fernet(key)
        except ValueError:
            raise ConfigurationError(
                "ISP_CONSOLE_SESSION_KEY must be one or more Fernet keys separated by commas"
            ) from None
        if self.environment == "production":
            problems = []
            if DEV_SESSION_KEY in keys:
                problems.append("ISP_CONSOLE_SESSION_KEY is the public development key")
            if not self.console_cookie_secure:
                problems.append("ISP_CONSOLE_COOKIE_SECURE is off")
            if problems:
                raise ConfigurationError("refusing to start in production: " + "; ".join(problems))
        return self


def console_settings() -> ConsoleSettings:
    return ConsoleSettings()


@dataclass
class Runtime:
    settings: ConsoleSettings
    http: httpx.AsyncClient
    cookie: SessionCookie
    refresher: Refresher

    async def aclose(self) -> None:
        await self.http.aclose()


def build_runtime(
    settings: ConsoleSettings, transport: httpx.AsyncBaseTransport | None = None
) -> Runtime:
    http = httpx.AsyncClient(
        base_url=settings.console_api_url.rstrip("/"),
        timeout=settings.console_api_timeout_seconds,
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        transport=transport,
    )
    cookie = SessionCookie(settings.console_session_key, settings.console_session_hours * 3600)
    return Runtime(settings=settings, http=http, cookie=cookie, refresher=Refresher())
