import pytest

from isp_common.settings import Settings


def test_service_connects_as_its_own_role_on_the_owner_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ISP_DATABASE_URL", "postgresql+asyncpg://owner:pw@db.internal:5433/isp")
    monkeypatch.setenv("ISP_SERVICE_NAME", "mikrotik-agent")
    monkeypatch.setenv("ISP_SERVICE_DB_PASSWORD", "agent-pw")
    settings = Settings()
    assert settings.db_schema == "mikrotik_agent"
    assert settings.service_dsn == (
        "postgresql+asyncpg://isp_mikrotik_agent:agent-pw@db.internal:5433/isp"
    )


def test_jwks_switches_to_rs256() -> None:
    assert Settings().jwt_algorithm == "HS256"
    assert Settings(jwks_url="https://idp.example/jwks").jwt_algorithm == "RS256"


def test_an_explicit_service_url_wins() -> None:
    settings = Settings(service_database_url="postgresql+asyncpg://x@y/z")
    assert settings.service_dsn == "postgresql+asyncpg://x@y/z"
    assert settings.url_of("billing") == "http://127.0.0.1:8002"
