"""Each service's own RabbitMQ user, through the messaging-topology-operator: a `User` made
from the Secret isp-<service>-broker, its vhost `Permission` and its `TopicPermission` on the
events exchange, all from isp_cli.broker.grants(), the table compose's definitions file is
written from too.

The base's Secret names the user only: the operator generates a password no one has seen and
writes both into isp-<service>-user-credentials, which the service's pods read. Production
provides isp-<service>-broker itself (with a password, or without to let the operator choose).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from isp_common.settings import Settings

from isp_cli.broker import VHOST, Grant, grant

from .common import RABBITMQ_CLUSTER, broker_import_secret, broker_user, labels

API_VERSION = "rabbitmq.com/v1beta1"
CONFIG_ENV = Path(__file__).resolve().parents[1] / "base" / "config.env"
# The settings a grant depends on: the pods' (base/config.env), never the generating shell's.
NAMING = {"events_exchange": "ISP_EVENTS_EXCHANGE", "queue_prefix": "ISP_QUEUE_PREFIX"}


def deployed_settings(config_env: Path = CONFIG_ENV) -> Settings:
    values = {}
    for line in config_env.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#"):
            values[key] = value
    return Settings(
        **{
            field: values.get(variable, Settings.model_fields[field].default)
            for field, variable in NAMING.items()
        }
    )


def _operator_object(kind: str, service: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": {"name": broker_user(service), "labels": labels(service, "credentials")},
        "spec": {**spec, "rabbitmqClusterReference": {"name": RABBITMQ_CLUSTER}},
    }


def broker_user_objects(service: str, settings: Settings) -> list[dict[str, Any]]:
    g: Grant = grant(service, settings)
    user_ref = {"name": broker_user(service)}
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": broker_import_secret(service),
                "labels": labels(service, "credentials"),
            },
            "type": "Opaque",
            "stringData": {"username": g.user},
        },
        _operator_object(
            "User",
            service,
            {"tags": [], "importCredentialsSecret": {"name": broker_import_secret(service)}},
        ),
        _operator_object(
            "Permission",
            service,
            {
                "vhost": VHOST,
                "userReference": user_ref,
                "permissions": {"configure": g.configure, "write": g.write, "read": g.read},
            },
        ),
        _operator_object(
            "TopicPermission",
            service,
            {
                "vhost": VHOST,
                "userReference": user_ref,
                "permissions": {
                    "exchange": g.topic_exchange,
                    "write": g.topic_write,
                    "read": g.topic_read,
                },
            },
        ),
    ]
