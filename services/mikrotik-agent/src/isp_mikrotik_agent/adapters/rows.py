"""A stored record read from its row: each field from the column of the same name."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def record_from_row(
    record_type: type[R], row: Any, *, columns: Mapping[str, str] | None = None, **given: Any
) -> R:
    """`columns` names the column of a field stored under another name; `given` holds the
    fields the caller works out itself."""
    renamed = columns or {}
    values = {
        field.name: given[field.name]
        if field.name in given
        else getattr(row, renamed.get(field.name, field.name))
        for field in dataclasses.fields(record_type)
    }
    return record_type(**values)
