"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from isp_common.settings import Settings
from isp_common.testing import fuzz

from isp_boost.app import create_boost_app
from isp_boost.bootstrap import boost_settings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    """A fresh tenant with a customer and a price: ids Schemathesis draws are unknown (404),
    pricing and listing succeed."""
    tenant = new_tenant()
    await tenant.seed_customer()
    await tenant.set_price()
    return tenant


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    with fuzz.asgi_session(create_boost_app(build_runtime(settings))) as session:
        yield session


schema = fuzz.openapi_schema(create_boost_app(build_runtime(boost_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=30)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    fuzz.call_and_validate(case, fuzz_app, token=fuzz_tenant.token("admin"))
