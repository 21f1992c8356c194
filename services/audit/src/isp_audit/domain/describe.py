"""From an event's facts to the audit row's words: description, customer, old and new values."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from isp_audit.domain.masking import mask_secrets

# Fields of a snapshot that name the aggregate for a human, in order of preference.
_LABEL_FIELDS = ("customer_code", "ticket_number", "name", "code", "serial_number")
# The contracts name an old value `previous_<field>` or `old_<field>`; one names it otherwise.
_OLD_PREFIXES = ("previous_", "old_")
_RENAMED_OLD = {"previous_plan_id": "service_plan_id"}
NUL_REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """Postgres stores neither NUL nor lone surrogates: each becomes U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", NUL_REPLACEMENT)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join(NUL_REPLACEMENT if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


def canonical_json(value: Any) -> str:
    """The JSON text old and new values are stored as (sorted keys, ASCII, so no NUL byte)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def describe(
    contract_description: str | None, event_type: str, aggregate_id: UUID, data: Any
) -> str:
    """`The customer became active; …  [customers.customer 5f0c… CUST-000042]`."""
    aggregate = event_type.rsplit(".", 1)[0]
    label = ""
    if isinstance(data, dict):
        for field in _LABEL_FIELDS:
            value = data.get(field)
            if isinstance(value, str) and value:
                label = f" {value}"
                break
    text = contract_description or f"Event {event_type} (not in the contract registry)."
    return clean_text(f"{text} [{aggregate} {aggregate_id}{label}]")


def customer_of(event_type: str, aggregate_id: UUID, data: Any) -> UUID | None:
    """The customer an event concerns: the aggregate itself, or the data's `customer_id`."""
    if event_type.startswith("customers.customer."):
        return aggregate_id
    if isinstance(data, dict):
        value = data.get("customer_id")
        if value is not None:
            try:
                return UUID(str(value))
            except ValueError:
                return None
    return None


def old_and_new(data: Any) -> tuple[str | None, str | None]:
    """Events carry the new snapshot; where they also carry old values (`previous_plan_id`),
    those make the old value. Both masked, as canonical JSON text."""
    masked = mask_secrets(data)
    old: dict[str, Any] = {}
    if isinstance(masked, dict):
        for key, value in masked.items():
            for prefix in _OLD_PREFIXES:
                if key.startswith(prefix) and len(key) > len(prefix):
                    old[_RENAMED_OLD.get(key, key[len(prefix) :])] = value
    return (canonical_json(old) if old else None), canonical_json(masked)
