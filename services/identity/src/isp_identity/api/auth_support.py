"""What the /auth routes share: the runtime, the caller's address, and how a refusal a use case
returned (after its commit) becomes the answer: a 429 with Retry-After, any other raised."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Form, Request
from fastapi.responses import JSONResponse

from isp_common.errors import RateLimited, ValidationFailed
from isp_common.web.auth import client_ip
from isp_common.web.envelope import ErrorEnvelope
from isp_common.web.errors import error_response

from isp_identity.bootstrap import Runtime
from isp_identity.use_cases.outcome import Outcome

T = TypeVar("T")
RATE_LIMITED_RESPONSE: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorEnvelope, "description": "RATE_LIMITED: locked for a while (Retry-After)"}
}
FormText = Annotated[str | None, Form(max_length=1024)]


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def source_address(request: Request) -> str | None:
    """The client, after the trusted-proxy handling of X-Forwarded-For."""
    return client_ip(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        request.app.state.settings.trusted_proxies,
    )


def locked_answer(outcome: Outcome[Any]) -> JSONResponse | None:
    """The 429 (with Retry-After) when the outcome is a lock; any other refusal is raised;
    None when the use case succeeded."""
    error = outcome.refusal
    if isinstance(error, RateLimited):
        retry = str(error.details.get("retry_after_seconds", 1))
        return error_response(
            error.status, error.code, error.message, error.details, headers={"Retry-After": retry}
        )
    outcome.unwrap()
    return None


def field_error(field: str, message: str, type_: str) -> ValidationFailed:
    return ValidationFailed(
        "The request is not valid",
        {"fields": [{"field": field, "message": message, "type": type_}]},
    )


def refuse_nul(fields: dict[str, str | None]) -> None:
    """A form is not a RequestModel: refuse NUL here (Postgres cannot store it, and a login name
    that cannot be recorded must not slip past the throttle as a database error)."""
    for name, value in fields.items():
        if value and "\x00" in value:
            raise field_error(name, "text must not contain the NUL character", "nul_character")
