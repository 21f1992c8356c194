"""Configuration from `ISP_*` environment variables, with defaults that are safe on a laptop."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

# A fixed key so that a fresh clone works; production sets ISP_SECRET_KEY (see docs/operations).
DEV_SECRET_KEY = "ZGV2LW9ubHktaXNwLXBsYXRmb3JtLWZlcm5ldC1rZXk="
DEV_JWT_SECRET = "dev-only-isp-platform-jwt-secret-change-me"

SERVICE_PORTS = {
    "customers": 8001,
    "billing": 8002,
    "network": 8003,
    "tickets": 8004,
    "boost": 8005,
    "audit": 8006,
    "mikrotik-agent": 8007,
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ISP_", extra="ignore")

    service_name: str = "isp"
    # The owner's URL: migrations run with it. Services log in as their own role (see below).
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/isp"
    # When unset, a service connects to database_url's host as `isp_<service>`.
    service_database_url: str | None = None
    service_db_password: str = "isp-local-dev"
    db_pool_size: int = 10

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    events_exchange: str = "isp.events"
    # Lets tests (and several platforms on one broker) keep their queues apart.
    queue_prefix: str = ""
    max_delivery_attempts: int = 5
    consumer_prefetch: int = 32
    relay_batch_size: int = 500
    relay_poll_seconds: float = 1.0

    jwt_secret: str = DEV_JWT_SECRET
    jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None

    # One Fernet key, or several separated by commas (the first encrypts; all decrypt).
    secret_key: str = DEV_SECRET_KEY

    log_level: str = "INFO"
    log_json: bool = True

    http_timeout_seconds: float = 3.0
    service_urls: dict[str, str] = Field(
        default_factory=lambda: {
            name: f"http://127.0.0.1:{port}" for name, port in SERVICE_PORTS.items()
        }
    )

    @property
    def db_schema(self) -> str:
        return self.service_name.replace("-", "_")

    @property
    def service_role(self) -> str:
        return f"isp_{self.db_schema}"

    @cached_property
    def service_dsn(self) -> str:
        """The URL the service itself connects with: a non-owner role under forced RLS."""
        if self.service_database_url:
            return self.service_database_url
        url = make_url(self.database_url).set(
            username=self.service_role, password=self.service_db_password
        )
        return url.render_as_string(hide_password=False)

    @property
    def jwt_algorithm(self) -> str:
        return "RS256" if self.jwks_url else "HS256"

    def url_of(self, service: str) -> str:
        return self.service_urls[service].rstrip("/")
