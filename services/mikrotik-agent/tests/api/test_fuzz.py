"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from isp_common.testing import fuzz

from isp_mikrotik_agent.app import create_agent_app
from isp_mikrotik_agent.bootstrap import AgentSettings, agent_settings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    return new_tenant()


@pytest.fixture(scope="module")
def fuzz_app(settings: AgentSettings) -> Iterator[Any]:
    with fuzz.asgi_session(create_agent_app(build_runtime(settings))) as session:
        yield session


schema = fuzz.openapi_schema(create_agent_app(build_runtime(agent_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=30)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    fuzz.call_and_validate(case, fuzz_app, token=fuzz_tenant.token("admin"))
