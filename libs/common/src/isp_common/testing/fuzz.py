"""The contract test every service runs: Schemathesis fuzzes every operation of its OpenAPI
document, in-process, as an admin.

What it proves, for every request it generates (valid and invalid bodies, parameters, headers):
no 5xx but a declared 502/503; every non-2xx answer is the error envelope (docs/architecture.md,
"The request path") with a known code and the status that code goes with; every answer conforms
to the document (status, content type, headers, body).

A service's `tests/api/test_fuzz.py` loads its schema at import (`openapi_schema`), builds an app
on a runtime of its own (`asgi_session`), makes a tenant, and calls `call_and_validate` per case
under `fuzz_settings(max_examples=...)`. Needs the dev dependencies (schemathesis, hypothesis).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

if TYPE_CHECKING:
    from fastapi import FastAPI
    from schemathesis.python.asgi import ASGIClient
    from schemathesis.specs.openapi.schemas import OpenApiSchema

# Every error code and the one status it answers with (docs/architecture.md, "The request path").
ERROR_STATUS = {
    "VALIDATION_ERROR": 422,
    "UNAUTHORIZED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "INVALID_STATE": 409,
    "RATE_LIMITED": 429,
    "EXTERNAL_SERVICE_ERROR": 502,
    "SERVICE_UNAVAILABLE": 503,
    "INTERNAL_ERROR": 500,
}
# Statuses HTTP itself prescribes, for which the envelope has no code: answered under the nearest
# one (as the gateway answers its 413). Schemathesis's `unsupported_method` check requires the 405
# (with `Allow`) for a method the document does not declare.
PROTOCOL_STATUS_CODES = {405: "NOT_FOUND", 413: "VALIDATION_ERROR", 415: "VALIDATION_ERROR"}


def error_envelope(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """Any non-2xx answer is `{"success": false, "error": {"code", "message", "details"}}`
    with an ERROR_STATUS code whose status is the response's, and never an INTERNAL_ERROR."""
    status = response.status_code
    if 200 <= status < 300:
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{status} answer is not JSON: {response.content[:200]!r}") from None
    assert isinstance(body, dict), f"{status} answer is not an object: {body!r}"
    assert set(body) == {"success", "error"}, f"{status} envelope keys: {sorted(body)}"
    assert body["success"] is False, f"{status} answer says success={body['success']!r}"
    error = body["error"]
    assert isinstance(error, dict), f"{status} error is not an object: {error!r}"
    assert set(error) == {"code", "message", "details"}, f"{status} error keys: {sorted(error)}"
    code = error["code"]
    assert code in ERROR_STATUS, f"{status} answer has an unknown code {code!r}"
    if status in PROTOCOL_STATUS_CODES:
        assert code == PROTOCOL_STATUS_CODES[status], f"{status} answered as {code}"
    else:
        assert ERROR_STATUS[code] == status, f"{code} answered {status}, not {ERROR_STATUS[code]}"
    assert code != "INTERNAL_ERROR", f"INTERNAL_ERROR: {error['message']!r}"
    assert isinstance(error["message"], str) and error["message"], "an empty error message"
    assert isinstance(error["details"], dict), f"details is not an object: {error['details']!r}"


def openapi_schema(app: FastAPI) -> OpenApiSchema:
    """The Schemathesis schema of the app's OpenAPI document, which depends on no setting: pass an
    app that never runs.

    Call it at import, so each operation is a test of its own (the lazy `from_fixture` loader
    does not work on pytest 9.2, which dropped the node attribute it renames)."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    # Text with a NUL character is refused by every service (Postgres cannot store it): the
    # contract says so in docs/decisions.md, and positive tests must not send what it refuses.
    # Negative tests still do, and expect the 422.
    schema.config.generation.update(allow_x00=False)
    return schema


def fuzz_settings(max_examples: int) -> settings:
    """Hypothesis settings of a fuzz test: reproducible, no deadline (a request is a database
    round trip), no health check (Schemathesis's strategies trip them by design)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


@contextmanager
def asgi_session(app: FastAPI) -> Iterator[ASGIClient]:
    """A requests session on the app, whose lifespan runs until the end (it closes the app's
    database pool and clients).

    Build the app on a runtime of its own: Schemathesis drives ASGI apps on one event loop in a
    thread of its own, and an asyncpg pool belongs to the loop it was opened on, so the session's
    app (on pytest-asyncio's loop) cannot be shared."""
    asgi_app: Any = app  # Schemathesis types an ASGI app narrower than FastAPI's own signature.
    with asgi.get_client(asgi_app) as client:
        yield client
    asgi.shutdown_lifespans()


# Checks no service's fuzz test runs:
# - `ignored_auth`: Schemathesis 4.32 sends its unauthenticated replays through `requests` rather
#   than the ASGI session, i.e. over the network; each service's API tests cover a missing or bad
#   token and the roles instead.
# - `unsupported_method`: a fixed path beside a `{id}` path (`PATCH /customers/import` beside
#   `PATCH /customers/{customer_id}`, `PATCH /tickets/sla`) is routed to the `{id}` operation,
#   which answers 422 (not a UUID) where this check wants a 405. Typing the path parameter
#   (`{customer_id:uuid}`) would fix it but turn today's 422 for a malformed id into a 404: a
#   change of contract left to a decision of its own.
NEVER_RUN_CHECKS = (schemathesis.checks.unsupported_method, schemathesis.checks.ignored_auth)


def call_and_validate(
    case: schemathesis.Case[Any],
    session: ASGIClient,
    *,
    token: str,
    also_excluded: Sequence[schemathesis.CheckFunction] = (),
) -> None:
    """Sends the case to the app with the token and runs every check but NEVER_RUN_CHECKS and
    `also_excluded` (a service says why next to it), plus `error_envelope`."""
    case.call_and_validate(
        session=session,
        base_url=session.base_url,
        headers={"Authorization": f"Bearer {token}"},
        additional_checks=[error_envelope],
        excluded_checks=[*NEVER_RUN_CHECKS, *also_excluded],
    )
