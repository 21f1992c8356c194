"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz).

The agent is at a closed port, so test-connection and sync-queues answer 502 where they get so
far (a 5xx the document declares, in the envelope).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis

from isp_common.testing import fuzz

from isp_network.app import create_network_app
from isp_network.bootstrap import NetworkSettings, build_runtime, network_settings

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    return new_tenant()


@pytest.fixture(scope="module")
def fuzz_app(settings: NetworkSettings) -> Iterator[Any]:
    runtime = build_runtime(settings)
    with fuzz.asgi_session(create_network_app(runtime)) as session:
        yield session


schema = fuzz.openapi_schema(create_network_app(build_runtime(network_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=25)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    # A router's ip_address must lie in ISP_ROUTER_NETWORKS, a setting the document cannot
    # carry: a schema-valid 0.0.0.0 for a router is rightly a 422 (test_devices_api covers it).
    fuzz.call_and_validate(
        case,
        fuzz_app,
        token=fuzz_tenant.token("admin"),
        also_excluded=(
            [schemathesis.checks.positive_data_acceptance] if "/devices" in case.path else []
        ),
    )
