"""The boost service: paid temporary speed boosts."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
