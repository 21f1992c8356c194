"""A plan's forms as the browser posts them, turned into the bodies billing takes.

Every form value is a string; billing's integers and booleans are strict JSON, so the console
converts what it can and names the fields it cannot (those errors show at their fields before
any call is made). Everything else (ranges, lengths, money) billing judges.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

WHOLE_NUMBER = "Enter a whole number."
VALID_JSON = "Enter valid JSON, or leave it empty."

PLAN_INTEGERS = ("bandwidth_download", "bandwidth_upload")

# The advanced config (billing's AdvancedConfig), by the kind of input each field gets.
ADVANCED_OPTIONAL_INTEGERS = (
    "burst_rate_download",
    "burst_rate_upload",
    "burst_threshold",
    "burst_time",
    "monthly_quota_gb",
    "fup_threshold_gb",
    "speed_after_fup_download",
    "speed_after_fup_upload",
    "duration_days",
    "vlan_id",
    "max_devices",
    "qos_priority",
)
ADVANCED_BOOLEANS = ("is_unlimited", "auto_apply_to_mikrotik")
ADVANCED_CHOICES = {
    "billing_cycle": ("monthly", "quarterly", "semi_annual", "yearly"),
    "connection_mode": ("pppoe", "dhcp", "static", "hotspot"),
}
ADVANCED_TEXTS = ("ip_pool", "queue_type", "queue_name_template")
ADVANCED_JSON = ("time_restrictions", "traffic_shaping", "addons", "mikrotik_queue_config")
ADVANCED_DEFAULTS: dict[str, Any] = {
    "is_unlimited": True,
    "auto_apply_to_mikrotik": True,
    "billing_cycle": "monthly",
    "connection_mode": "pppoe",
    "grace_period_days": 0,
    "area_coverage": [],
}


@dataclass
class FormResult:
    """The body to send, the form's values to show again, and the fields already wrong."""

    body: dict[str, Any] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _integer(text: str) -> int | None:
    cleaned = text.replace(" ", "").replace("_", "")
    if cleaned.lstrip("-").isdigit():
        return int(cleaned)
    return None


def _checked(form: Mapping[str, Any], name: str) -> bool:
    return _text(form, name) in ("on", "true", "1", "yes")


def plan_body(form: Mapping[str, Any]) -> FormResult:
    """The create/edit form → the plan's basic fields (PATCH sends them all: billing records
    only the fields that changed)."""
    result = FormResult()
    for name in ("name", "description", "monthly_price", *PLAN_INTEGERS):
        result.values[name] = _text(form, name)
    result.body["name"] = result.values["name"]
    result.body["description"] = result.values["description"] or None
    for name in PLAN_INTEGERS:
        number = _integer(result.values[name])
        if number is None:
            result.errors[name] = WHOLE_NUMBER
        else:
            result.body[name] = number
    # Money stays text: billing reads it as a decimal; a grouping comma or space is dropped.
    result.body["monthly_price"] = result.values["monthly_price"].replace(",", "").replace(" ", "")
    result.body["is_active"] = _checked(form, "is_active")
    result.values["is_active"] = "on" if result.body["is_active"] else ""
    return result


def advanced_body(form: Mapping[str, Any]) -> FormResult:
    """The advanced form → the whole AdvancedConfig (PUT replaces it: an empty field is null)."""
    result = FormResult()
    for name in ADVANCED_OPTIONAL_INTEGERS:
        text = result.values[name] = _text(form, name)
        if not text:
            result.body[name] = None
        elif (number := _integer(text)) is None:
            result.errors[name] = WHOLE_NUMBER
        else:
            result.body[name] = number
    grace = result.values["grace_period_days"] = _text(form, "grace_period_days")
    grace_days = _integer(grace) if grace else 0
    if grace_days is None:
        result.errors["grace_period_days"] = WHOLE_NUMBER
    else:
        result.body["grace_period_days"] = grace_days
    for name in ADVANCED_BOOLEANS:
        result.body[name] = _checked(form, name)
        result.values[name] = "on" if result.body[name] else ""
    for name, choices in ADVANCED_CHOICES.items():
        chosen = result.values[name] = _text(form, name)
        result.body[name] = chosen if chosen in choices else ADVANCED_DEFAULTS[name]
    for name in ADVANCED_TEXTS:
        result.values[name] = _text(form, name)
        result.body[name] = result.values[name] or None
    areas = result.values["area_coverage"] = _text(form, "area_coverage")
    result.body["area_coverage"] = area_list(areas)
    for name in ADVANCED_JSON:
        text = result.values[name] = _text(form, name)
        if not text:
            result.body[name] = None
            continue
        try:
            result.body[name] = json.loads(text)
        except ValueError:
            result.errors[name] = VALID_JSON
    return result


def area_list(text: str) -> list[str]:
    """One area per line (or separated by commas), blanks dropped, each once."""
    seen: dict[str, None] = {}
    for part in text.replace(",", "\n").splitlines():
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def advanced_values(advanced: Mapping[str, Any] | None) -> dict[str, str]:
    """A saved advanced config (or none yet: the defaults) as the form's values."""
    config = {**ADVANCED_DEFAULTS, **(advanced or {})}
    values: dict[str, str] = {}
    for name in (*ADVANCED_OPTIONAL_INTEGERS, "grace_period_days", *ADVANCED_TEXTS):
        value = config.get(name)
        values[name] = "" if value is None else str(value)
    for name in ADVANCED_BOOLEANS:
        values[name] = "on" if config.get(name) else ""
    for name in ADVANCED_CHOICES:
        values[name] = str(config.get(name) or ADVANCED_DEFAULTS[name])
    values["area_coverage"] = "\n".join(str(a) for a in config.get("area_coverage") or [])
    for name in ADVANCED_JSON:
        value = config.get(name)
        values[name] = "" if value is None else json.dumps(value, indent=2, ensure_ascii=False)
    return values


def plan_values(plan: Mapping[str, Any]) -> dict[str, str]:
    """A plan as its edit form's values."""
    values = {
        name: "" if plan.get(name) is None else str(plan.get(name))
        for name in ("name", "description", "monthly_price", *PLAN_INTEGERS)
    }
    values["is_active"] = "on" if plan.get("is_active") else ""
    return values


def speed(kbps: Any) -> str:
    """A bandwidth in kbps as people say it: 50 Mbps, 1.5 Gbps, 512 kbps."""
    if not isinstance(kbps, int) or isinstance(kbps, bool):
        return "—"
    for unit, size in (("Gbps", 1_000_000), ("Mbps", 1_000)):
        if kbps >= size:
            whole, rest = divmod(kbps, size)
            if rest == 0:
                return f"{whole} {unit}"
            return f"{kbps / size:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{kbps} kbps"


def changelog_value(value: Any) -> str:
    """A changelog's old or new value (JSON) in one short line."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# Billing's validation words are pydantic's; these say the same in words the console translates.
_FIELD_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"greater than or equal to (?P<n>[\d.]+)"), "Enter %(n)s or more."),
    (re.compile(r"less than or equal to (?P<n>[\d.]+)"), "Enter %(n)s or less."),
    (re.compile(r"at least 1 character"), "This field is required."),
    (re.compile(r"at most (?P<n>\d+) characters?"), "Use at most %(n)s characters."),
    (re.compile(r"decimal amount|money is a decimal"), "Enter an amount such as 150000.00."),
    (re.compile(r"must not be negative"), "Enter an amount of zero or more."),
    (re.compile(r"should match pattern"), "This value is not in the expected format."),
    (re.compile(r"valid integer"), WHOLE_NUMBER),
    (re.compile(r"must not be after the tenant's today"), "Choose today or an earlier day."),
    (re.compile(r"must not be after (?P<day>\d{4}-\d{2}-\d{2})"), "Choose %(day)s or earlier."),
    (re.compile(r"must not be before (?P<day>\d{4}-\d{2}-\d{2})"), "Choose a day from %(day)s on."),
)


def field_message(message: str) -> tuple[str, dict[str, str]]:
    """A service's message for one field → (msgid, its placeholders); unknown ones as they are."""
    for pattern, msgid in _FIELD_MESSAGES:
        found = pattern.search(message)
        if found:
            return msgid, found.groupdict()
    return message, {}
