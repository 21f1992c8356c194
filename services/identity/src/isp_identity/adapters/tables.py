"""The identity schema as SQLAlchemy Core tables (the migrations create them).

Platform-wide rows (the signing keys, throttling of logins to an unknown tenant) belong to the
platform tenant (`domain.tenant.PLATFORM_TENANT_ID`), so that every table is tenant-scoped and
row-level security covers them too.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

SCHEMA = "identity"
metadata = MetaData(schema=SCHEMA)
_UUID = UUID(as_uuid=True)
_TIMESTAMP = DateTime(timezone=True)

tenants = Table(
    "tenants",
    metadata,
    Column("id", _UUID, primary_key=True),
    Column("tenant_id", _UUID, nullable=False),  # = id: the row is its own tenant's
    Column("slug", String(63), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("updated_at", _TIMESTAMP, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", _UUID, primary_key=True),
    Column("tenant_id", _UUID, nullable=False),
    Column("email", String(254), nullable=False),  # lower-cased; unique per tenant
    Column("full_name", String(200), nullable=False),
    Column("roles", ARRAY(String(32)), nullable=False),
    Column("status", String(16), nullable=False),
    Column("password_hash", Text),  # argon2id; None until the user sets one
    Column("password_changed_at", _TIMESTAMP),
    Column("totp_secret_encrypted", Text),  # Fernet token (ISP_SECRET_KEY)
    Column("totp_enabled", Boolean, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("updated_at", _TIMESTAMP, nullable=False),
)

portal_accounts = Table(
    "portal_accounts",
    metadata,
    Column("tenant_id", _UUID, primary_key=True),
    Column("customer_id", _UUID, primary_key=True),
    # What the subscriber may log in with, from customers' events (lower-cased for lookup).
    Column("customer_code", String(64), nullable=False),
    Column("pppoe_username", String(128)),
    Column("phone", String(32)),
    Column("customer_status", String(32), nullable=False),
    Column("customer_deleted", Boolean, nullable=False),
    Column("customer_version", BigInteger, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("password_hash", Text),
    Column("password_changed_at", _TIMESTAMP),
    Column("activation_code_hash", Text),
    Column("activation_expires_at", _TIMESTAMP),
    Column("version", BigInteger, nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("updated_at", _TIMESTAMP, nullable=False),
)

token_families = Table(
    "token_families",
    metadata,
    Column("id", _UUID, primary_key=True),
    Column("tenant_id", _UUID, nullable=False),
    Column("subject_kind", String(16), nullable=False),  # user | customer
    Column("subject_id", _UUID, nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("expires_at", _TIMESTAMP, nullable=False),
    Column("revoked_at", _TIMESTAMP),
    Column("revoked_reason", String(32)),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", _UUID, primary_key=True),
    Column("tenant_id", _UUID, nullable=False),
    Column("family_id", _UUID, nullable=False),
    Column("secret_hash", String(64), nullable=False),  # sha256 hex of the secret half
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("expires_at", _TIMESTAMP, nullable=False),
    Column("used_at", _TIMESTAMP),
)

one_time_tokens = Table(
    "one_time_tokens",
    metadata,
    Column("id", _UUID, primary_key=True),
    Column("tenant_id", _UUID, nullable=False),
    Column("user_id", _UUID, nullable=False),
    Column("purpose", String(32), nullable=False),  # password_reset
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("expires_at", _TIMESTAMP, nullable=False),
    Column("used_at", _TIMESTAMP),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("tenant_id", _UUID, primary_key=True),
    # "name:<sha256 of the login name>" or "source:<address>": keyed by what was typed, not by
    # an account, so an unknown name is slowed and locked exactly like a known one.
    Column("key", String(128), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", _TIMESTAMP, nullable=False),
    Column("locked_until", _TIMESTAMP),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("tenant_id", _UUID, nullable=False),  # the platform tenant
    Column("private_key_encrypted", Text, nullable=False),  # PEM, Fernet (ISP_SECRET_KEY)
    Column("public_jwk", JSONB, nullable=False),
    Column("created_at", _TIMESTAMP, nullable=False),
    Column("signs_until", _TIMESTAMP, nullable=False),
    Column("verifies_until", _TIMESTAMP, nullable=False),
)

# A TOTP code is good for one login: the last time step accepted per user (migration 0003).
totp_steps = Table(
    "totp_steps",
    metadata,
    Column("tenant_id", _UUID, primary_key=True),
    Column("user_id", _UUID, primary_key=True),
    Column("last_step", BigInteger, nullable=False),
    Column("used_at", _TIMESTAMP, nullable=False),
)
