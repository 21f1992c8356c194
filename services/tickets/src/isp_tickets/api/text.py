"""Text fields: no control characters (Postgres stores no NUL), and a required text is not blank.
The JSON Schema `pattern` says the same, so that fuzzers generate what is accepted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
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
# Lone surrogates cannot be stored either; no JSON Schema pattern can name them.
SINGLE_LINE = _PlainText(re.compile(f"[{_LINE}\ud800-\udfff]"), rf"^[^{_LINE}]*$")
# In a body, where RequestModel strips whitespace first: at least one character that is not blank.
TEXT_LINE = _PlainText(SINGLE_LINE.forbidden, rf"^[^{_LINE}]*[^\s{_LINE}][^{_LINE}]*$")
TEXT_LINES = _PlainText(
    re.compile(f"[{_LINES}\ud800-\udfff]"), rf"^[^{_LINES}]*[^\s{_LINES}][^{_LINES}]*$"
)

Title = Annotated[str, Field(min_length=1, max_length=200), TEXT_LINE]
Person = Annotated[
    str, Field(min_length=1, max_length=200, description="A user's `sub`"), TEXT_LINE
]
LongText = Annotated[str, Field(min_length=1, max_length=5000), TEXT_LINES]
Reason = Annotated[str, Field(min_length=1, max_length=1000), TEXT_LINES]
