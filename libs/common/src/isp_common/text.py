"""Plain-text field types: what Postgres can store and a JSON Schema can describe.

Control characters and lone surrogates are refused (Postgres stores neither NUL nor lone
surrogates, and no name, code or note needs the others); multi-line texts may hold line breaks
and tabs. The JSON Schema carries a `pattern` saying so (unless the type has a pattern of its
own), so that generated clients and fuzzers know what is accepted. No JSON Schema pattern can
name lone surrogates; JSON generators do not produce them anyway.

Only pydantic is imported here, so a service's domain may use these types too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = ["MULTI_LINE", "SINGLE_LINE", "TEXT_LINE", "TEXT_LINES", "PlainText"]


@dataclass(frozen=True)
class PlainText:
    """Refuses what `forbidden` matches; the OpenAPI document says so with the pattern
    `allowed`."""

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
# One line of text, possibly empty (an optional value, a query filter).
SINGLE_LINE = PlainText(re.compile(f"[{_LINE}\ud800-\udfff]"), rf"^[^{_LINE}]*$")
# Lines of text, possibly empty.
MULTI_LINE = PlainText(re.compile(f"[{_LINES}\ud800-\udfff]"), rf"^[^{_LINES}]*$")
# A required text in a body, where RequestModel strips whitespace first: not only blanks.
TEXT_LINE = PlainText(SINGLE_LINE.forbidden, rf"^[^{_LINE}]*[^\s{_LINE}][^{_LINE}]*$")
TEXT_LINES = PlainText(MULTI_LINE.forbidden, rf"^[^{_LINES}]*[^\s{_LINES}][^{_LINES}]*$")
