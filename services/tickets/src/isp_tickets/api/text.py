"""The ticket's text fields: lengths here, what characters they hold in isp_common.text."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from isp_common.text import TEXT_LINE, TEXT_LINES

Title = Annotated[str, Field(min_length=1, max_length=200), TEXT_LINE]
Person = Annotated[
    str, Field(min_length=1, max_length=200, description="A user's `sub`"), TEXT_LINE
]
LongText = Annotated[str, Field(min_length=1, max_length=5000), TEXT_LINES]
Reason = Annotated[str, Field(min_length=1, max_length=1000), TEXT_LINES]
