"""`docs/events.md`: the event catalogue for people, from the contracts registry."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from isp_common.contracts import EventContract, all_contracts
from isp_common.messaging.envelope import Event
from isp_common.messaging.topology import PLATFORM_QUEUES, QueueSpec

from isp_cli.events_catalogue import (
    GENERATED_NOTE,
    data_models,
    default_exchange,
    model_name,
    queues_for,
)


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#model-{name.lower()})"
    if "anyOf" in schema:
        return " \\| ".join(_type_of(s) for s in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type_of(schema["allOf"][0])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    if kind == "string":
        fmt = schema.get("format")
        if fmt:
            return f"string ({fmt})"
        if "pattern" in schema:
            return "decimal string" if "\\d" in schema["pattern"] else "string"
        return "string"
    if kind == "null":
        return "null"
    if kind == "object":
        return "object"
    return str(kind) if kind else "any"


def _constraints(schema: dict[str, Any]) -> str:
    notes = []
    for key, label in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
    ):
        if key in schema:
            notes.append(f"{label} {schema[key]}")
    if "default" in schema and schema["default"] is not None:
        notes.append(f"default `{json.dumps(schema['default'])}`")
    if "example" in schema:
        notes.append(f"e.g. `{schema['example']}`")
    return ", ".join(notes)


def _fields_table(schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| field | type | required | notes |", "|---|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        description = prop.get("description", "")
        notes = _cell("; ".join(x for x in (description, _constraints(prop)) if x))
        lines.append(
            f"| `{name}` | {_type_of(prop)} | {'yes' if name in required else 'no'} | {notes} |"
        )
    return lines


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no HTML tags, no column breaks)."""
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def _json_block(value: Any) -> list[str]:
    return ["```json", json.dumps(value, indent=2, ensure_ascii=False), "```"]


def render_markdown(
    contracts: list[EventContract] | None = None,
    queues: tuple[QueueSpec, ...] = PLATFORM_QUEUES,
    exchange: str | None = None,
) -> str:
    contracts = all_contracts() if contracts is None else contracts
    exchange = exchange or default_exchange()
    out: list[str] = [
        GENERATED_NOTE,
        "",
        "# Events",
        "",
        "The catalogue of every event the platform publishes: the published language that",
        "services share (`isp_common.contracts`). Each event travels in the same envelope on",
        f"the topic exchange `{exchange}` (`ISP_EVENTS_EXCHANGE`), with its type as the routing",
        "key. Delivery is at-least-once; consumers make effects exactly-once with their inbox",
        "and ignore an `aggregate_version` older than the one they hold (see",
        "[architecture](architecture.md)). The same catalogue as an AsyncAPI 3.0 document:",
        "[asyncapi.json](asyncapi.json).",
        "",
        "Regenerate with `make events-doc` (`uv run isp events-doc`); a test fails when this",
        "page is out of date.",
        "",
        "## The envelope",
        "",
        "Every message body is a JSON object with these fields; `data` is the event's model below.",
        "",
    ]
    envelope = Event.model_json_schema()
    out += _fields_table(envelope)
    actor = envelope.get("$defs", {}).get("EventActor")
    if actor:
        out += ["", '<a id="model-eventactor"></a>', "", "`actor`:", ""]
        out += _fields_table(actor)
    out += [
        "",
        "AMQP message properties: `message_id` is the event id, `type` the event type,",
        "`content_type` `application/json`, persistent delivery. The relay publishes with",
        "publisher confirms and `mandatory`: an event that no queue takes counts as a failed",
        "publish and stays in the outbox.",
        "",
        "## Queues",
        "",
        "Declared in one place, `isp_common.messaging.topology`. Each is a durable quorum",
        "queue with a dead-letter queue `<queue>.dead` for events that keep failing.",
        "",
        "| queue | bindings | dead-letter queue |",
        "|---|---|---|",
    ]
    for q in queues:
        bindings = ", ".join(f"`{b}`" for b in q.bindings)
        out.append(f"| `{q.base_name}` | {bindings} | `{q.base_name}.dead` |")

    out += [
        "",
        "## Catalogue",
        "",
        "| event type | version | data | delivered to |",
        "|---|---|---|---|",
    ]
    for c in contracts:
        targets = ", ".join(f"`{q}`" for q in queues_for(c.type, queues)) or "**no queue**"
        out.append(
            f"| [`{c.type}`](#{_anchor(c.type)}) | {c.version} | "
            f"[{model_name(c)}](#model-{model_name(c).lower()}) | {targets} |"
        )

    by_producer: dict[str, list[EventContract]] = defaultdict(list)
    for c in contracts:
        by_producer[c.type.split(".", 1)[0]].append(c)
    for producer in sorted(by_producer):
        out += ["", f"## Published by {producer}"]
        for c in by_producer[producer]:
            service, aggregate, _ = c.type.split(".")
            targets = ", ".join(f"`{q}`" for q in queues_for(c.type, queues)) or "no queue yet"
            out += [
                "",
                f'<a id="{_anchor(c.type)}"></a>',
                "",
                f"### `{c.type}`",
                "",
                c.description,
                "",
                f"- version: {c.version}",
                f"- routing key: `{c.type}` on `{exchange}`",
                f"- producer: `{service}`; aggregate: `{service}.{aggregate}`",
                f"- data: [{model_name(c)}](#model-{model_name(c).lower()})",
                f"- delivered to: {targets}",
            ]

    out += ["", "## Data models", ""]
    out += ["The JSON Schema of each event's `data` (pydantic, validation mode).", ""]
    for model in data_models(contracts):
        schema = model.model_json_schema()
        used_by = [c.type for c in contracts if c.model is model]
        out += [
            f'<a id="model-{model.__name__.lower()}"></a>',
            "",
            f"### {model.__name__}",
            "",
        ]
        doc = (model.__doc__ or "").strip()
        if doc and not doc.startswith("Usage docs"):
            out += [doc, ""]
        out += ["Carried by " + ", ".join(f"`{t}`" for t in used_by) + ".", ""]
        out += _fields_table(schema)
        for name, sub in sorted(schema.get("$defs", {}).items()):
            out += ["", f'<a id="model-{name.lower()}"></a>', "", f"`{name}`:", ""]
            out += _fields_table(sub)
        out += ["", "<details><summary>JSON Schema</summary>", ""]
        out += _json_block(schema)
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _anchor(event_type: str) -> str:
    return "event-" + event_type.replace(".", "-").replace("_", "-")
