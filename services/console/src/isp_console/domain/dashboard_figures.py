"""What the dashboard computes from the API's answers: periods, router counts, the chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

ONLINE = "online"


@dataclass(frozen=True)
class Periods:
    today: date
    month_start: date
    chart_start: date  # the first day of the month eleven months before this one
    months: tuple[str, ...]  # "YYYY-MM", oldest first, twelve of them


def periods(today: date) -> Periods:
    months: list[str] = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    months.reverse()
    first_year, first_month = (int(part) for part in months[0].split("-"))
    return Periods(today, today.replace(day=1), date(first_year, first_month, 1), tuple(months))


@dataclass(frozen=True)
class RouterCounts:
    up: int
    down: int


def router_counts(routers: Iterable[Mapping[str, Any]]) -> RouterCounts:
    """Up: connected now; down: everything else (offline, error, never connected)."""
    up = down = 0
    for item in routers:
        if item.get("connection_status") == ONLINE:
            up += 1
        else:
            down += 1
    return RouterCounts(up, down)


def money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


@dataclass(frozen=True)
class MonthRevenue:
    month: str
    amount: Decimal
    count: int


def monthly_revenue(months: Iterable[str], report: Mapping[str, Any]) -> list[MonthRevenue]:
    """Every month of the window, a month without payments at zero."""
    groups = report.get("groups")
    by_month: dict[str, tuple[Decimal, int]] = {}
    for group in groups if isinstance(groups, list) else []:
        if isinstance(group, dict) and isinstance(group.get("key"), str):
            by_month[group["key"]] = (money(group.get("amount")), int(group.get("count") or 0))
    return [MonthRevenue(m, *by_month.get(m, (Decimal(0), 0))) for m in months]


def revenue_chart(rows: Iterable[MonthRevenue], label: str) -> dict[str, Any]:
    """console.js's chart spec; amounts as numbers for drawing only (the table shows money)."""
    listed = list(rows)
    return {
        "kind": "bars",
        "labels": [row.month for row in listed],
        "series": [{"label": label, "values": [float(row.amount) for row in listed]}],
    }
