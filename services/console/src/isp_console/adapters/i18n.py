"""Indonesian and English: the strings are English msgids; every `locales/<lang>/LC_MESSAGES/
*.po` translates them (one catalogue per area of the console, merged). The .po files are read
when the console starts (compiled in memory with Babel), so there is no build step and no .mo
file to forget.

Numbers, money and dates are formatted by Babel in the session's locale; times are UTC in the
API and shown in the tenant's time zone.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from isp_console.domain.session import LOCALES

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locales"
BABEL_LOCALES = {"id": "id_ID", "en": "en_US"}


def catalog_files(locale: str) -> list[Path]:
    return sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))


@cache
def translations(locale: str) -> NullTranslations:
    if locale not in LOCALES:
        return NullTranslations()
    merged: Translations | None = None
    for po in catalog_files(locale):
        with po.open("rb") as source:
            catalog = read_po(source, locale=locale)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        part = Translations(compiled)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged if merged is not None else NullTranslations()


class Formats:
    """The filters templates format values with, for one locale and time zone."""

    def __init__(self, locale: str, timezone: str = "UTC", currency: str = "IDR") -> None:
        self.locale = BABEL_LOCALES.get(locale, "id_ID")
        self.zone = _zone(timezone)
        self.currency = currency

    def money(self, value: Any, currency: str | None = None) -> str:
        amount = _decimal(value)
        if amount is None:
            return "—"
        return numbers.format_currency(amount, currency or self.currency, locale=self.locale)

    def number(self, value: Any) -> str:
        amount = _decimal(value)
        return "—" if amount is None else numbers.format_decimal(amount, locale=self.locale)

    def date(self, value: Any) -> str:
        parsed = _when(value)
        if parsed is None:
            return "—"
        if isinstance(parsed, datetime):
            parsed = parsed.astimezone(self.zone).date()
        return dates.format_date(parsed, format="medium", locale=self.locale)

    def datetime(self, value: Any) -> str:
        parsed = _when(value)
        if parsed is None:
            return "—"
        if not isinstance(parsed, datetime):
            return self.date(parsed)
        return dates.format_datetime(parsed.astimezone(self.zone), "medium", locale=self.locale)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _when(value: Any) -> date | datetime | None:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
