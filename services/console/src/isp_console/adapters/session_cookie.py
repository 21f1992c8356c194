"""The session cookie: the session encrypted and authenticated with Fernet (AES-128-CBC and
HMAC-SHA256), so the browser holds it without reading or changing it, and any console replica
can serve the next request. `ISP_CONSOLE_SESSION_KEY` holds one key, or several separated by
commas (the first encrypts; all decrypt), so keys rotate without logging everyone out."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from isp_console.domain.session import Area, Session


class SessionCookie:
    def __init__(self, keys: str, max_age_seconds: int) -> None:
        self._fernet = MultiFernet([Fernet(k.strip()) for k in keys.split(",") if k.strip()])
        self.max_age_seconds = max_age_seconds

    def seal(self, session: Session) -> str:
        data = asdict(session)
        data["access_expires_at"] = session.access_expires_at.isoformat()
        data["roles"] = list(session.roles)
        return self._fernet.encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()

    def open(self, cookie: str | None) -> Session | None:
        """The session, or None for a missing, forged, expired or unreadable cookie."""
        if not cookie:
            return None
        try:
            raw = self._fernet.decrypt(cookie.encode(), ttl=self.max_age_seconds)
            data = json.loads(raw)
            data["area"] = Area(data["area"])
            data["access_expires_at"] = datetime.fromisoformat(data["access_expires_at"])
            data["roles"] = tuple(data["roles"])
            return Session(**data)
        except (InvalidToken, ValueError, KeyError, TypeError):
            return None
