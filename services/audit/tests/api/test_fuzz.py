"""Schemathesis fuzzes every operation of the OpenAPI document, in-process, as an admin (what it
proves: isp_common.testing.fuzz); and whatever it managed to log still verifies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from isp_common.settings import Settings
from isp_common.testing import fuzz

from isp_audit.app import create_audit_app
from isp_audit.bootstrap import audit_settings, build_runtime

if TYPE_CHECKING:
    from conftest import Tenant


@pytest.fixture(scope="module")
async def fuzz_tenant(new_tenant: Callable[[], Tenant]) -> Tenant:
    return new_tenant()


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Iterator[Any]:
    with fuzz.asgi_session(create_audit_app(build_runtime(settings))) as session:
        yield session


schema = fuzz.openapi_schema(create_audit_app(build_runtime(audit_settings())))


@schema.parametrize()
@fuzz.fuzz_settings(max_examples=40)
def test_every_operation_answers_within_its_contract(
    case: Any, fuzz_app: Any, fuzz_tenant: Tenant
) -> None:
    fuzz.call_and_validate(case, fuzz_app, token=fuzz_tenant.token("admin"))


async def test_the_fuzzed_trail_still_verifies(fuzz_tenant: Tenant) -> None:
    """Whatever the fuzzer managed to log, the tenant's chain is whole."""
    verdict = (await fuzz_tenant.client("admin").get("/audit-logs/verify")).json()["data"]
    assert verdict["ok"], verdict
