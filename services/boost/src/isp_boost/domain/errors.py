"""Errors about fields, shaped like the edge's own validation errors (`details.fields`)."""

from __future__ import annotations

from isp_common.errors import ValidationFailed


def invalid_field(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {"fields": [{"field": field, "message": message}]})
