"""Each service's database Secret and its NetworkPolicies."""

from __future__ import annotations

from typing import Any

from isp_common.settings import SERVICE_PORTS

from .common import db_secret, labels

# Who calls whose API directly (ISP_SERVICE_URLS): their pods may reach it past the gateway.
API_CALLERS = {"billing": ("customers",), "network": ("customers",), "mikrotik-agent": ("network",)}
# Every other service's API pods fetch identity's JWKS (ISP_JWKS_URL) to verify bearer tokens;
# their workers verify none.
JWKS_SERVICE = "identity"
MONITORING_NAMESPACE = {"kubernetes.io/metadata.name": "monitoring"}


def secret_objects(service: str) -> list[dict[str, Any]]:
    """A placeholder that works nowhere (production refuses it); overlays/production deletes
    it and the secret manager provides the real one."""
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": db_secret(service), "labels": labels(service, "credentials")},
            "type": "Opaque",
            "stringData": {"password": "REPLACE-ME"},
        }
    ]


def _pods(service: str, component: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": labels(service, component)}}


def network_policy_objects(service: str) -> list[dict[str, Any]]:
    """The API: from the gateway, from the services that call it, and from monitoring; the
    worker (ops port only: health and metrics): from monitoring only."""
    port = [{"protocol": "TCP", "port": SERVICE_PORTS[service]}]
    gateway = {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}}
    monitoring = {"namespaceSelector": {"matchLabels": MONITORING_NAMESPACE}}
    callers = [
        _pods(caller, component)
        for caller in API_CALLERS.get(service, ())
        for component in ("api", "worker")
    ]
    if service == JWKS_SERVICE:
        callers += [_pods(other, "api") for other in SERVICE_PORTS if other != service]
    return [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"{service}-api", "labels": labels(service, "api")},
            "spec": {
                "podSelector": {"matchLabels": labels(service, "api")},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [gateway, *callers, monitoring], "ports": port}],
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"{service}-worker", "labels": labels(service, "worker")},
            "spec": {
                "podSelector": {"matchLabels": labels(service, "worker")},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [monitoring], "ports": port}],
            },
        },
    ]
