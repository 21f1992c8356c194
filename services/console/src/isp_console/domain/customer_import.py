"""The customers API's answer to a CSV import, as rows a person can fix."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from isp_console.domain.customer_form import BY_TYPE, FRIENDLY_ERRORS, PATTERN

# The columns POST /customers/import takes (the create body's fields), required ones first.
TEMPLATE_COLUMNS: tuple[str, ...] = (
    "full_name",
    "phone",
    "address",
    "service_plan_id",
    "customer_code",
    "nik",
    "email",
    "photo_url",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "house_photo_url",
    "odp_id",
    "odc_id",
    "olt_id",
    "olt_port",
    "onu_serial",
    "router_id",
    "remote_address",
    "pppoe_username",
    "pppoe_password",
)
REQUIRED_COLUMNS = frozenset({"full_name", "phone", "address", "service_plan_id"})


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file; the header is line 1
    column: str | None
    message: str


PATTERN_MISMATCH = "String should match pattern"


def readable(column: str | None, message: str) -> str:
    """A column's own words for a value of the wrong shape; else the service's message."""
    if column and message.startswith(PATTERN_MISMATCH):
        return FRIENDLY_ERRORS.get((column, PATTERN), message)
    if message == "Field required":
        return BY_TYPE["missing"]
    return message


def template_csv() -> str:
    return ",".join(TEMPLATE_COLUMNS) + "\r\n"


def row_errors(details: Mapping[str, Any]) -> list[RowError]:
    """`details.rows` (`[{row, errors: [{field, message}]}]`) flattened, in file order."""
    found: list[RowError] = []
    rows = details.get("rows")
    for item in rows if isinstance(rows, list) else []:
        if not isinstance(item, dict):
            continue
        line = item.get("row")
        errors = item.get("errors")
        for error in errors if isinstance(errors, list) else []:
            if isinstance(error, dict):
                column = str(error["field"]) if error.get("field") else None
                found.append(
                    RowError(
                        int(line) if isinstance(line, int) else 0,
                        column,
                        readable(column, str(error.get("message") or "")),
                    )
                )
    return sorted(found, key=lambda e: e.row)
