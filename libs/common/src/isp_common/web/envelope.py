"""`{"success": true, "data": …, "meta": …}` and the base of every request body."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from isp_common.pagination import Page

T = TypeVar("T")


class RequestModel(BaseModel):
    """Every request body: unknown fields are a VALIDATION_ERROR, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PageMeta(BaseModel):
    page: int
    per_page: int
    total: int


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T


class ListEnvelope(BaseModel, Generic[T]):
    success: bool = True
    data: list[T]
    meta: PageMeta


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = {}


class ErrorEnvelope(BaseModel):
    success: bool = False
    error: ErrorBody


def ok(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data}


def ok_page(items: list[Any], page: Page[Any]) -> dict[str, Any]:
    return {"success": True, "data": items, "meta": page.meta()}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message, "details": details or {}}}
