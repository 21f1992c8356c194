"""Field types of what a client writes that are not plain text (that is isp_common.text):
integers as JSON Schema counts them, calendar dates as YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator


def _json_integer(value: Any) -> Any:
    """What JSON Schema calls an integer: 5 and 5.0, never "5" or true."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be an integer")
        return int(value)
    return value


JSON_INTEGER = BeforeValidator(_json_integer)


def _iso_date_text(value: Any) -> Any:
    """A calendar date as JSON and query strings carry it: YYYY-MM-DD, never a number."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
