"""Configuration from `ISP_*` environment variables, with defaults that are safe on a laptop."""

from __future__ import annotations

from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated, Any, Literal, Self

from cryptography.fernet import Fernet
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from isp_common.router_targets import DEFAULT_ROUTER_NETWORKS

# A fixed key so that a fresh clone works; production sets ISP_SECRET_KEY (see docs/operations).
DEV_SECRET_KEY = "ZGV2LW9ubHktaXNwLXBsYXRmb3JtLWZlcm5ldC1rZXk="
DEV_JWT_SECRET = "dev-only-isp-platform-jwt-secret-change-me"
DEV_SERVICE_DB_PASSWORD = "isp-local-dev"
# An HS256 secret shorter than this can be guessed offline from any one token it signed.
MIN_JWT_SECRET_LENGTH = 32

# The services that decrypt stored secrets (PPPoE, router, SNMP passwords) and so hold
# ISP_SECRET_KEY. Every other service starts without it and never builds a SecretBox
# (see isp_common.secrets.service_secret_box).
SECRET_KEY_HOLDERS = frozenset({"customers", "network", "mikrotik-agent", "radius", "identity"})

# Who may tell us the client's address in X-Forwarded-For: by default only a proxy on this host.
DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1/128"

Network = IPv4Network | IPv6Network


class ConfigurationError(Exception):
    """A setting this process cannot run with. Not a ValueError, so pydantic lets it through
    as it is: the entry point prints its one line and exits, with no traceback."""


SERVICE_PORTS = {
    "customers": 8001,
    "billing": 8002,
    "network": 8003,
    "tickets": 8004,
    "boost": 8005,
    "audit": 8006,
    "mikrotik-agent": 8007,
    "identity": 8008,
}

# The platform's web front ends (docs/architecture.md, "The map"): reached through the gateway
# like a service and started by `isp up`, but with no schema, no migrations, no events and no
# broker user, so nothing that makes those iterates over them.
FRONTEND_PORTS = {"console": 8009}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ISP_", extra="ignore")

    # production refuses to start with any of the public development values (see docs).
    environment: Literal["development", "production"] = "development"
    service_name: str = "isp"
    # The owner's URL: migrations run with it. Services log in as their own role (see below).
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/isp"
    # When unset, a service connects to database_url's host as `isp_<service>`.
    service_database_url: str | None = None
    service_db_password: str = DEV_SERVICE_DB_PASSWORD
    db_pool_size: int = 10

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    events_exchange: str = "isp.events"
    # Lets tests (and several platforms on one broker) keep their queues apart.
    queue_prefix: str = ""
    max_delivery_attempts: int = 5
    consumer_prefetch: int = 32
    relay_batch_size: int = 500
    relay_poll_seconds: float = 1.0
    # How long a consumer remembers an event (inbox) and an aggregate's version; an event that
    # occurred longer ago is refused (dead-lettered), since neither can vouch for it any more.
    inbox_retention_days: int = Field(default=14, ge=1, le=3650)
    # How often every worker's housekeeping job purges the inbox, versions and idempotency keys.
    housekeeping_interval_seconds: float = Field(default=3600.0, gt=0)

    # One HS256 secret, or several separated by commas (the first signs; all verify).
    jwt_secret: str = DEV_JWT_SECRET
    jwks_url: str | None = None
    # How long a fetched JWKS is trusted: a key the provider removed stops verifying after this.
    jwks_refresh_seconds: float = Field(default=300.0, gt=0)
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    trusted_proxies: Annotated[tuple[Network, ...], NoDecode] = Field(
        default=DEFAULT_TRUSTED_PROXIES, validate_default=True
    )

    # One Fernet key, or several separated by commas (the first encrypts; all decrypt).
    secret_key: str = DEV_SECRET_KEY
    # CIDR networks routers may be in, comma-separated (isp_common.router_targets).
    router_networks: str = DEFAULT_ROUTER_NETWORKS

    log_level: str = "INFO"
    log_json: bool = True

    # The largest request body a service reads (the gateway's own cap is in front of it).
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    http_timeout_seconds: float = 3.0
    service_urls: dict[str, str] = Field(
        default_factory=lambda: {
            name: f"http://127.0.0.1:{port}" for name, port in SERVICE_PORTS.items()
        }
    )

    @field_validator("database_url")
    @classmethod
    def _owner_url_for_asyncpg(cls, value: str) -> str:
        return asyncpg_url(value, "ISP_DATABASE_URL")

    @field_validator("service_database_url")
    @classmethod
    def _service_url_for_asyncpg(cls, value: str | None) -> str | None:
        return None if value is None else asyncpg_url(value, "ISP_SERVICE_DATABASE_URL")

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(ip_network(part.strip()) for part in value.split(",") if part.strip())
        return value

    @model_validator(mode="after")
    def _refuse_what_cannot_work(self) -> Self:
        if not self.jwks_url and not self.jwt_secrets:
            raise ConfigurationError("ISP_JWT_SECRET is empty: no token could be verified")
        if self.holds_secret_key:
            try:
                if not self.secret_keys:
                    raise ValueError("no key")
                for key in self.secret_keys:
                    Fernet(key)
            except ValueError:
                raise ConfigurationError(
                    "ISP_SECRET_KEY must be one or more Fernet keys separated by commas "
                    "(32 url-safe base64-encoded bytes each)"
                ) from None
        if self.environment == "production":
            problems = production_problems(self)
            if problems:
                raise ConfigurationError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def jwt_secrets(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.jwt_secret.split(",") if part.strip())

    @property
    def secret_keys(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.secret_key.split(",") if part.strip())

    @property
    def holds_secret_key(self) -> bool:
        return self.service_name in SECRET_KEY_HOLDERS

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


def production_problems(settings: Settings) -> list[str]:
    """What production refuses: a development value that is public, or an unchecked token."""
    problems = []
    # Beside ISP_JWKS_URL the HS256 secrets count only when set explicitly (token_keys), and
    # then the same rules hold for them.
    if not settings.jwks_url or "jwt_secret" in settings.model_fields_set:
        if DEV_JWT_SECRET in settings.jwt_secrets:
            problems.append("ISP_JWT_SECRET is the public development secret")
        elif any(len(secret) < MIN_JWT_SECRET_LENGTH for secret in settings.jwt_secrets):
            problems.append(f"ISP_JWT_SECRET must be at least {MIN_JWT_SECRET_LENGTH} characters")
    missing = [
        name
        for name, value in (
            ("ISP_JWT_ISSUER", settings.jwt_issuer),
            ("ISP_JWT_AUDIENCE", settings.jwt_audience),
        )
        if not value
    ]
    if missing:
        given = "ISP_JWKS_URL is set but " if settings.jwks_url else ""
        problems.append(f"{given}{' and '.join(missing)} must be set (every token is checked)")
    if settings.holds_secret_key and DEV_SECRET_KEY in settings.secret_keys:
        problems.append(
            f"ISP_SECRET_KEY is the public development key ({settings.service_name} decrypts "
            "stored secrets and needs a key of its own)"
        )
    if settings.service_database_url:
        if make_url(settings.service_database_url).password == DEV_SERVICE_DB_PASSWORD:
            problems.append("ISP_SERVICE_DATABASE_URL carries the development password")
    elif settings.service_db_password == DEV_SERVICE_DB_PASSWORD:
        problems.append("ISP_SERVICE_DB_PASSWORD is the development password")
    return problems


# The forms providers hand out (postgres://, postgresql://) and other drivers' spellings of the
# same server: the platform always talks to it through asyncpg.
POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})


def asyncpg_url(value: str, variable: str) -> str:
    """`value` as a SQLAlchemy asyncpg URL, or a ConfigurationError naming `variable`. The
    message never repeats the URL: it may carry a password."""
    expected = "expected postgresql://user:password@host:port/database"
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ConfigurationError(f"{variable} is not a URL; {expected}") from None
    backend = url.drivername.partition("+")[0]
    if backend not in POSTGRES_SCHEMES:
        raise ConfigurationError(
            f"{variable} must be a PostgreSQL URL, not {backend}://…; {expected}"
        )
    url = url.set(drivername="postgresql+asyncpg")
    if "sslmode" in url.query:
        # libpq's name for it; asyncpg's connect() takes the same values as `ssl`.
        url = url.difference_update_query(["sslmode"]).update_query_dict(
            {"ssl": url.query["sslmode"]}
        )
    return url.render_as_string(hide_password=False)


def describe(error: ConfigurationError | ValidationError | SettingsError) -> str:
    """One line naming the setting(s) at fault, and never their values (they may be secrets)."""
    if isinstance(error, ValidationError):
        return "; ".join(
            f"ISP_{'_'.join(str(part) for part in e['loc'][:1]).upper()}: {e['msg']}"
            for e in error.errors()
        )
    return " ".join(str(error).split())
