"""The audit trail as an auditor reads it: filters from a query, a row's old and new values side
by side, and the chain's verification in words."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

CATEGORIES = ("customer", "payment", "ticket", "service_plan", "device", "speed_boost", "system")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def audit_filters(query: Mapping[str, str]) -> dict[str, str]:
    """The filters the API's `GET /audit-logs` takes, from a query string: a known category, a
    customer's id, dates as YYYY-MM-DD, short single-line texts; anything else is dropped."""
    chosen: dict[str, str] = {}
    category = (query.get("category") or "").strip()
    if category in CATEGORIES:
        chosen["category"] = category
    for name in ("action", "performed_by"):
        value = " ".join((query.get(name) or "").split())[:255]
        if value:
            chosen[name] = value
    customer_id = (query.get("customer_id") or "").strip()
    with contextlib.suppress(ValueError):
        chosen["customer_id"] = str(UUID(customer_id)) if customer_id else ""
    for name in ("date_from", "date_to"):
        value = (query.get(name) or "").strip()
        if _DATE.match(value):
            chosen[name] = value
    return {name: value for name, value in chosen.items() if value}


def parsed_value(text: str | None) -> Any:
    """A stored old or new value: JSON when it is, else the text itself (None stays None)."""
    if text is None or text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    kind: str  # "added", "removed", "changed" or "same"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def value_changes(old_text: str | None, new_text: str | None) -> list[Change]:
    """Field by field when both sides (or the one present) are JSON objects; otherwise one row
    for the whole value."""
    old, new = parsed_value(old_text), parsed_value(new_text)
    objects = [v for v in (old, new) if v is not None]
    if not objects or not all(isinstance(v, dict) for v in objects):
        if old is None and new is None:
            return []
        kind = "added" if old is None else "removed" if new is None else "changed"
        if old == new:
            kind = "same"
        return [Change("", _shown(old), _shown(new), kind)]
    before: dict[str, Any] = old if isinstance(old, dict) else {}
    after: dict[str, Any] = new if isinstance(new, dict) else {}
    changes = []
    for name in sorted(set(before) | set(after)):
        if name not in before:
            kind = "added"
        elif name not in after:
            kind = "removed"
        else:
            kind = "same" if before[name] == after[name] else "changed"
        changes.append(Change(name, _shown(before.get(name)), _shown(after.get(name)), kind))
    return changes


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str  # msgid with named placeholders
    values: dict[str, Any]


def verification_verdict(report: Mapping[str, Any]) -> Verdict:
    checked = int(report.get("checked") or 0)
    if report.get("ok"):
        return Verdict(
            True,
            "The chain is intact: all %(checked)s entries were checked and none was altered.",
            {"checked": checked},
        )
    return Verdict(
        False,
        "The chain is broken at entry %(seq)s (%(id)s), after %(checked)s entries were checked.",
        {
            "checked": checked,
            "seq": report.get("first_broken_seq") or "?",
            "id": report.get("first_broken_id") or "?",
        },
    )
