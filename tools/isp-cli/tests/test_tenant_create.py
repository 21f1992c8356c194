"""`isp tenant create` against the real identity service (`python -m isp_identity api` on a
fresh migrated database): the tenant and its admin are made, the one-time reset token is
printed, and identity's refusals reach the operator."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from isp_common.auth import mint_token
from isp_common.settings import Settings
from isp_common.testing import migrated_database, settings_for_test
from isp_common.testing.entrypoint import service_process

from isp_cli import services as registry
from isp_cli.main import app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def identity_database() -> Iterator[str]:
    migrations = registry.service("identity").migrations_dir()
    assert migrations is not None, "identity is installed in the workspace"
    yield from migrated_database("identity", {"identity": migrations})


async def test_the_operator_creates_a_tenant_and_gets_the_admin_s_reset_token(
    runner: CliRunner, identity_database: str
) -> None:
    settings = settings_for_test("identity", identity_database)
    async with service_process(
        "isp_identity", "api", owner_url=identity_database, settings=settings
    ) as identity:
        await identity.ready("identity")
        url = str(identity.client.base_url)
        tenant_id, slug = uuid.uuid4(), f"isp-{uuid.uuid4().hex[:10]}"
        args = ["tenant", "create", "--slug", slug, "--name", "Net One", "--url", url]
        args += ["--admin-email", f"Boss@{slug}.example", "--id", str(tenant_id)]
        args += ["--timezone", "Asia/Makassar"]
        result = await asyncio.to_thread(runner.invoke, app, args)
        assert result.exit_code == 0, result.output
        assert f"tenant    {tenant_id}" in result.stdout
        assert f"boss@{slug}.example" in result.stdout
        [reset_line] = [line for line in result.stdout.splitlines() if "reset token" in line]
        token_id, _, secret = reset_line.rsplit(" ", 1)[-1].partition(".")
        assert uuid.UUID(token_id) and secret

        operator = mint_token(Settings(), tenant_id=uuid.UUID(int=0), roles=["platform_admin"])
        shown = await identity.client.get(
            f"/api/v1/tenants/{tenant_id}", headers={"Authorization": f"Bearer {operator}"}
        )
        assert shown.status_code == 200, shown.text
        assert (shown.json()["data"]["slug"], shown.json()["data"]["timezone"]) == (
            slug,
            "Asia/Makassar",
        )

        again = await asyncio.to_thread(runner.invoke, app, args)
        assert again.exit_code == 1
        assert "tenant not created: CONFLICT" in again.output

        other = f"{slug}-2"
        weak = ["tenant", "create", "--slug", other, "--name", "N", "--url", url]
        weak += ["--admin-email", f"b@{other}.example", "--admin-password", "password1"]
        refused = await asyncio.to_thread(runner.invoke, app, weak)
        assert refused.exit_code == 1
        assert "VALIDATION_ERROR" in refused.output and "admin_password" in refused.output
        assert "password1" not in refused.output


def test_a_bad_id_is_refused_before_any_call(runner: CliRunner) -> None:
    args = ["tenant", "create", "--slug", "abc", "--name", "N", "--admin-email", "a@b.c"]
    result = runner.invoke(app, [*args, "--id", "nope", "--url", "http://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "--id" in result.output


def test_an_unreachable_identity_is_said_so(runner: CliRunner) -> None:
    args = ["tenant", "create", "--slug", "abc", "--name", "N", "--admin-email", "a@b.c"]
    result = runner.invoke(app, [*args, "--url", "http://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "did not answer" in result.output
