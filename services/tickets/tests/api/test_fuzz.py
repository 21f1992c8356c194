"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from isp_common.settings import Settings
from isp_common.testing import fuzz

from isp_tickets.app import create_tickets_app
from isp_tickets.bootstrap import build_runtime, tickets_settings

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    """A fresh tenant: what one operation creates, another may find."""
    return new_tenant()


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    with fuzz.asgi_session(create_tickets_app(build_runtime(settings))) as session:
        yield session


schema = fuzz.openapi_schema(create_tickets_app(build_runtime(tickets_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=30)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    # `PATCH /tickets/sla` goes to `PATCH /tickets/{ticket_id}`: why `unsupported_method` never
    # runs (fuzz.NEVER_RUN_CHECKS).
    fuzz.call_and_validate(case, fuzz_app, token=fuzz_tenant.token("admin"))
