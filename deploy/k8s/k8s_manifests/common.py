"""Names and labels every generated object shares."""

from __future__ import annotations

PART_OF = "isp"
# The RabbitmqCluster of base/rabbitmq.yaml: its Service, and the cluster the
# messaging-topology-operator's objects refer to.
RABBITMQ_CLUSTER = "isp-rabbitmq"


def labels(service: str, component: str) -> dict[str, str]:
    return {
        "app.kubernetes.io/name": service,
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/part-of": PART_OF,
    }


def pod_labels(service: str, component: str) -> dict[str, str]:
    # instance names the Prometheus job (the PodMonitor's jobLabel): isp-<service>-<component>.
    return {
        **labels(service, component),
        "app.kubernetes.io/instance": f"isp-{service}-{component}",
    }


def db_secret(service: str) -> str:
    """The Secret holding `password`: the service's own database password."""
    return f"isp-{service}-db"


def broker_user(service: str) -> str:
    """The name of the service's topology-operator User object (and of its Permission and
    TopicPermission)."""
    return f"isp-{service}"


def broker_import_secret(service: str) -> str:
    """The Secret the operator creates the service's RabbitMQ user from: `username`, and
    `password` when not the operator's to generate."""
    return f"isp-{service}-broker"


def broker_credentials(service: str) -> str:
    """The Secret the operator writes once the user exists (`username`, `password`): the one
    the service's pods read, so they hold the password whoever chose it."""
    return f"{broker_user(service)}-user-credentials"
