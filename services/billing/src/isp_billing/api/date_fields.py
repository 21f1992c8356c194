"""Maps a date the domain refuses to the request field that carried it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from isp_common.errors import ValidationFailed

from isp_billing.domain.dates import DateOutOfRange


@contextmanager
def date_field(field: str) -> Iterator[None]:
    """A DateOutOfRange raised inside becomes a 422 naming `field` (as the edge's own
    validation errors do, in `details.fields`)."""
    try:
        yield
    except DateOutOfRange as refused:
        message = str(refused)
        raise ValidationFailed(
            f"{field} {message}", {"fields": [{"field": field, "message": message}]}
        ) from None
