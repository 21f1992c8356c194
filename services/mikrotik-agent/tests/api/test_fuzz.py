"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin: no
5xx, every error in the envelope with the status its code goes with, answers as documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

from isp_mikrotik_agent.app import create_agent_app
from isp_mikrotik_agent.bootstrap import AgentSettings, agent_settings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant

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
PROTOCOL_STATUS_CODES = {405: "NOT_FOUND", 413: "VALIDATION_ERROR", 415: "VALIDATION_ERROR"}


def error_envelope(ctx: Any, response: Any, case: Any) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    body = json.loads(response.content)
    assert set(body) == {"success", "error"}, body
    assert body["success"] is False
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    code = error["code"]
    assert code in ERROR_STATUS, code
    if status in PROTOCOL_STATUS_CODES:
        assert code == PROTOCOL_STATUS_CODES[status]
    else:
        assert ERROR_STATUS[code] == status, f"{code} answered {status}"
    assert code != "INTERNAL_ERROR", error["message"]


@pytest.fixture(scope="module")
def fuzz_tenant(new_tenant: Any) -> Tenant:
    tenant: Tenant = new_tenant()
    return tenant


@pytest.fixture(scope="module")
def fuzz_app(settings: AgentSettings) -> Iterator[Any]:
    with asgi.get_client(create_agent_app(build_runtime(settings))) as client:
        yield client
    asgi.shutdown_lifespans()


def _document() -> dict[str, Any]:
    return create_agent_app(build_runtime(agent_settings())).openapi()


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    case.call_and_validate(
        session=fuzz_app,
        base_url=fuzz_app.base_url,
        headers={"Authorization": f"Bearer {fuzz_tenant.token('admin')}"},
        additional_checks=[error_envelope],
        excluded_checks=[schemathesis.checks.unsupported_method, schemathesis.checks.ignored_auth],
    )
