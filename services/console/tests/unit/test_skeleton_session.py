"""The session cookie (sealed, forged, expired, rotated keys) and the safe `next` redirect."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet

from isp_console.adapters.session_cookie import SessionCookie
from isp_console.api.auth_routes import _safe_next
from isp_console.domain.session import REFRESH_MARGIN, Area, Session, chosen_locale

KEY = Fernet.generate_key().decode()
EXPIRES = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def a_session(**changes: object) -> Session:
    values: dict[str, object] = {
        "area": Area.CONSOLE,
        "tenant": "demo",
        "access_token": "access",
        "refresh_token": "refresh",
        "access_expires_at": EXPIRES,
        "csrf_token": "csrf",
        "subject": "user-1",
        "roles": ("admin", "finance"),
        "display_name": "Ani",
        "extra": {"timezone": "Asia/Jakarta"},
    }
    values.update(changes)
    return Session(**values)  # type: ignore[arg-type]


def test_a_sealed_session_opens_as_it_was() -> None:
    cookie = SessionCookie(KEY, 3600)
    session = a_session(area=Area.PORTAL, customer_id="c-1", locale="en")
    sealed = cookie.seal(session)
    assert "refresh" not in sealed and "Ani" not in sealed  # encrypted, not only signed
    assert cookie.open(sealed) == session


def test_a_missing_forged_or_foreign_cookie_opens_as_nobody() -> None:
    cookie = SessionCookie(KEY, 3600)
    sealed = cookie.seal(a_session())
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    other_key = SessionCookie(Fernet.generate_key().decode(), 3600).seal(a_session())
    for value in (None, "", "garbage", tampered, other_key):
        assert cookie.open(value) is None


def test_an_expired_cookie_opens_as_nobody() -> None:
    cookie = SessionCookie(KEY, 3600)
    fernet = Fernet(KEY)
    plain = fernet.decrypt(cookie.seal(a_session()).encode())
    old = fernet.encrypt_at_time(plain, int(time.time()) - 3601).decode()
    assert cookie.open(old) is None
    fresh = fernet.encrypt_at_time(plain, int(time.time()) - 60).decode()
    assert cookie.open(fresh) == a_session()


def test_a_cookie_sealed_with_a_retired_key_still_opens_after_a_rotation() -> None:
    new_key = Fernet.generate_key().decode()
    sealed_before = SessionCookie(KEY, 3600).seal(a_session())
    rotated = SessionCookie(f"{new_key}, {KEY}", 3600)
    assert rotated.open(sealed_before) == a_session()
    assert SessionCookie(new_key, 3600).open(rotated.seal(a_session())) == a_session()


def test_a_readable_cookie_of_another_shape_opens_as_nobody() -> None:
    cookie = SessionCookie(KEY, 3600)
    assert cookie.open(Fernet(KEY).encrypt(b'{"area": "console"}').decode()) is None
    assert cookie.open(Fernet(KEY).encrypt(b"[1, 2]").decode()) is None


def test_a_session_refreshes_within_the_margin_of_its_expiry() -> None:
    session = a_session()
    assert not session.needs_refresh(EXPIRES - REFRESH_MARGIN - timedelta(seconds=1))
    assert session.needs_refresh(EXPIRES - REFRESH_MARGIN)
    renewed = session.with_tokens("a2", "r2", EXPIRES + timedelta(minutes=15))
    assert (renewed.access_token, renewed.refresh_token) == ("a2", "r2")
    assert renewed.csrf_token == session.csrf_token and renewed.roles == session.roles


def test_only_known_locales_are_chosen() -> None:
    assert chosen_locale("en") == "en"
    assert chosen_locale("fr") == "id" and chosen_locale(None) == "id"
    assert a_session().with_locale("xx").locale == "id"


def test_next_stays_in_the_area() -> None:
    assert _safe_next("/console/customers?page=2", Area.CONSOLE) == "/console/customers?page=2"
    for hostile in (
        None,
        "",
        "https://evil.example/console/",
        "//evil.example/console/",
        "/portal/",
        "/console/\\evil",
        "javascript:alert(1)",
    ):
        assert _safe_next(hostile, Area.CONSOLE) == "/console/"
    assert _safe_next("/console/", Area.PORTAL) == "/portal/"
