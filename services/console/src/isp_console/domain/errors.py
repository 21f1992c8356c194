"""An API error as the console understands it, and the words a person reads for it.

Nothing the API answers is shown as JSON: a known code gets a sentence (translated by the page),
field errors go next to their fields, and anything else gets a general sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# msgids (English), translated in the templates' locale.
MESSAGES: dict[str, str] = {
    "VALIDATION_ERROR": "Some fields need correcting.",
    "UNAUTHORIZED": "Your session has ended. Please log in again.",
    "FORBIDDEN": "Your role does not allow this.",
    "NOT_FOUND": "We could not find that. It may have been removed.",
    "CONFLICT": "This conflicts with something that already exists.",
    "INVALID_STATE": "This cannot be done in the record's current state.",
    "RATE_LIMITED": "Too many attempts. Please wait a moment and try again.",
    "EXTERNAL_SERVICE_ERROR": "A part of the system did not answer. Please try again shortly.",
    "SERVICE_UNAVAILABLE": "The system is busy or under maintenance. Please try again shortly.",
    "UNREACHABLE": "The platform could not be reached. Please try again shortly.",
    "INTERNAL_ERROR": "Something went wrong on our side. Please try again.",
}
GENERAL = "Something went wrong. Please try again."


@dataclass(frozen=True)
class ApiProblem:
    status: int
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_response(cls, status: int, body: Any) -> ApiProblem:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(status, _code_for(status), "")
        details = error.get("details")
        return cls(
            status,
            str(error.get("code") or _code_for(status)),
            str(error.get("message") or ""),
            details if isinstance(details, dict) else {},
        )

    @classmethod
    def unreachable(cls, reason: str) -> ApiProblem:
        return cls(503, "UNREACHABLE", reason)

    @property
    def sentence(self) -> str:
        """The msgid to show (translate it with the page's gettext)."""
        return MESSAGES.get(self.code, GENERAL)

    @property
    def field_errors(self) -> dict[str, str]:
        """`details.fields` of a VALIDATION_ERROR: field name → the service's message. The
        services answer a list of `{field, message, type}`; a mapping is taken too."""
        fields = self.details.get("fields")
        if isinstance(fields, dict):
            return {str(name): str(text) for name, text in fields.items()}
        if not isinstance(fields, list):
            return {}
        found: dict[str, str] = {}
        for item in fields:
            if isinstance(item, dict) and "field" in item:
                found.setdefault(str(item["field"]), str(item.get("message") or "invalid"))
        return found


def _code_for(status: int) -> str:
    return {
        400: "VALIDATION_ERROR",
        401: "UNAUTHORIZED",
        403: "FORBIDDEN",
        404: "NOT_FOUND",
        409: "CONFLICT",
        422: "VALIDATION_ERROR",
        429: "RATE_LIMITED",
        502: "EXTERNAL_SERVICE_ERROR",
        503: "SERVICE_UNAVAILABLE",
    }.get(status, "INTERNAL_ERROR")
