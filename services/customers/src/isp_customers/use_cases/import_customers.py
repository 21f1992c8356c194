from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from isp_common.errors import AppError, Conflict, ValidationFailed
from isp_common.secrets import SecretBox

from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.create_customer import NewCustomer, create_customer
from isp_customers.use_cases.ports import ReferenceLookup, UnitOfWork

MAX_ROWS = 5000


@dataclass(frozen=True)
class ImportRow:
    line: int  # the row's line in the file (the header is line 1)
    customer: NewCustomer


def row_error(line: int, errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"row": line, "errors": errors}


def rejected(row_errors: list[dict[str, Any]]) -> ValidationFailed:
    return ValidationFailed(
        f"{len(row_errors)} row(s) are not valid; nothing was imported",
        {"rows": row_errors},
    )


async def import_customers(
    uow: UnitOfWork,
    rows: Sequence[ImportRow],
    *,
    secrets: SecretBox,
    references: ReferenceLookup,
) -> list[CustomerDetails]:
    """All or nothing: every row is checked as a create would check it (codes, PPPoE names,
    plans, ODP ports, also against the rows above it); one bad row and nothing is created."""
    if not rows:
        raise ValidationFailed("the file holds no customer rows", {"rows": []})
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(f"at most {MAX_ROWS} rows per import", {"rows": []})
    created: list[CustomerDetails] = []
    errors: list[dict[str, Any]] = []
    for row in rows:
        try:
            created.append(
                await create_customer(uow, row.customer, secrets=secrets, references=references)
            )
        except (ValidationFailed, Conflict) as exc:
            # Each check runs before the row's INSERT, so the transaction is still usable.
            # Anything else (billing unreachable, say) fails the whole import as it is.
            errors.append(row_error(row.line, _field_errors(exc)))
    if errors:
        raise rejected(errors)
    return created


def _field_errors(exc: AppError) -> list[dict[str, Any]]:
    fields = exc.details.get("fields")
    if isinstance(fields, list) and fields:
        return fields
    return [{"field": None, "message": exc.message}]
