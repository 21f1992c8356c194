"""`{"success": true, "data": …, "meta": …}` and the base of every request body."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, model_validator
from pydantic_core import PydanticCustomError
from starlette.responses import Response

from isp_common.pagination import Page

T = TypeVar("T")


class RequestModel(BaseModel):
    """Every request body: unknown fields are a VALIDATION_ERROR, strings are trimmed, and no
    text (a value or a key, at any depth) holds a NUL character, which Postgres cannot store
    in text or jsonb: refused here, it is a 422 and not a failed write."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        where = _nul_at(data, ())
        if where is not None:
            raise PydanticCustomError(
                "nul_character",
                "text must not contain the NUL character (at {where})",
                {"where": ".".join(where) or "body"},
            )
        return data


def _nul_at(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                return (*path, repr(key))
            found = _nul_at(item, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _nul_at(item, (*path, str(index)))
            if found is not None:
                return found
    return None


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


_JSON = TypeAdapter(Any)


def _respond(body: dict[str, Any], status_code: int) -> Response:
    # Serialised by pydantic straight from the models: FastAPI's response_model would validate
    # the data all over again, which costs more than the rest of a simple request. The route's
    # response_model still documents the shape in the OpenAPI spec.
    return Response(_JSON.dump_json(body), status_code, media_type="application/json")


# RFC 9111 §5.2.2.5 / RFC 6749 §5.1: an answer holding a secret (a token, a one-time code) is
# never cached, and the idempotency layer keeps no copy of it either (isp_common.web.idempotency).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def shown_once(response: Response) -> Response:
    """Marks an answer that reveals a secret once: no cache, no replayable copy."""
    response.headers.update(NO_STORE)
    return response


def ok(data: Any, status_code: int = 200) -> Response:
    return _respond({"success": True, "data": data}, status_code)


def created(data: Any) -> Response:
    return ok(data, 201)


def accepted(data: Any) -> Response:
    return ok(data, 202)


def ok_page(items: list[Any], page: Page[Any]) -> Response:
    return _respond({"success": True, "data": items, "meta": page.meta()}, 200)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message, "details": details or {}}}
