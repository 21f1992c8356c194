"""The customers service: subscribers, their lifecycle, PPPoE credentials and placement."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
