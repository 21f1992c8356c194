"""The billing service: service plans, billing accounts, invoices, payments and receipts."""

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
