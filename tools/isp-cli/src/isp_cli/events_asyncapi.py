"""`docs/asyncapi.json`: the event catalogue as an AsyncAPI 3.0 document, from the contracts
registry."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from isp_common.contracts import EventContract, all_contracts
from isp_common.messaging.envelope import Event
from isp_common.messaging.topology import PLATFORM_QUEUES, QueueSpec

from isp_cli.events_catalogue import data_models, default_exchange, model_name, topic_matches

ASYNCAPI_VERSION = "3.0.0"
AMQP_BINDING_VERSION = "0.3.0"


def render_asyncapi(
    contracts: list[EventContract] | None = None,
    queues: tuple[QueueSpec, ...] = PLATFORM_QUEUES,
    exchange: str | None = None,
) -> dict[str, Any]:
    contracts = all_contracts() if contracts is None else contracts
    exchange = exchange or default_exchange()
    models: list[type[BaseModel]] = [Event, *data_models(contracts)]
    _, top = models_json_schema(
        [(m, "validation") for m in models], ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = dict(sorted(top.get("$defs", {}).items()))

    exchange_binding = {
        "amqp": {
            "is": "routingKey",
            "exchange": {
                "name": exchange,
                "type": "topic",
                "durable": True,
                "autoDelete": False,
                "vhost": "/",
            },
            "bindingVersion": AMQP_BINDING_VERSION,
        }
    }
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for c in contracts:
        messages[c.type] = {
            "name": c.type,
            "title": c.type,
            "summary": c.description,
            "contentType": "application/json",
            "correlationId": {"location": "$message.payload#/correlation_id"},
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Event"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": c.type},
                            "version": {"const": c.version},
                            "producer": {"const": c.type.split(".", 1)[0]},
                            "data": {"$ref": f"#/components/schemas/{model_name(c)}"},
                        },
                    },
                ]
            },
            "bindings": {
                "amqp": {
                    "contentEncoding": "utf-8",
                    "messageType": c.type,
                    "bindingVersion": AMQP_BINDING_VERSION,
                }
            },
        }
        channels[c.type] = {
            "address": c.type,
            "title": c.type,
            "description": f"Routing key `{c.type}` on the topic exchange `{exchange}`.",
            "messages": {c.type: {"$ref": f"#/components/messages/{c.type}"}},
            "bindings": exchange_binding,
        }
        operations[f"publish.{c.type}"] = {
            "action": "send",
            "title": f"{c.type.split('.', 1)[0]} publishes {c.type}",
            "summary": "Written to the producer's outbox in the use case's transaction; the relay "
            "publishes it with publisher confirms and mandatory routing.",
            "channel": {"$ref": f"#/channels/{c.type}"},
            "messages": [{"$ref": f"#/channels/{c.type}/messages/{c.type}"}],
        }

    for q in queues:
        matched = [c.type for c in contracts if any(topic_matches(b, c.type) for b in q.bindings)]
        channels[q.base_name] = {
            "address": q.base_name,
            "title": q.base_name,
            "description": (
                f"Durable quorum queue bound to `{exchange}` with "
                + ", ".join(f"`{b}`" for b in q.bindings)
                + f"; dead-letter queue `{q.base_name}.dead`. The name takes ISP_QUEUE_PREFIX "
                "in front."
            ),
            "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in matched},
            "bindings": {
                "amqp": {
                    "is": "queue",
                    "queue": {
                        "name": q.base_name,
                        "durable": True,
                        "exclusive": False,
                        "autoDelete": False,
                        "vhost": "/",
                    },
                    "bindingVersion": AMQP_BINDING_VERSION,
                }
            },
        }
        operations[f"consume.{q.base_name}"] = {
            "action": "receive",
            "title": f"{q.service} consumes {q.base_name}",
            "summary": "Each event is handled once (inbox row in the handler's transaction), then "
            "acknowledged; after the bounded attempts it goes to the dead-letter queue.",
            "channel": {"$ref": f"#/channels/{q.base_name}"},
            "messages": [{"$ref": f"#/channels/{q.base_name}/messages/{t}"} for t in matched],
        }

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "ISP platform events",
            "version": "1.0.0",
            "description": (
                "Every event of the ISP platform: generated by `isp events-doc` from "
                "isp_common.contracts. Human-readable: docs/events.md."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "RabbitMQ of a local run (ISP_AMQP_URL).",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }
