"""Kubernetes gives each service its own RabbitMQ user, with the grant compose's definitions
file has (isp_cli.broker), through the messaging-topology-operator; and each service's pods read
only their own credentials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from isp_common.settings import SERVICE_PORTS, Settings

from isp_cli import broker

BASE = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "base"
SERVICES = list(SERVICE_PORTS)
# What every service pod may read besides its own Secrets.
SHARED_SECRETS = {"isp-secrets", "isp-secret-key"}


def _objects() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    found = []
    for resource in kustomization["resources"]:
        found += [d for d in yaml.safe_load_all((BASE / resource).read_text()) if d]
    return found


def _of_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def _pod_settings() -> Settings:
    """The names a grant depends on, as the pods get them (base/config.env)."""
    values = dict(
        line.split("=", 1)
        for line in (BASE / "config.env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    return Settings(
        events_exchange=values["ISP_EVENTS_EXCHANGE"],
        queue_prefix=values.get("ISP_QUEUE_PREFIX", ""),
    )


@pytest.fixture(scope="module")
def k8s() -> list[dict[str, Any]]:
    return _objects()


def test_each_service_has_its_own_user_with_the_brokers_grant(k8s: list[dict[str, Any]]) -> None:
    users = _of_kind(k8s, "User")
    permissions = _of_kind(k8s, "Permission")
    topic_permissions = _of_kind(k8s, "TopicPermission")
    secrets = _of_kind(k8s, "Secret")
    (cluster,) = _of_kind(k8s, "RabbitmqCluster")
    settings = _pod_settings()
    assert len(users) == len(SERVICES)
    for name in SERVICES:
        grant = broker.grant(name, settings)
        user = users[grant.user]
        assert user["spec"]["tags"] == [], "no management or administrator rights"
        imported = secrets[user["spec"]["importCredentialsSecret"]["name"]]
        assert imported["stringData"] == {"username": grant.user}, "no password in the repository"
        permission = permissions[grant.user]["spec"]
        topic = topic_permissions[grant.user]["spec"]
        for spec in (user["spec"], permission, topic):
            assert spec["rabbitmqClusterReference"] == {"name": cluster}
        for spec in (permission, topic):
            assert spec["userReference"] == {"name": grant.user}
            assert spec["vhost"] == broker.VHOST
        assert permission["permissions"] == {
            "configure": grant.configure,
            "write": grant.write,
            "read": grant.read,
        }
        assert topic["permissions"] == {
            "exchange": grant.topic_exchange,
            "write": grant.topic_write,
            "read": grant.topic_read,
        }
    assert topic_permissions["isp-customers"]["spec"]["permissions"]["write"] == r"^customers\."


def _secrets_read_by(container: dict[str, Any]) -> dict[str, str]:
    """variable (or `envFrom`) → the Secret it comes from."""
    read = {
        entry["name"]: entry["valueFrom"]["secretKeyRef"]["name"]
        for entry in container.get("env", [])
        if "secretKeyRef" in entry.get("valueFrom", {})
    }
    for source in container.get("envFrom", []):
        if "secretRef" in source:
            read[f"envFrom:{source['secretRef']['name']}"] = source["secretRef"]["name"]
    return read


def test_no_service_pod_reads_another_services_credentials(k8s: list[dict[str, Any]]) -> None:
    deployments = _of_kind(k8s, "Deployment")
    users = _of_kind(k8s, "User")
    for name in SERVICES:
        own_user = broker.user_name(name)
        own = {f"isp-{name}-db", f"{users[own_user]['metadata']['name']}-user-credentials"}
        for part in ("api", "worker"):
            (main,) = deployments[f"{name}-{part}"]["spec"]["template"]["spec"]["containers"]
            read = _secrets_read_by(main)
            assert set(read.values()) <= own | SHARED_SECRETS, (name, part, read)
            assert read["RABBITMQ_USERNAME"] == read["RABBITMQ_PASSWORD"]
            assert read["RABBITMQ_PASSWORD"] == f"{own_user}-user-credentials"
            url = next(e["value"] for e in main["env"] if e["name"] == "ISP_AMQP_URL")
            assert url.startswith("amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@")
