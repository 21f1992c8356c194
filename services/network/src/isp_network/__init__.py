"""The network service: the fiber tree (OLT, ODC, ODP), devices with router credentials, and
traffic monitoring."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
