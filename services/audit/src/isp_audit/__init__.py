"""The audit service: a tamper-evident audit trail of every event."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
