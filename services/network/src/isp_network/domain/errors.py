"""Errors about fields and conflicts, shaped like the edge's own validation errors."""

from __future__ import annotations

from isp_common.errors import Conflict, NotFound, ValidationFailed


def invalid_field(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {"fields": [{"field": field, "message": message}]})


def field_conflict(field: str, message: str) -> Conflict:
    return Conflict(message, {"fields": [{"field": field, "message": message}]})


def unknown_reference(field: str, resource: str) -> NotFound:
    """A body names something that does not exist (in this tenant): 404, naming the field."""
    return NotFound(resource, {"fields": [{"field": field, "message": f"unknown {resource}"}]})
