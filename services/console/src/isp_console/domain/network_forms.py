"""What the network forms send: typed values from the browser's strings.

A number that does not parse is sent as it was typed, so the API names the field in its answer
(and the form shows the error there); an empty optional field is left out on create and
cleared (null) on edit; a secret left empty is never sent (it stays as it is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str = "text"  # text, int, number, flag, secret, choice
    required: bool = False


OLT_FIELDS = (
    FieldSpec("name", required=True),
    FieldSpec("vendor"),
    FieldSpec("ip_address"),
    FieldSpec("location"),
    FieldSpec("telnet_username"),
    FieldSpec("telnet_password", "secret"),
    FieldSpec("snmp_community", "secret"),
    FieldSpec("is_active", "flag"),
)
ODC_FIELDS = (
    FieldSpec("name", required=True),
    FieldSpec("olt_id", "choice", required=True),
    FieldSpec("capacity", "int", required=True),
    FieldSpec("location"),
    FieldSpec("latitude", "number"),
    FieldSpec("longitude", "number"),
    FieldSpec("is_active", "flag"),
)
ODP_FIELDS = (
    FieldSpec("name", required=True),
    FieldSpec("odc_id", "choice", required=True),
    FieldSpec("capacity", "int", required=True),
    FieldSpec("location"),
    FieldSpec("latitude", "number"),
    FieldSpec("longitude", "number"),
    FieldSpec("is_active", "flag"),
)
DEVICE_FIELDS = (
    FieldSpec("device_name", required=True),
    FieldSpec("device_type", "choice", required=True),
    FieldSpec("status", "choice", required=True),
    FieldSpec("serial_number"),
    FieldSpec("mac_address"),
    FieldSpec("brand"),
    FieldSpec("model"),
    FieldSpec("firmware_version"),
    FieldSpec("ip_address"),
    FieldSpec("location"),
    FieldSpec("latitude", "number"),
    FieldSpec("longitude", "number"),
    FieldSpec("mikrotik_username"),
    FieldSpec("mikrotik_password", "secret"),
    FieldSpec("mikrotik_port", "int"),
    FieldSpec("mikrotik_api_enabled", "flag"),
    FieldSpec("is_default_mikrotik", "flag"),
    FieldSpec("notes"),
)
FIBER_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "olt": OLT_FIELDS,
    "odc": ODC_FIELDS,
    "odp": ODP_FIELDS,
}


def _number(text: str, kind: str) -> Any:
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        if kind == "int":
            try:
                whole = float(text)
            except ValueError:
                return text
            return int(whole) if whole.is_integer() else text
        return text


def body_of(
    specs: tuple[FieldSpec, ...], form: Mapping[str, str], *, creating: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for spec in specs:
        if spec.kind == "flag":
            body[spec.name] = form.get(spec.name) in ("on", "true", "1")
            continue
        text = (form.get(spec.name) or "").strip()
        if spec.kind == "secret":
            if text:
                body[spec.name] = text
        elif not text:
            if spec.required:
                body[spec.name] = "" if spec.kind in ("text", "choice") else None
            elif not creating:
                body[spec.name] = None
        elif spec.kind in ("int", "number"):
            body[spec.name] = _number(text, spec.kind)
        else:
            body[spec.name] = text
    if creating:
        # On create a required field left empty is the API's to name (kept as "" above);
        # a null of a required one would read as "not nullable" instead of "required".
        body = {k: v for k, v in body.items() if v is not None}
    return body


def form_values(item: Mapping[str, Any], specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """A resource's current values as a form shows them (never a secret)."""
    return {spec.name: item.get(spec.name) for spec in specs if spec.kind != "secret"}
