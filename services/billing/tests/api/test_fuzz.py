"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin.

What it proves, for every request it generates (valid and invalid bodies, parameters, headers):
no 5xx; every non-2xx answer is the envelope of DESIGN §3 with a known code and the status that
code goes with; every answer conforms to the document (status, content type, headers, body).

The app is a runtime of its own, built for this module: Schemathesis drives ASGI apps on one
event loop in a thread of its own, and an asyncpg pool belongs to the loop it was opened on, so
the session's app (on pytest-asyncio's loop) cannot be shared.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

from isp_common.settings import Settings

from isp_billing.app import create_billing_app
from isp_billing.bootstrap import billing_settings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant

# DESIGN §3: every error code and the one status it answers with.
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
# Statuses HTTP itself prescribes, for which DESIGN §3 has no code: answered under the nearest
# one (as the gateway answers its 413). Schemathesis's `unsupported_method` check requires the 405
# (with `Allow`) for a method the document does not declare.
PROTOCOL_STATUS_CODES = {405: "NOT_FOUND", 413: "VALIDATION_ERROR", 415: "VALIDATION_ERROR"}


def error_envelope(ctx: Any, response: Any, case: Any) -> None:
    """Any non-2xx answer is `{"success": false, "error": {"code", "message", "details"}}`
    with a DESIGN §3 code whose status is the response's, and never an INTERNAL_ERROR."""
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


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    """A fresh tenant with a plan and an active customer, so that reads and payments can hit."""
    tenant = new_tenant()
    plan = await tenant.plan("150000.00")
    await tenant.active_customer(plan["id"], date(2026, 1, 1))
    return tenant


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    with asgi.get_client(create_billing_app(build_runtime(settings))) as client:
        yield client
    asgi.shutdown_lifespans()  # the app's lifespan closes its database pool


def _document() -> dict[str, Any]:
    """The OpenAPI document, read from an app that never runs (see customers' fuzz test)."""
    return create_billing_app(build_runtime(billing_settings())).openapi()


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    # As in customers: `ignored_auth` replays go over the network, not the ASGI session.
    excluded = [schemathesis.checks.unsupported_method, schemathesis.checks.ignored_auth]
    case.call_and_validate(
        session=fuzz_app,
        base_url=fuzz_app.base_url,
        headers={"Authorization": f"Bearer {fuzz_tenant.token('admin')}"},
        additional_checks=[error_envelope],
        excluded_checks=excluded,
    )
