"""Plain-text field types: what Postgres can store and a JSON Schema can describe.

Control characters and lone surrogates are refused (Postgres stores neither NUL nor surrogates);
multi-line texts may hold line breaks and tabs. The JSON Schema carries a `pattern` saying so, so
that generated clients (and Schemathesis) know what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


@dataclass(frozen=True)
class _PlainText:
    forbidden: re.Pattern[str]
    allowed: str

    def _check(self, value: str) -> str:
        if self.forbidden.search(value):
            raise ValueError("must not contain control characters")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", self.allowed)
        return json_schema


_LINE = r"\x00-\x1f\x7f-\x9f"
_LINES = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
SINGLE_LINE = _PlainText(re.compile(f"[{_LINE}\ud800-\udfff]"), rf"^[^{_LINE}]*$")
# A required text in a body (whitespace is stripped first) is not only blanks.
TEXT_LINE = _PlainText(SINGLE_LINE.forbidden, rf"^[^{_LINE}]*[^\s{_LINE}][^{_LINE}]*$")
TEXT_LINES = _PlainText(
    re.compile(f"[{_LINES}\ud800-\udfff]"), rf"^[^{_LINES}]*[^\s{_LINES}][^{_LINES}]*$"
)


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
