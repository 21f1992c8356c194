"""The mikrotik-agent service: keeps every MikroTik router in line with the desired state."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
