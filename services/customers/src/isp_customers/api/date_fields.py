"""Maps a date the domain refuses to the request field that carried it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from isp_customers.domain.dates import DateOutOfRange
from isp_customers.domain.errors import invalid_field


@contextmanager
def date_field(field: str) -> Iterator[None]:
    """A DateOutOfRange raised inside becomes a 422 naming `field` in `details.fields`."""
    try:
        yield
    except DateOutOfRange as refused:
        raise invalid_field(field, str(refused)) from None
