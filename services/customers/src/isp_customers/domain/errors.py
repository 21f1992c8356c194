"""Errors about fields, shaped like the edge's own validation errors (`details.fields`)."""

from __future__ import annotations

from collections.abc import Sequence

from isp_common.errors import Conflict, ValidationFailed

_TAKEN = {
    "customer_code": "this customer code is already used",
    "pppoe_username": "this PPPoE username is already used by another customer",
    "remote_address": "this remote address is already used by another customer",
}


def invalid_field(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {"fields": [{"field": field, "message": message}]})


def identifiers_taken(fields: Sequence[str]) -> Conflict:
    """Codes, PPPoE usernames and fixed addresses belong to one customer of a tenant."""
    return Conflict(
        _TAKEN[fields[0]],
        {"fields": [{"field": field, "message": _TAKEN[field]} for field in fields]},
    )
