"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin.

What it proves, for every request it generates (valid and invalid bodies, parameters, headers):
no 5xx but the agent's 502; every non-2xx answer is the envelope of DESIGN §3 with a known code
and the status that code goes with; every answer conforms to the document.

The app is a runtime of its own, built for this module: Schemathesis drives ASGI apps on one
event loop in a thread of its own, and an asyncpg pool belongs to the loop it was opened on.
The agent is at a closed port, so test-connection and sync-queues answer 502 where they get so
far (5xx the document declares, in the envelope).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi

from isp_common.settings import Settings

from isp_network.app import create_network_app
from isp_network.bootstrap import NetworkConfig, build_runtime, network_settings

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
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{status} answer is not JSON: {response.content[:200]!r}") from None
    assert isinstance(body, dict) and set(body) == {"success", "error"}, body
    assert body["success"] is False
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    code = error["code"]
    assert code in ERROR_STATUS, f"{status} answer has an unknown code {code!r}"
    if status in PROTOCOL_STATUS_CODES:
        assert code == PROTOCOL_STATUS_CODES[status]
    else:
        assert ERROR_STATUS[code] == status, f"{code} answered {status}"
    assert code != "INTERNAL_ERROR", f"INTERNAL_ERROR: {error['message']!r}"
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    return new_tenant()


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    runtime = build_runtime(settings, NetworkConfig(agent_timeout_seconds=0.5))
    with asgi.get_client(create_network_app(runtime)) as client:
        yield client
    asgi.shutdown_lifespans()


def _document() -> dict[str, Any]:
    """The OpenAPI document, which depends on no setting: read from an app that never runs."""
    return create_network_app(build_runtime(network_settings())).openapi()


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    # As customers' fuzz test: `ignored_auth` replays go over the network, not the ASGI session;
    # test_devices_api and test_monitoring_api cover a missing or wrong role.
    excluded = [schemathesis.checks.unsupported_method, schemathesis.checks.ignored_auth]
    case.call_and_validate(
        session=fuzz_app,
        base_url=fuzz_app.base_url,
        headers={"Authorization": f"Bearer {fuzz_tenant.token('admin')}"},
        additional_checks=[error_envelope],
        excluded_checks=excluded,
    )
