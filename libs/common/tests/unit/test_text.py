"""The plain-text field types every service's bodies and queries use."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from isp_common.text import MULTI_LINE, SINGLE_LINE, TEXT_LINE, TEXT_LINES

_LINE = TypeAdapter(Annotated[str, SINGLE_LINE])
_LINES = TypeAdapter(Annotated[str, MULTI_LINE])
_REQUIRED_LINE = TypeAdapter(Annotated[str, Field(min_length=1), TEXT_LINE])
_REQUIRED_LINES = TypeAdapter(Annotated[str, TEXT_LINES])


@pytest.mark.parametrize("text", ["a\x00b", "tab\there", "a\nb", "\x7f", "\x9f", "\ud800"])
def test_a_single_line_refuses_control_characters_and_lone_surrogates(text: str) -> None:
    with pytest.raises(ValidationError, match="must not contain control characters"):
        _LINE.validate_python(text)
    with pytest.raises(ValidationError):
        _REQUIRED_LINE.validate_python(text)


def test_lines_may_hold_line_breaks_and_tabs_but_no_other_control_character() -> None:
    assert _LINES.validate_python("one\r\ntwo\tthree") == "one\r\ntwo\tthree"
    assert _REQUIRED_LINES.validate_python("a\nb") == "a\nb"
    for text in ("a\x00b", "a\x0bb", "\x1b[0m", "\udfff"):
        with pytest.raises(ValidationError):
            _LINES.validate_python(text)


def test_the_document_says_what_is_accepted() -> None:
    assert _LINE.json_schema()["pattern"] == r"^[^\x00-\x1f\x7f-\x9f]*$"
    # A required text is not only blanks.
    assert r"[^\s" in _REQUIRED_LINE.json_schema()["pattern"]
    assert _LINES.json_schema()["pattern"] == r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
    # A type's own pattern wins.
    own = TypeAdapter(Annotated[str, Field(pattern=r"^x$"), SINGLE_LINE])
    assert own.json_schema()["pattern"] == "^x$"
