"""The identity service: tenants, staff users and roles, subscriber logins, the OAuth 2.0 token
endpoint, refresh tokens and the signing keys every service verifies through (docs/identity.md)."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
