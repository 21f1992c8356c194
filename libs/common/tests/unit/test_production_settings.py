"""Production refuses the public development values; a URL that cannot work is named at start."""

import os
import subprocess
import sys
from ipaddress import ip_network

import pytest

from isp_common.secrets import service_secret_box
from isp_common.settings import DEV_JWT_SECRET, DEV_SECRET_KEY, ConfigurationError, Settings

REAL_KEY = "k3J0Y2JqY2pHbmZ2c2ZxU0x2c2V3bXJ4bW5xZ3BqZmQ="
PRODUCTION = {
    "environment": "production",
    "jwt_secret": "a-real-production-secret-of-enough-length",
    "jwt_issuer": "https://idp.example",
    "jwt_audience": "isp",
    "service_db_password": "a-real-password",
}


def test_production_with_real_values_starts_and_a_non_decrypting_service_needs_no_key() -> None:
    Settings(service_name="tickets", **PRODUCTION)  # type: ignore[arg-type]
    Settings(service_name="customers", secret_key=REAL_KEY, **PRODUCTION)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"jwt_secret": "dev-only-isp-platform-jwt-secret-change-me"}, "ISP_JWT_SECRET"),
        (
            {"jwt_secret": f"new-secret-that-is-long-enough-000,{DEV_JWT_SECRET}"},
            "ISP_JWT_SECRET",
        ),
        ({"jwt_secret": "short"}, "ISP_JWT_SECRET"),
        ({"jwt_issuer": None}, "ISP_JWT_ISSUER"),
        ({"jwt_audience": None}, "ISP_JWT_AUDIENCE"),
        ({"jwks_url": "https://idp/jwks", "jwt_audience": None}, "ISP_JWKS_URL"),
        ({"service_db_password": "isp-local-dev"}, "ISP_SERVICE_DB_PASSWORD"),
        (
            {"service_database_url": "postgresql://isp_customers:isp-local-dev@db/isp"},
            "ISP_SERVICE_DATABASE_URL",
        ),
        ({"secret_key": DEV_SECRET_KEY}, "ISP_SECRET_KEY"),
        ({"secret_key": f"{REAL_KEY},{DEV_SECRET_KEY}"}, "ISP_SECRET_KEY"),
    ],
)
def test_production_refuses_development_values(change: dict[str, object], named: str) -> None:
    values = {**PRODUCTION, "secret_key": REAL_KEY, **change}
    with pytest.raises(ConfigurationError, match=named):
        Settings(service_name="customers", **values)  # type: ignore[arg-type]
    Settings(service_name="customers", **{**values, "environment": "development"})  # type: ignore[arg-type]


def test_a_decrypting_service_needs_a_valid_key_in_any_environment() -> None:
    with pytest.raises(ConfigurationError, match="ISP_SECRET_KEY"):
        Settings(service_name="network", secret_key="not-a-fernet-key")
    Settings(service_name="tickets", secret_key="not-a-fernet-key")  # never used there


def test_only_the_key_holders_get_a_secret_box() -> None:
    assert (
        service_secret_box(Settings(service_name="mikrotik-agent")).decrypt(
            service_secret_box(Settings(service_name="customers")).encrypt("x")
        )
        == "x"
    )
    with pytest.raises(RuntimeError, match="does not decrypt"):
        service_secret_box(Settings(service_name="billing"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/isp", "postgresql+asyncpg://u:p@db:5432/isp"),
        ("postgres://u:p@db/isp", "postgresql+asyncpg://u:p@db/isp"),
        ("postgresql+psycopg://u@db/isp", "postgresql+asyncpg://u@db/isp"),
        ("postgresql://u@db/isp?sslmode=require", "postgresql+asyncpg://u@db/isp?ssl=require"),
    ],
)
def test_provider_urls_are_accepted_for_asyncpg(given: str, expected: str) -> None:
    settings = Settings(database_url=given, service_database_url=given)
    assert settings.database_url == expected
    assert settings.service_dsn == expected


@pytest.mark.parametrize("url", ["mysql://u:secret@db/isp", "oracle://u@db:1521/isp", "garbage"])
@pytest.mark.parametrize("field", ["database_url", "service_database_url"])
def test_a_url_that_cannot_work_is_named_without_its_password(field: str, url: str) -> None:
    with pytest.raises(ConfigurationError, match=f"ISP_{field.upper()}") as raised:
        Settings(**{field: url})  # type: ignore[arg-type]
    assert "secret" not in str(raised.value)


def test_trusted_proxies_come_as_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().trusted_proxies == (ip_network("127.0.0.0/8"), ip_network("::1/128"))
    monkeypatch.setenv("ISP_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8")
    assert Settings().trusted_proxies == (ip_network("10.0.0.0/8"), ip_network("fd00::/8"))


def _start(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ISP_")}
    return subprocess.run(
        [sys.executable, "-m", module, "api", "--port", "1"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_real_service_refuses_to_start_in_production_with_one_line() -> None:
    done = _start("isp_tickets", {"ISP_ENVIRONMENT": "production"})
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "ISP_JWT_SECRET" in lines[0] and "Traceback" not in done.stderr


def test_a_real_service_names_a_database_url_it_cannot_use() -> None:
    done = _start("isp_tickets", {"ISP_DATABASE_URL": "mysql://u:pw@db/isp"})
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "python -m isp_tickets: ISP_DATABASE_URL must be a PostgreSQL URL, not mysql://…; "
        "expected postgresql://user:password@host:port/database"
    ]


def test_a_decrypting_service_names_every_development_value_in_its_one_line() -> None:
    done = _start("isp_customers", {"ISP_ENVIRONMENT": "production"})
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "ISP_JWT_SECRET" in lines[0] and "ISP_SECRET_KEY" in lines[0]
