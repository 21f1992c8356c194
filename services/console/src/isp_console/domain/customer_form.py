"""A customer form's values ↔ the customers API's bodies.

The form sends every field as text; the API wants only what was given on create, and only what
changed on edit (a cleared field is sent as null, so it is cleared rather than kept).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# The editable fields of the customer model, in the order the form shows them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "full_name",
    "nik",
    "phone",
    "email",
    "photo_url",
    "address",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "house_photo_url",
    "odp_id",
    "olt_port",
    "onu_serial",
    "router_id",
    "remote_address",
    "pppoe_username",
    "pppoe_password",
)
# Only a new customer takes these: the plan changes through change-plan afterwards.
CREATE_ONLY_FIELDS: tuple[str, ...] = ("customer_code", "service_plan_id")
CREATE_FIELDS: tuple[str, ...] = CREATE_ONLY_FIELDS + EDITABLE_FIELDS
# A secret is kept exactly as typed, and never shown again: blank on edit means "unchanged".
SECRET_FIELDS = frozenset({"pppoe_password"})
COORDINATE_FIELDS = frozenset({"latitude", "longitude"})


def _typed(form: Mapping[str, Any], name: str) -> str | None:
    raw = form.get(name)
    if not isinstance(raw, str):
        return None
    value = raw if name in SECRET_FIELDS else raw.strip()
    return value if value.strip() else None


def form_values(form: Mapping[str, Any], fields: tuple[str, ...] = CREATE_FIELDS) -> dict[str, str]:
    """What the person typed, to show the form again (never the password)."""
    return {
        name: value
        for name in fields
        if name not in SECRET_FIELDS and (value := _typed(form, name)) is not None
    }


def create_body(form: Mapping[str, Any]) -> dict[str, str]:
    """The fields that were filled in; the API generates the rest (the customer code)."""
    return {name: value for name in CREATE_FIELDS if (value := _typed(form, name)) is not None}


def customer_values(customer: Mapping[str, Any]) -> dict[str, str]:
    """A customer from the API as the edit form's values."""
    values: dict[str, str] = {}
    for name in CREATE_FIELDS:
        value = customer.get(name)
        if value is not None and name not in SECRET_FIELDS:
            values[name] = str(value)
    return values


def patch_body(form: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, str | None]:
    """Only what changed: a field emptied becomes null, the password only when a new one is
    typed."""
    changes: dict[str, str | None] = {}
    for name in EDITABLE_FIELDS:
        typed = _typed(form, name)
        if name in SECRET_FIELDS:
            if typed is not None:
                changes[name] = typed
            continue
        if not _same(name, typed, current.get(name)):
            changes[name] = typed
    return changes


def _same(name: str, typed: str | None, current: Any) -> bool:
    if current is None or current == "":
        return typed is None
    if typed is None:
        return False
    if name in COORDINATE_FIELDS:
        try:
            return Decimal(typed) == Decimal(str(current))
        except InvalidOperation:
            return False
    return typed == str(current)


# The services' validation words are for programmers; these say what to type instead.
PATTERN = "string_pattern_mismatch"
FRIENDLY_ERRORS: dict[tuple[str, str], str] = {
    ("phone", PATTERN): "Enter a phone number: digits, optionally starting with +.",
    ("email", PATTERN): "Enter an email address such as name@example.com.",
    ("customer_code", PATTERN): "Use letters, digits, dots, dashes or underscores.",
    ("pppoe_username", PATTERN): "Use letters, digits, dots, dashes, underscores or @.",
    ("remote_address", "ip_v4_address"): "Enter an IPv4 address such as 10.0.0.10.",
}
BY_TYPE: dict[str, str] = {
    "missing": "This field is required.",
    "string_too_short": "This field is required.",
    "string_too_long": "This is too long.",
    "uuid_parsing": "Choose a value from the list.",
}


def field_errors(details: Mapping[str, Any]) -> dict[str, str]:
    """`details.fields` of a VALIDATION_ERROR → {field: msgid or the service's message}."""
    fields = details.get("fields")
    if isinstance(fields, dict):
        return {str(name): str(text) for name, text in fields.items()}
    found: dict[str, str] = {}
    for item in fields if isinstance(fields, list) else []:
        if not isinstance(item, dict) or not item.get("field"):
            continue
        name = str(item["field"]).removeprefix("body.")
        kind = str(item.get("type") or "")
        message = FRIENDLY_ERRORS.get((name, kind)) or BY_TYPE.get(kind)
        found.setdefault(name, message or str(item.get("message") or "invalid"))
    return found
