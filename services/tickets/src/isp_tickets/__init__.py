"""The tickets service: support tickets with SLAs, workflow and activity."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
