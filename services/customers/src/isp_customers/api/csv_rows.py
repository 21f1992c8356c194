"""A CSV file of customers → create commands, or the list of every bad row (never their values)."""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from isp_common.errors import ValidationFailed

from isp_customers.api.schemas import CustomerCreate
from isp_customers.use_cases.import_customers import MAX_ROWS, ImportRow, rejected, row_error

COLUMNS = frozenset(CustomerCreate.model_fields)
# A secret is stored exactly as given (docs/security.md): its cell is not trimmed.
SECRET_COLUMNS = frozenset({"pppoe_password"})


def parse_customer_csv(content: bytes) -> list[ImportRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    _check_header(header)
    reader.fieldnames = header
    rows: list[ImportRow] = []
    errors: list[dict[str, Any]] = []
    for record in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ValidationFailed(f"at most {MAX_ROWS} rows per import", {"rows": []})
        if None in record:
            errors.append(row_error(line, [{"field": None, "message": "more values than columns"}]))
            continue
        values = {
            name: value if name in SECRET_COLUMNS else value.strip()
            for name, value in record.items()
            if value and value.strip()
        }
        try:
            rows.append(ImportRow(line, CustomerCreate.model_validate(values).to_command()))
        except ValidationError as exc:
            errors.append(row_error(line, _field_errors(exc)))
    if errors:
        raise rejected(errors)
    return rows


def _check_header(header: list[str]) -> None:
    if not header:
        raise ValidationFailed("the file has no header row", {"rows": []})
    unknown = [name for name in header if name not in COLUMNS]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    missing = sorted(f for f, info in CustomerCreate.model_fields.items() if info.is_required())
    missing = [name for name in missing if name not in header]
    problems = [
        *({"field": name, "message": "unknown column"} for name in unknown),
        *({"field": name, "message": "column given twice"} for name in duplicated),
        *({"field": name, "message": "required column missing"} for name in missing),
    ]
    if problems:
        raise ValidationFailed("the header row is not valid", {"rows": [row_error(1, problems)]})


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    # The message only: a rejected value may be a password.
    return [
        {"field": ".".join(str(part) for part in error["loc"]) or None, "message": error["msg"]}
        for error in exc.errors()
    ]
