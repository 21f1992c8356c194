"""Each service's API (Deployment, Service, HPA, PDB) and worker (Deployment, PDB). The ports
come from isp_common.settings.SERVICE_PORTS: an API and its worker use the same one, each in its
own pod."""

from __future__ import annotations

from typing import Any

from isp_common.settings import SECRET_KEY_HOLDERS, SERVICE_PORTS

from .common import RABBITMQ_CLUSTER, broker_credentials, db_secret, labels, pod_labels

# Replicas of each worker. The agent's reconcilers share the routers: each router's lane is
# held by one replica at a time through a Postgres advisory lock.
WORKER_REPLICAS = {"mikrotik-agent": 2}
WORKER_RESOURCES = {
    "mikrotik-agent": {
        "requests": {"cpu": "200m", "memory": "256Mi"},
        "limits": {"memory": "512Mi"},
    }
}
API_RESOURCES = {"requests": {"cpu": "100m", "memory": "192Mi"}, "limits": {"memory": "512Mi"}}
DEFAULT_WORKER_RESOURCES = {
    "requests": {"cpu": "100m", "memory": "192Mi"},
    "limits": {"memory": "512Mi"},
}


# Who accepts the operator's HS256 tokens (`isp token`, signed with ISP_JWT_SECRET): identity
# alone, where the platform_admin creates tenants. Every other service verifies identity's RS256
# tokens only, so none holds a key that could mint a token for any tenant.
OPERATOR_TOKEN_ACCEPTORS = frozenset({"identity"})


def env(service: str) -> list[dict[str, Any]]:
    """Production mode, the service's own database password, the operator's token key only in
    identity, the Fernet key only where it decrypts, and the broker's URL from the service's own
    RabbitMQ user (broker_users)."""
    own: list[dict[str, Any]] = [
        {"name": "ISP_ENVIRONMENT", "value": "production"},
        {
            "name": "ISP_SERVICE_DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": db_secret(service), "key": "password"}},
        },
    ]
    if service in OPERATOR_TOKEN_ACCEPTORS:
        own.append(
            {
                "name": "ISP_JWT_SECRET",
                "valueFrom": {"secretKeyRef": {"name": "isp-secrets", "key": "ISP_JWT_SECRET"}},
            }
        )
    if service in SECRET_KEY_HOLDERS:
        own.append(
            {
                "name": "ISP_SECRET_KEY",
                "valueFrom": {"secretKeyRef": {"name": "isp-secret-key", "key": "ISP_SECRET_KEY"}},
            }
        )
    broker = broker_credentials(service)
    return [
        *own,
        {
            "name": "RABBITMQ_USERNAME",
            "valueFrom": {"secretKeyRef": {"name": broker, "key": "username"}},
        },
        {
            "name": "RABBITMQ_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": broker, "key": "password"}},
        },
        {
            "name": "ISP_AMQP_URL",
            "value": f"amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@{RABBITMQ_CLUSTER}:5672/",
        },
    ]


ENV_FROM = [{"configMapRef": {"name": "isp-config"}}]

CONTAINER_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": 10001,
    "runAsGroup": 10001,
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}
POD_SECURITY = {
    "runAsNonRoot": True,
    "fsGroup": 10001,
    "seccompProfile": {"type": "RuntimeDefault"},
}


def pod_spec(container: dict[str, Any], service: str, component: str) -> dict[str, Any]:
    return {
        "securityContext": POD_SECURITY,
        "terminationGracePeriodSeconds": 40,
        "automountServiceAccountToken": False,
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": "kubernetes.io/hostname",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": labels(service, component)},
            }
        ],
        "containers": [container],
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
    }


def deployment(
    service: str, component: str, replicas: int | None, container: dict[str, Any]
) -> dict[str, Any]:
    """`replicas` None: the HPA owns the count (an apply would otherwise reset it)."""
    name = f"{service}-{component}"
    # Both serve /metrics on the service's port: an API its requests, a worker its relay,
    # consumers and jobs.
    template_metadata: dict[str, Any] = {
        "labels": pod_labels(service, component),
        "annotations": {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(SERVICE_PORTS[service]),
            "prometheus.io/path": "/metrics",
        },
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels(service, component)},
        "spec": {
            **({} if replicas is None else {"replicas": replicas}),
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": labels(service, component)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0},
            },
            "template": {
                "metadata": template_metadata,
                "spec": pod_spec(container, service, component),
            },
        },
    }


def container(service: str, mode: str, resources: dict[str, Any]) -> dict[str, Any]:
    """API or worker: both serve HTTP on the service's port (`http`, also the PodMonitor's)."""
    return {
        "name": service,
        "image": f"isp/{service}",
        "imagePullPolicy": "IfNotPresent",
        "args": [mode],
        "ports": [{"name": "http", "containerPort": SERVICE_PORTS[service], "protocol": "TCP"}],
        "envFrom": ENV_FROM,
        "env": env(service),
        "resources": resources,
        "securityContext": CONTAINER_SECURITY,
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],  # noqa: S108 (an emptyDir)
    }


def probe(path: str, period_seconds: int, timeout_seconds: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": period_seconds,
        "timeoutSeconds": timeout_seconds,
        "failureThreshold": 3,
    }


# Until the process answers (imports, connection pools): liveness waits for it.
STARTUP_PROBE = {
    "httpGet": {"path": "/healthz", "port": "http"},
    "periodSeconds": 2,
    "failureThreshold": 30,
}


def api_objects(service: str) -> list[dict[str, Any]]:
    port = SERVICE_PORTS[service]
    name = f"{service}-api"
    main = container(service, "api", API_RESOURCES)
    main["startupProbe"] = STARTUP_PROBE
    # An API's /readyz checks only its database: its writes wait in the outbox, so a broker
    # outage must not take every replica out of the Service.
    main["readinessProbe"] = probe("/readyz", period_seconds=10, timeout_seconds=3)
    main["livenessProbe"] = probe("/healthz", period_seconds=20, timeout_seconds=3)
    # Taken out of the Service's endpoints before uvicorn stops accepting connections.
    main["lifecycle"] = {"preStop": {"exec": {"command": ["sleep", "5"]}}}
    return [
        deployment(service, "api", None, main),
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "labels": labels(service, "api")},
            "spec": {
                "selector": labels(service, "api"),
                "ports": [{"name": "http", "port": port, "targetPort": "http"}],
            },
        },
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name, "labels": labels(service, "api")},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": 2,
                "maxReplicas": 6,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 70},
                        },
                    }
                ],
                "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}},
            },
        },
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "labels": labels(service, "api")},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": labels(service, "api")}},
        },
    ]


def worker_objects(service: str) -> list[dict[str, Any]]:
    name = f"{service}-worker"
    resources = WORKER_RESOURCES.get(service, DEFAULT_WORKER_RESOURCES)
    main = container(service, "worker", resources)
    main["startupProbe"] = STARTUP_PROBE
    # A worker's /readyz checks its database and the broker (2 s each, hence the timeout); no
    # Service routes to it, readiness paces rollouts and the PDB. Liveness is /healthz, which
    # needs neither: a database or broker outage is waited out inside, not by restarts, and a
    # worker whose relay, consumer or job crashes exits on its own.
    main["readinessProbe"] = probe("/readyz", period_seconds=15, timeout_seconds=5)
    main["livenessProbe"] = probe("/healthz", period_seconds=20, timeout_seconds=3)
    return [
        deployment(service, "worker", WORKER_REPLICAS.get(service, 1), main),
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "labels": labels(service, "worker")},
            # One at a time: a drain never stops every consumer of a queue at once.
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels(service, "worker")}},
        },
    ]
