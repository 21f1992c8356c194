"""The platform's error types; each maps to one code and status of the envelope
(docs/architecture.md, "The request path": errors).

Plain Python so that `domain/` and `use_cases/` can raise them without importing a web framework.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    code: ClassVar[str] = "INTERNAL_ERROR"
    status: ClassVar[int] = 500
    default_message: ClassVar[str] = "Internal error"

    def __init__(self, message: str | None = None, details: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(AppError):
    code = "VALIDATION_ERROR"
    status = 422
    default_message = "The request is not valid"


class Unauthorized(AppError):
    code = "UNAUTHORIZED"
    status = 401
    default_message = "Authentication required"


class Forbidden(AppError):
    code = "FORBIDDEN"
    status = 403
    default_message = "Not allowed"


class NotFound(AppError):
    code = "NOT_FOUND"
    status = 404
    default_message = "Not found"

    def __init__(self, resource: str = "resource", details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{resource} not found", details)


class Conflict(AppError):
    code = "CONFLICT"
    status = 409
    default_message = "Conflict"


class InvalidState(AppError):
    code = "INVALID_STATE"
    status = 409
    default_message = "Invalid state transition"

    def __init__(self, current: str, requested: str, message: str | None = None) -> None:
        super().__init__(
            message or f"cannot go from {current} to {requested}",
            {"current_state": current, "requested_state": requested},
        )


class RateLimited(AppError):
    code = "RATE_LIMITED"
    status = 429
    default_message = "Too many requests"


class ExternalServiceError(AppError):
    code = "EXTERNAL_SERVICE_ERROR"
    status = 502
    default_message = "An external service did not answer"


class ServiceUnavailable(AppError):
    code = "SERVICE_UNAVAILABLE"
    status = 503
    default_message = "Service unavailable"
