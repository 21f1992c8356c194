import asyncio
import uuid

import pytest
from typer.testing import CliRunner

from isp_common.auth import TokenVerifier
from isp_common.settings import Settings

from isp_cli.main import app


def verify(token: str):  # type: ignore[no-untyped-def]
    return asyncio.run(TokenVerifier(Settings()).verify(token))


def test_token_is_accepted_by_the_services_verifier(runner: CliRunner) -> None:
    tenant = uuid.uuid4()
    result = runner.invoke(
        app, ["token", "--tenant", str(tenant), "--role", "admin", "--role", "support"]
    )
    assert result.exit_code == 0, result.output
    principal = verify(result.stdout.strip())
    assert principal.tenant_id == tenant
    assert principal.roles == {"admin", "support"}
    assert principal.sub == "cli"


def test_customer_token_carries_the_customer(runner: CliRunner) -> None:
    tenant, customer = uuid.uuid4(), uuid.uuid4()
    args = ["token", "--tenant", str(tenant), "--role", "customer"]
    result = runner.invoke(app, [*args, "--customer-id", str(customer), "--sub", "me"])
    assert result.exit_code == 0, result.output
    principal = verify(result.stdout.strip())
    assert principal.customer_id == customer and principal.sub == "me"

    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "--customer-id" in refused.output


def test_bad_input_is_refused_with_exit_code_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["token", "--tenant", "nope", "--role", "admin"]).exit_code == 2
    unknown = runner.invoke(app, ["token", "--tenant", str(uuid.uuid4()), "--role", "root"])
    assert unknown.exit_code == 2
    assert "unknown role" in unknown.output


def test_run_refuses_an_unknown_service(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "invoices"])
    assert result.exit_code == 2
    assert "unknown service" in result.output


def test_a_platform_admin_token_names_the_platform_tenant(runner: CliRunner) -> None:
    result = runner.invoke(app, ["token", "--roles", "platform_admin", "--ttl", "60"])
    assert result.exit_code == 0, result.output
    principal = verify(result.stdout.strip())
    assert principal.roles == {"platform_admin"}
    assert principal.tenant_id == uuid.UUID(int=0)


def test_beside_a_jwks_url_the_warning_says_when_the_token_is_refused(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISP_JWKS_URL", "http://127.0.0.1:8008/.well-known/jwks.json")
    monkeypatch.delenv("ISP_JWT_SECRET", raising=False)
    args = ["token", "--tenant", str(uuid.uuid4())]
    assert "accept only their identity provider" in runner.invoke(app, args).stderr
    monkeypatch.setenv("ISP_JWT_SECRET", "an-explicit-secret-of-at-least-32-characters")
    assert runner.invoke(app, args).stderr == ""
