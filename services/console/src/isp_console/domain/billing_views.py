"""What the billing screens compute from billing's answers: the revenue report as a chart and a
table, the payments that went to one invoice, and the filters of the invoice list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

GROUPINGS = ("month", "payment_method", "payment_for")
INVOICE_STATUSES = ("open", "paid", "void")
SETTINGS_TEXTS = ("isp_name", "address", "tax_number", "currency", "timezone")
SETTINGS_INTEGERS = ("invoice_due_days", "daily_run_hour")
WHOLE_NUMBER = "Enter a whole number."
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ZERO = Decimal("0")


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ZERO


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def months_between(start: date, end: date) -> list[str]:
    """Every month from start's to end's as YYYY-MM (none for an inverted range)."""
    months: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_revenue_range(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


@dataclass(frozen=True)
class RevenueRow:
    key: str
    amount: Decimal
    count: int
    percent: Decimal  # of the report's total, for a <meter>


def revenue_rows(report: Mapping[str, Any]) -> list[RevenueRow]:
    """The report's groups as table rows; months with no payment are shown as zero so that the
    chart's axis is the calendar."""
    groups = {str(g["key"]): g for g in report.get("groups") or []}
    keys: Iterable[str] = groups
    if report.get("group_by") == "month":
        start, end = parse_date(report.get("date_from")), parse_date(report.get("date_to"))
        if start and end:
            keys = sorted({*months_between(start, end), *groups})
    total = _decimal(report.get("total"))
    rows = []
    for key in keys:
        group = groups.get(key, {})
        amount = _decimal(group.get("amount", "0"))
        percent = (amount * 100 / total).quantize(Decimal("0.1")) if total > 0 else ZERO
        rows.append(RevenueRow(key, amount, int(group.get("count", 0)), percent))
    return rows


def revenue_chart(rows: list[RevenueRow], labels: list[str], series_label: str) -> dict[str, Any]:
    """The data-chart spec: bars of the amounts (as decimal strings; the chart reads numbers)."""
    return {
        "kind": "bars",
        "labels": labels,
        "series": [{"label": series_label, "values": [format(r.amount, "f") for r in rows]}],
    }


@dataclass(frozen=True)
class InvoicePayment:
    payment: Mapping[str, Any]
    allocated: Decimal


def payments_of_invoice(
    payments: Iterable[Mapping[str, Any]], invoice_id: str
) -> list[InvoicePayment]:
    """The customer's payments that paid part of this invoice, with the part each paid."""
    found = []
    for payment in payments:
        parts = [a for a in payment.get("allocations") or [] if a.get("invoice_id") == invoice_id]
        if parts:
            found.append(InvoicePayment(payment, sum((_decimal(a["amount"]) for a in parts), ZERO)))
    return found


@dataclass(frozen=True)
class InvoiceFilters:
    status: str = ""
    period: str = ""
    customer: str = ""

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> InvoiceFilters:
        """The list's filters as the query gives them; a value billing would refuse is dropped."""
        status = query.get("status", "").strip()
        period = query.get("period", "").strip()
        return cls(
            status if status in INVOICE_STATUSES else "",
            period if PERIOD.match(period) else "",
            query.get("customer", "").strip()[:100],
        )

    def query(self, **extra: Any) -> str:
        """The filters as a query string ending with & (for the pager's links)."""
        pairs = {"status": self.status, "period": self.period, "customer": self.customer, **extra}
        text = urlencode({k: v for k, v in pairs.items() if v})
        return f"?{text}&" if text else "?"


UUID_TEXT = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def is_uuid(text: str) -> bool:
    return bool(UUID_TEXT.match(text))


def settings_body(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The settings form → the whole settings (PUT replaces them), its values, its errors."""
    values = {
        name: str(form.get(name) or "").strip() for name in (*SETTINGS_TEXTS, *SETTINGS_INTEGERS)
    }
    body: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in SETTINGS_TEXTS:
        if values[name]:
            body[name] = values[name].upper() if name == "currency" else values[name]
    for name in SETTINGS_INTEGERS:
        if values[name].isdigit():
            body[name] = int(values[name])
        elif values[name]:
            errors[name] = WHOLE_NUMBER
    return body, values, errors
