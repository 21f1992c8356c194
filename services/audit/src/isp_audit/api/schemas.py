"""Request bodies and query values. Unknown fields are refused; text holds no control character
(Postgres stores neither NUL nor lone surrogates, and an audit line has no use for the rest)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, TypeAdapter

from isp_common.errors import ValidationFailed
from isp_common.text import MULTI_LINE, TEXT_LINE, TEXT_LINES
from isp_common.web import RequestModel

from isp_audit.domain.categories import Category
from isp_audit.use_cases.log_action import LogAction

Action = Annotated[str, Field(min_length=1, max_length=100), TEXT_LINE]
Description = Annotated[str, Field(min_length=1, max_length=2000), TEXT_LINES]
ValueText = Annotated[str, Field(max_length=10_000), MULTI_LINE]


class AuditLogCreate(RequestModel):
    """A direct entry. Who logs it and from where come from the token and the request, never
    from the body; secrets in the values or the description are masked before storing."""

    category: Category
    action: Action
    description: Description
    customer_id: UUID | None = None
    old_value: ValueText | dict[str, Any] | None = Field(
        default=None, description="text, or a JSON object (stored as canonical JSON text)"
    )
    new_value: ValueText | dict[str, Any] | None = Field(
        default=None, description="text, or a JSON object (stored as canonical JSON text)"
    )

    def to_command(self) -> LogAction:
        return LogAction(
            category=self.category,
            action=self.action,
            description=self.description,
            customer_id=self.customer_id,
            old_value=self.old_value,
            new_value=self.new_value,
        )


# -- date bounds of a list -----------------------------------------------------------------------

DATE_BOUND_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
}
DATE_BOUND_HELP = (
    "a date (the whole day, UTC) or an RFC 3339 date-time with its offset; date_from is "
    "inclusive, date_to includes the instant or, for a date, the whole day"
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DATE = TypeAdapter(date)
_DATETIME = TypeAdapter(datetime)
_MICROSECOND = timedelta(microseconds=1)
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _moment(raw: str, field: str, *, end_of: bool) -> datetime:
    try:
        if _DATE_ONLY.match(raw):
            start = datetime.combine(_DATE.validate_python(raw), time(), tzinfo=UTC)
            step = timedelta(days=1)
        elif _RFC3339.match(raw):
            start, step = _DATETIME.validate_python(raw), _MICROSECOND
        else:
            raise ValueError(raw)
    except ValueError:
        raise ValidationFailed(
            "The request is not valid",
            {"fields": [{"field": field, "message": "must be a date or an RFC 3339 date-time"}]},
        ) from None
    try:
        return (start + step if end_of else start).astimezone(UTC)
    except OverflowError:  # beyond year 1 or 9999 in UTC: before or after every row
        return _LATEST if start.year > 1 else _EARLIEST


def created_range(
    date_from: str | None, date_to: str | None
) -> tuple[datetime | None, datetime | None]:
    """`[from, before)` in UTC from the query's bounds."""
    start = _moment(date_from, "date_from", end_of=False) if date_from is not None else None
    before = _moment(date_to, "date_to", end_of=True) if date_to is not None else None
    return start, before
