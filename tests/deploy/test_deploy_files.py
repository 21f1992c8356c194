"""The deployment artefacts (deploy/) hang together: the Dockerfile and its entry point, compose,
the Kubernetes manifests, the monitoring, and the platform's own tables (services, ports,
settings, metrics). Parsing and cross-checks run everywhere; `docker compose config`,
`kubectl kustomize`, kubeconform and promtool only where they are installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from isp_common import metrics
from isp_common.migrations import password_variable
from isp_common.settings import SECRET_KEY_HOLDERS, SERVICE_PORTS, Settings

from isp_cli import broker
from isp_cli.gateway import GatewaySettings, render, templated_upstreams
from isp_console.bootstrap import ConsoleSettings
from isp_identity.bootstrap import IdentitySettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
BASE = K8S / "base"
PRODUCTION = K8S / "overlays" / "production"
MONITORING = DEPLOY / "monitoring"
SERVICES = list(SERVICE_PORTS)

# ISP_* variables that are not Settings fields but are read by someone (docs/configuration.md):
# __main__ reads ISP_HOST / ISP_PORT; the gateway reads ISP_GATEWAY_* (GatewaySettings).
READ_OUTSIDE_SETTINGS = {"ISP_HOST", "ISP_PORT"}
# Agent metrics the dashboards and alerts use before the agent defines them (its helper adds
# them: a gauge and a histogram).
AGENT_METRICS = {
    "isp_router_up",
    "isp_reconcile_duration_seconds_bucket",
    "isp_reconcile_duration_seconds_count",
    "isp_reconcile_duration_seconds_sum",
}


# ---------------------------------------------------------------------------------------------
# helpers


def known_isp_variables() -> set[str]:
    fields = {f"ISP_{name.upper()}" for name in Settings.model_fields}
    gateway = {f"ISP_GATEWAY_{name.upper()}" for name in GatewaySettings.model_fields}
    # identity's own (ISP_IDENTITY_*), which the other services ignore
    fields |= {f"ISP_{name.upper()}" for name in IdentitySettings.model_fields}
    # the console's (ISP_CONSOLE_*), read by the console alone
    fields |= {f"ISP_{name.upper()}" for name in ConsoleSettings.model_fields}
    # The migrate job's per-service passwords, and the broker's (isp broker-definitions).
    per_service = {password_variable(name.replace("-", "_")) for name in SERVICES}
    per_service |= {broker.password_variable(name) for name in SERVICES}
    return fields | gateway | READ_OUTSIDE_SETTINGS | per_service | {broker.ADMIN_PASSWORD}


def env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def base_objects() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    objects = []
    for resource in kustomization["resources"]:
        objects += yaml_documents(BASE / resource)
    return objects


def of_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def metric_names_in(expr: str) -> set[str]:
    return set(re.findall(r"\bisp_[a-z_]+\b", expr))


def exposed_metric_names() -> set[str]:
    """Every series name isp_common.metrics can expose (histograms: _bucket/_count/_sum)."""
    suffixes = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_count", "_sum")}
    names: set[str] = set()
    for collector in vars(metrics).values():
        if isinstance(collector, MetricWrapperBase):
            for family in collector.describe():
                names |= {family.name + suffix for suffix in suffixes[family.type]}
    return names


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_k8s_generate", K8S / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text())


@pytest.fixture(scope="module")
def k8s() -> list[dict[str, Any]]:
    return base_objects()


# ---------------------------------------------------------------------------------------------
# Dockerfile and entry point


def test_dockerfile_builds_every_service_from_the_workspace_as_non_root() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "ARG SERVICE" in text
    assert re.search(r"^USER 10001", text, re.M), "the runtime stage must not run as root"
    assert 'ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]' in text
    assert "uv sync" in text and "UV_FROZEN=1" in text
    # The SERVICE values it accepts are exactly the platform's services (+ platform).
    accepted = re.search(r"^\s+([a-z|-]+)\) \\\n\s+echo \"--package", text, re.M)
    assert accepted is not None
    assert set(accepted.group(1).split("|")) == set(SERVICES)
    for source in re.findall(r"^COPY (?!--from)(\S+) ", text, re.M):
        assert (ROOT / source).exists(), f"COPY {source}: no such path"
    # isp_cli.gateway_config finds the template four folders above itself: the code must stay in
    # /app/<member>/src (editable install), next to /app/deploy/gateway.
    assert "COPY deploy/gateway ./deploy/gateway" in text
    assert "--no-editable" not in text


def _run_entrypoint(tmp_path: Path, service: str, *args: str) -> subprocess.CompletedProcess[str]:
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    for name in ("python", "isp", "routeros-sim"):
        stub = stubs / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*"\n')
        stub.chmod(0o755)
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "ISP_SERVICE_NAME": service}
    return subprocess.run(
        [str(DEPLOY / "docker" / "entrypoint.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )


@pytest.mark.parametrize(
    ("service", "args", "expected"),
    [
        ("customers", ["api"], "python -m isp_customers api"),
        ("mikrotik-agent", ["worker"], "python -m isp_mikrotik_agent worker"),
        ("billing", ["all", "--port", "9000"], "python -m isp_billing all --port 9000"),
        ("billing", [], "python -m isp_billing api"),
        ("tickets", ["migrate"], "isp migrate --service tickets"),
        ("platform", ["migrate"], "isp migrate"),
        ("platform", ["routeros-sim", "--port", "8728"], "routeros-sim --port 8728"),
    ],
)
def test_entrypoint_runs_the_mode(
    tmp_path: Path, service: str, args: list[str], expected: str
) -> None:
    done = _run_entrypoint(tmp_path, service, *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_entrypoint_refuses_a_service_mode_in_the_platform_image(tmp_path: Path) -> None:
    done = _run_entrypoint(tmp_path, "platform", "api")
    assert done.returncode == 2
    assert "ISP_SERVICE_NAME" in done.stderr


def test_dockerignore_keeps_what_the_image_needs() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    for needed in ("libs", "services", "tools", "deploy/gateway", "deploy/docker", "uv.lock"):
        assert needed not in ignored


# ---------------------------------------------------------------------------------------------
# the health check script


def _healthcheck(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DEPLOY / "docker" / "healthcheck.py"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


class _Status(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/readyz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def status_server() -> Iterator[tuple[int, type[_Status]]]:
    handler = type("Handler", (_Status,), {"status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], handler
    server.shutdown()
    server.server_close()


def test_healthcheck_http_follows_readyz(status_server: tuple[int, type[_Status]]) -> None:
    port, handler = status_server
    assert _healthcheck("http", "/readyz", ISP_PORT=str(port)).returncode == 0
    handler.status = 503
    failed = _healthcheck("http", "/readyz", ISP_PORT=str(port))
    assert failed.returncode == 1
    assert "503" in failed.stderr


def test_healthcheck_tcp() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert _healthcheck("tcp", "127.0.0.1", str(port)).returncode == 0
    assert _healthcheck("tcp", "127.0.0.1", str(port)).returncode == 1


# ---------------------------------------------------------------------------------------------
# compose


def test_compose_has_an_api_and_a_worker_per_service(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in SERVICES:
        api, worker = services[f"{name}-api"], services[f"{name}-worker"]
        assert api["command"] == ["api"]
        assert worker["command"] == ["worker"]
        for part in (api, worker):
            assert part["build"]["args"]["SERVICE"] == name
            assert part["build"]["dockerfile"] == "deploy/Dockerfile"
            assert part["image"].rsplit("/", 1)[-1].startswith(f"{name}:")
            assert part["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
            assert part["depends_on"]["postgres"]["condition"] == "service_healthy"
            assert part["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
        # Both serve /readyz on the service's port (healthcheck.py http finds it by
        # ISP_SERVICE_NAME); a worker's checks its database and the broker.
        for part in (api, worker):
            assert part["healthcheck"]["test"][-2:] == ["http", "/readyz"]
    assert services["mikrotik-agent-worker"]["deploy"]["replicas"] >= 2


def test_compose_infrastructure_jobs_and_gateway(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "management" in services["rabbitmq"]["image"]
    assert services["postgres"]["healthcheck"]["test"]
    migrate = services["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["build"]["args"]["SERVICE"] == "platform"
    assert migrate["restart"] == "no"
    # Only Postgres and the migrate job see the database owner's password.
    for name, service in services.items():
        files = [entry["path"] for entry in service.get("env_file", [])]
        if "db-owner.env" in files:
            assert name in {"postgres", "migrate"}, name
    sim = services["routeros-sim"]
    assert sim["command"][:1] == ["routeros-sim"]
    assert sim["command"][sim["command"].index("--port") + 1] == "8728"
    config = services["gateway-config"]
    assert "isp gateway-config --upstream-host '{service}-api'" in config["command"][0]
    gateway = services["gateway"]
    assert gateway["depends_on"]["gateway-config"]["condition"] == (
        "service_completed_successfully"
    )
    for name in SERVICES:
        assert f"{name}-api" in gateway["depends_on"]
    assert any(str(port).endswith(":8080") for port in gateway["ports"])


def test_compose_gateway_settings_render_the_template(compose: dict[str, Any]) -> None:
    environment = compose["services"]["gateway-config"]["environment"]
    settings = GatewaySettings(
        **{key.removeprefix("ISP_GATEWAY_").lower(): value for key, value in environment.items()}
    )
    text = render(settings, templated_upstreams("{service}-api"), "/tmp/gateway")
    for name, port in SERVICE_PORTS.items():
        assert f"server {name}-api:{port};" in text
    assert "listen 8080;" in text


def test_compose_runs_the_console_behind_the_gateway(compose: dict[str, Any]) -> None:
    services = compose["services"]
    console = services["console-api"]
    address = console["networks"]["default"]["ipv4_address"]
    # The gateway believes the browser's address from the console, and from nobody else.
    gateway_env = services["gateway-config"]["environment"]
    assert gateway_env["ISP_GATEWAY_CONSOLE_ADDRESSES"] == f"{address}/32"
    assert console["environment"]["ISP_CONSOLE_API_URL"] == "http://gateway:8080"
    assert "console-api" in services["gateway"]["depends_on"]
    # Its session key is its own: no other container gets it.
    for name, service in services.items():
        if name != "console-api":
            assert "ISP_CONSOLE_SESSION_KEY" not in service.get("environment", {}), name


def test_compose_env_files_set_only_real_settings(compose: dict[str, Any]) -> None:
    known = known_isp_variables()
    variables: set[str] = set()
    for path in ("compose.env", "secrets.env.example", "db-owner.env.example"):
        variables |= set(env_file(DEPLOY / path))
    for service in compose["services"].values():
        variables |= set(service.get("environment", {}))
        for entry in service.get("env_file", []):
            path = DEPLOY / entry["path"]
            assert path.exists() or path.with_name(path.name + ".example").exists(), path
    unknown = {v for v in variables if v.startswith("ISP_")} - known
    assert not unknown, f"not a setting: {sorted(unknown)}"


def test_service_urls_point_at_the_api_names(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {name: f"http://{name}-api:{port}" for name, port in SERVICE_PORTS.items()}
    for path in (DEPLOY / "compose.env", BASE / "config.env"):
        # Read the way a service reads it: from the environment.
        monkeypatch.setenv("ISP_SERVICE_URLS", env_file(path)["ISP_SERVICE_URLS"])
        assert Settings().service_urls == expected, path


def test_every_service_verifies_identitys_tokens_with_its_issuer_and_audience() -> None:
    """compose and Kubernetes give every service identity's JWKS, and the issuer and audience
    identity signs with (it takes ISP_JWT_ISSUER / ISP_JWT_AUDIENCE as its own)."""
    for path, host in (
        (DEPLOY / "compose.env", "identity-api"),
        (BASE / "config.env", "identity-api"),
    ):
        values = env_file(path)
        assert values["ISP_JWKS_URL"] == f"http://{host}:8008/.well-known/jwks.json", path
        assert values["ISP_JWT_ISSUER"] and values["ISP_JWT_AUDIENCE"], path
        settings = Settings(
            jwks_url=values["ISP_JWKS_URL"],
            jwt_issuer=values["ISP_JWT_ISSUER"],
            jwt_audience=values["ISP_JWT_AUDIENCE"],
        )
        assert settings.jwks_url and not _jwks_problems(settings), path


def _jwks_problems(settings: Settings) -> list[str]:
    from isp_common.settings import production_problems

    return [p for p in production_problems(settings) if "ISP_JWT" in p or "ISP_JWKS" in p]


# ---------------------------------------------------------------------------------------------
# Kubernetes


def test_generated_manifests_are_up_to_date() -> None:
    assert load_generator().main(["--check"]) == 0, "run: uv run python deploy/k8s/generate.py"


def test_kustomizations_name_existing_files() -> None:
    for folder in (BASE, PRODUCTION):
        kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
        for resource in kustomization.get("resources", []):
            assert (folder / resource).exists(), f"{folder}: {resource}"
        for patch in kustomization.get("patches", []):
            if "path" in patch:
                assert (folder / patch["path"]).exists()
        for generator in kustomization.get("configMapGenerator", []):
            for path in generator.get("envs", []):
                assert (folder / path).exists()


def test_every_service_has_api_and_worker_deployments(k8s: list[dict[str, Any]]) -> None:
    deployments = of_kind(k8s, "Deployment")
    services = of_kind(k8s, "Service")
    for name, port in SERVICE_PORTS.items():
        api = deployments[f"{name}-api"]
        worker = deployments[f"{name}-worker"]
        (api_container,) = api["spec"]["template"]["spec"]["containers"]
        (worker_container,) = worker["spec"]["template"]["spec"]["containers"]
        assert api_container["image"] == worker_container["image"] == f"isp/{name}"
        assert api_container["args"] == ["api"]
        assert worker_container["args"] == ["worker"]
        for workload, main in ((api, api_container), (worker, worker_container)):
            # Both serve /healthz, /readyz and /metrics on the service's port, named `http`
            # (the probes' and the PodMonitor's port).
            assert main["ports"] == [{"name": "http", "containerPort": port, "protocol": "TCP"}]
            assert main["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
            assert main["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
            assert main["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
            annotations = workload["spec"]["template"]["metadata"]["annotations"]
            assert annotations["prometheus.io/port"] == str(port)
            assert annotations["prometheus.io/path"] == "/metrics"
        # The gateway's upstream {service}-api:<port> is this Service.
        service = services[f"{name}-api"]
        assert service["spec"]["ports"][0]["port"] == port
        assert "replicas" not in api["spec"], "the HPA owns the API's replica count"
    assert deployments["mikrotik-agent-worker"]["spec"]["replicas"] >= 2


def test_every_workload_has_resources(k8s: list[dict[str, Any]]) -> None:
    workloads = [o for o in k8s if o["kind"] in {"Deployment", "Job"}]
    assert workloads
    for workload in workloads:
        for container in pod_containers(workload):
            resources = container.get("resources", {})
            where = f"{workload['metadata']['name']}/{container['name']}"
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), where
            assert "memory" in resources.get("limits", {}), where


def test_every_container_runs_as_non_root(k8s: list[dict[str, Any]]) -> None:
    for workload in (o for o in k8s if o["kind"] in {"Deployment", "Job"}):
        for container in pod_containers(workload):
            context = container.get("securityContext", {})
            assert context.get("runAsNonRoot") is True, container["name"]
            assert context.get("allowPrivilegeEscalation") is False, container["name"]


def test_every_hpa_targets_an_existing_deployment(k8s: list[dict[str, Any]]) -> None:
    deployments = of_kind(k8s, "Deployment")
    hpas = of_kind(k8s, "HorizontalPodAutoscaler")
    assert {f"{name}-api" for name in SERVICES} | {"gateway"} <= set(hpas)
    for name, hpa in hpas.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment", name
        assert target["name"] in deployments, name
        for container in deployments[target["name"]]["spec"]["template"]["spec"]["containers"]:
            assert "cpu" in container["resources"]["requests"], "CPU utilisation needs a request"


def test_every_pdb_and_service_selects_existing_pods(k8s: list[dict[str, Any]]) -> None:
    pod_labels = [
        d["spec"]["template"]["metadata"]["labels"] for d in of_kind(k8s, "Deployment").values()
    ]
    pdbs = of_kind(k8s, "PodDisruptionBudget")
    assert set(of_kind(k8s, "Deployment")) <= set(pdbs)
    for name, pdb in pdbs.items():
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert sum(selects(selector, labels) for labels in pod_labels) == 1, name
    for name, service in of_kind(k8s, "Service").items():
        assert any(selects(service["spec"]["selector"], labels) for labels in pod_labels), name
    for name, deployment in of_kind(k8s, "Deployment").items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selects(selector, deployment["spec"]["template"]["metadata"]["labels"]), name


def test_manifests_set_only_real_settings(k8s: list[dict[str, Any]]) -> None:
    known = known_isp_variables()
    variables = set(env_file(BASE / "config.env")) | set(env_file(PRODUCTION / "config.env"))
    for secret in of_kind(k8s, "Secret").values():
        variables |= {key for key in secret.get("stringData", {}) if key.startswith("ISP_")}
    for workload in (o for o in k8s if o["kind"] in {"Deployment", "Job"}):
        for container in pod_containers(workload):
            declared = [entry["name"] for entry in container.get("env", [])]
            variables |= set(declared)
            # A non-ISP variable exists only to build an ISP_* one with $(NAME).
            helpers = [name for name in declared if not name.startswith("ISP_")]
            values = " ".join(str(entry.get("value", "")) for entry in container.get("env", []))
            for helper in helpers:
                assert f"$({helper})" in values, f"{helper} is set but not used"
    unknown = {v for v in variables if v.startswith("ISP_")} - known
    assert not unknown, f"not a setting: {sorted(unknown)}"


def test_operators_resources_and_jobs(k8s: list[dict[str, Any]]) -> None:
    (postgres,) = of_kind(k8s, "Cluster").values()
    assert postgres["apiVersion"].startswith("postgresql.cnpg.io/")
    assert postgres["metadata"]["name"] == "isp-postgres"
    initdb = postgres["spec"]["bootstrap"]["initdb"]
    secrets = of_kind(k8s, "Secret")
    assert initdb["secret"]["name"] in secrets
    database_url = env_file(BASE / "config.env")["ISP_DATABASE_URL"]
    assert "@isp-postgres-rw:5432/" + initdb["database"] in database_url
    assert ":" not in database_url.split("//", 1)[1].split("@", 1)[0], "no password in it"
    (rabbitmq,) = of_kind(k8s, "RabbitmqCluster").values()
    assert rabbitmq["apiVersion"].startswith("rabbitmq.com/")
    # The operator's default user is an administrator: no service pod reads it.
    default_user = f"{rabbitmq['metadata']['name']}-default-user"
    api = of_kind(k8s, "Deployment")["customers-api"]
    env = {e["name"]: e for e in api["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["RABBITMQ_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] != default_user
    assert f"@{rabbitmq['metadata']['name']}:5672/" in env["ISP_AMQP_URL"]["value"]
    (job,) = of_kind(k8s, "Job").values()
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "isp/platform"
    assert container["args"] == ["migrate"]
    gateway = of_kind(k8s, "Deployment")["gateway"]
    (render_config,) = gateway["spec"]["template"]["spec"]["initContainers"]
    assert "isp gateway-config --upstream-host '{service}-api'" in render_config["command"][-1]


def test_gateway_settings_of_the_manifest_are_valid(k8s: list[dict[str, Any]]) -> None:
    gateway = of_kind(k8s, "Deployment")["gateway"]
    (render_config,) = gateway["spec"]["template"]["spec"]["initContainers"]
    values = {
        e["name"].removeprefix("ISP_GATEWAY_").lower(): e["value"] for e in render_config["env"]
    }
    assert GatewaySettings(**values).port == 8080


def test_kustomize_images_cover_every_image(k8s: list[dict[str, Any]]) -> None:
    used = {
        c["image"]
        for o in k8s
        if o["kind"] in {"Deployment", "Job"}
        for c in pod_containers(o)
        if c["image"].startswith("isp/")
    }
    for folder in (BASE, PRODUCTION):
        listed = {
            i["name"] for i in yaml.safe_load((folder / "kustomization.yaml").read_text())["images"]
        }
        assert used == listed, folder


def _kubectl() -> str:
    found = shutil.which("kubectl")
    if found is None:
        pytest.skip("kubectl is not installed")
    return found


@pytest.mark.parametrize("folder", [BASE, PRODUCTION], ids=["base", "production"])
def test_kustomize_builds(folder: Path) -> None:
    done = subprocess.run(
        [_kubectl(), "kustomize", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    objects = [o for o in yaml.safe_load_all(done.stdout) if o]
    kinds = [o["kind"] for o in objects]
    # An API and a worker per service, the gateway, and the console.
    assert kinds.count("Deployment") == 2 * len(SERVICES) + 2
    assert all(o["metadata"].get("namespace") == "isp" for o in objects if o["kind"] != "Namespace")
    if folder == PRODUCTION:
        assert "Secret" not in kinds, "production secrets come from outside the repository"
        assert {"PodMonitor", "PrometheusRule"} <= set(kinds)
        hpas = {o["metadata"]["name"]: o for o in objects if o["kind"] == "HorizontalPodAutoscaler"}
        assert hpas["customers-api"]["spec"]["maxReplicas"] == 10
    kubeconform = shutil.which("kubeconform")
    if kubeconform:
        checked = subprocess.run(
            [kubeconform, "-strict", "-ignore-missing-schemas", "-summary", "-"],
            input=done.stdout,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_docker_compose_config(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("docker is not installed")
    probe = subprocess.run(
        [docker, "compose", "version"], capture_output=True, check=False, timeout=30
    )
    if probe.returncode != 0:
        pytest.skip("docker compose is not installed")
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("k8s", "monitoring"))
    for example in copy.glob("*.env.example"):
        target = example.with_name(example.name.removesuffix(".example"))
        if not target.exists():
            shutil.copy(example, target)
    done = subprocess.run(
        [docker, "compose", "-f", str(copy / "compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------------------------------------
# monitoring


def test_alert_rules_parse_and_use_existing_metrics() -> None:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    known = exposed_metric_names() | AGENT_METRICS
    alerts = []
    for group in rules["groups"]:
        assert group["name"] and group["rules"]
        for rule in group["rules"]:
            assert ("alert" in rule) != ("record" in rule)
            unknown = metric_names_in(rule["expr"]) - known
            assert not unknown, f"{rule.get('alert') or rule.get('record')}: {unknown}"
            if "alert" in rule:
                alerts.append(rule["alert"])
                assert rule["labels"]["severity"] in {"warning", "critical"}
                assert rule["annotations"]["summary"] and rule["annotations"]["runbook"]
    assert len(alerts) == len(set(alerts))
    used = " ".join(r["expr"] for g in rules["groups"] for r in g["rules"])
    for required in (
        "isp_http_request_duration_seconds",
        "isp_outbox_lag_seconds",
        "isp_consumer_failures_total",
        "isp_dlq_depth",
        "isp_router_up",
        "isp_reconcile_duration_seconds",
    ):
        assert required in used, required
    promtool = shutil.which("promtool")
    if promtool:
        done = subprocess.run(
            [promtool, "check", "rules", str(MONITORING / "alerts.yml")],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_identity_is_watched_its_logins_and_its_tokens() -> None:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}
    assert 'job="isp-identity-api"' in alerts["IspIdentityDown"]["expr"]
    burst = alerts["IspIdentityLoginFailureBurst"]["expr"]
    assert 'route="/api/v1/auth/token"' in burst and 'status="401"' in burst
    assert 'status="429"' in alerts["IspIdentityLockouts"]["expr"]
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    token_exprs = " ".join(
        t["expr"]
        for p in dashboard["panels"]
        for t in p.get("targets", [])
        if 'route="/api/v1/auth/token"' in t["expr"]
    )
    for status in ("200", "401", "429"):  # issued, failed, locked
        assert f'status="{status}"' in token_exprs, status


def test_dashboard_parses_and_uses_existing_metrics() -> None:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    known = exposed_metric_names() | AGENT_METRICS
    panels = dashboard["panels"]
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids))
    exprs = [t["expr"] for p in panels for t in p.get("targets", [])]
    assert exprs
    for expr in exprs:
        assert not metric_names_in(expr) - known, expr
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "service"} <= variables
    used = " ".join(exprs)
    for required in (
        "isp_http_request_duration_seconds_count",
        "isp_http_request_duration_seconds_bucket",
        "isp_outbox_lag_seconds",
        "isp_consumer_failures_total",
        "isp_dlq_depth",
        "isp_router_up",
        "isp_reconcile_duration_seconds_bucket",
    ):
        assert required in used, required


def test_compose_scrape_config_scrapes_every_api_and_worker(compose: dict[str, Any]) -> None:
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    targets = {
        job["job_name"]: (sd["names"], sd["port"])
        for job in config["scrape_configs"]
        for sd in job.get("dns_sd_configs", [])
    }
    for name, port in SERVICE_PORTS.items():
        for part in ("api", "worker"):
            # Job isp-<service>-<part>, as the PodMonitor names it; the compose service's name.
            assert targets[f"isp-{name}-{part}"] == ([f"{name}-{part}"], port)
            assert f"{name}-{part}" in compose["services"]


def _selected_by(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A label selector with matchLabels and `In` matchExpressions (what the PodMonitor uses)."""
    expressions = selector.get("matchExpressions", [])
    assert all(e["operator"] == "In" for e in expressions)
    return selects(selector.get("matchLabels", {}), labels) and all(
        labels.get(e["key"]) in e["values"] for e in expressions
    )


def test_pod_monitor_scrapes_every_api_and_worker_pod(k8s: list[dict[str, Any]]) -> None:
    (monitor,) = yaml_documents(PRODUCTION / "pod-monitor.yaml")
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    assert endpoint["path"] == "/metrics"
    scraped = {}
    for name, deployment in of_kind(k8s, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if _selected_by(monitor["spec"]["selector"], labels):
            (main,) = deployment["spec"]["template"]["spec"]["containers"]
            assert endpoint["port"] in {p["name"] for p in main["ports"]}, name
            scraped[name] = labels[monitor["spec"]["jobLabel"]]
    expected = {f"{name}-{part}" for name in SERVICES for part in ("api", "worker")}
    assert set(scraped) == expected
    # The jobs the alerts' up{job=~"isp-.*"} and the compose scrape config use.
    assert all(job == f"isp-{name}" for name, job in scraped.items())


def test_the_periodic_job_label_is_read_as_job_name() -> None:
    """isp_job_runs_total's `job` label collides with the scrape job's: Prometheus keeps the
    scrape job's as `job` and renames the metric's to `job_name`."""
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    exprs = [r["expr"] for g in rules["groups"] for r in g["rules"]]
    exprs += [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    using = [expr for expr in exprs if "isp_job_runs_total" in expr]
    assert using
    for expr in using:
        assert "job_name" in expr, expr


# ---------------------------------------------------------------------------------------------
# production mode, per-service credentials, network policies


def test_no_example_or_base_secret_holds_a_working_key(k8s: list[dict[str, Any]]) -> None:
    from cryptography.fernet import Fernet

    from isp_common.settings import DEV_JWT_SECRET, DEV_SECRET_KEY, DEV_SERVICE_DB_PASSWORD

    values = []
    for path in DEPLOY.glob("*.env.example"):
        values += list(env_file(path).values())
    for secret in of_kind(k8s, "Secret").values():
        values += list(secret.get("stringData", {}).values())
    assert values
    for value in values:
        assert value not in {DEV_SECRET_KEY, DEV_JWT_SECRET, DEV_SERVICE_DB_PASSWORD}, value
        with pytest.raises(ValueError):
            Fernet(value)  # nothing in them decrypts anything


def _service_parts(compose: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in SERVICES:
        for part in ("api", "worker"):
            yield name, compose["services"][f"{name}-{part}"]


def test_compose_services_run_in_production_with_their_own_credentials(
    compose: dict[str, Any],
) -> None:
    for name, service in _service_parts(compose):
        environment = service["environment"]
        files = [entry["path"] for entry in service.get("env_file", [])]
        assert "secrets.env" not in files, "secrets go to each container one by one"
        assert environment["ISP_ENVIRONMENT"] == "production"
        variable = password_variable(name.replace("-", "_"))
        assert environment["ISP_SERVICE_DB_PASSWORD"].startswith(f"${{{variable}:?")
        url = environment["ISP_AMQP_URL"]
        assert url.startswith(f"amqp://{broker.user_name(name)}:${{")
        assert broker.password_variable(name) in url
        assert ("ISP_SECRET_KEY" in environment) == (name in SECRET_KEY_HOLDERS), name
        # Only identity holds the key of the operator's HS256 tokens.
        assert ("ISP_JWT_SECRET" in environment) == (name == "identity"), name
        assert environment["ISP_TRUSTED_PROXIES"] == "172.28.0.10/32"
    gateway = compose["services"]["gateway"]
    assert gateway["networks"]["default"]["ipv4_address"] == "172.28.0.10"
    migrate = compose["services"]["migrate"]["environment"]
    assert {password_variable(n.replace("-", "_")) for n in SERVICES} == set(migrate)
    config = compose["services"]["broker-config"]
    assert "isp broker-definitions" in config["command"][0]
    assert set(config["environment"]) == {broker.password_variable(n) for n in SERVICES} | {
        broker.ADMIN_PASSWORD
    }
    rabbitmq = compose["services"]["rabbitmq"]
    assert rabbitmq["depends_on"]["broker-config"]["condition"] == (
        "service_completed_successfully"
    )
    conf = (DEPLOY / "rabbitmq" / "isp.conf").read_text()
    assert "definitions.local.path = /etc/isp-broker/definitions.json" in conf


def test_broker_definitions_give_each_service_its_grant() -> None:
    environ = {broker.password_variable(n): f"pw-{n}" for n in SERVICES}
    environ[broker.ADMIN_PASSWORD] = "admin"
    document = broker.definitions(environ)
    users = {u["name"]: u for u in document["users"]}
    assert users[broker.ADMIN_USER]["tags"] == ["administrator"]
    topic = {t["user"]: t for t in document["topic_permissions"]}
    permissions = {p["user"]: p for p in document["permissions"]}
    for name in SERVICES:
        grant = broker.grant(name)
        assert users[grant.user]["tags"] == []
        assert "pw-" not in json.dumps(users[grant.user]), "stored hashed"
        assert topic[grant.user]["write"] == grant.topic_write
        assert permissions[grant.user]["configure"] == grant.configure
    with pytest.raises(broker.MissingBrokerPassword):
        broker.definitions({broker.ADMIN_PASSWORD: "admin"})


def test_k8s_services_run_in_production_with_their_own_secrets(k8s: list[dict[str, Any]]) -> None:
    secrets = of_kind(k8s, "Secret")
    for name in SERVICES:
        for part in ("api", "worker"):
            deployment = of_kind(k8s, "Deployment")[f"{name}-{part}"]
            (main,) = deployment["spec"]["template"]["spec"]["containers"]
            env = {e["name"]: e for e in main["env"]}
            assert env["ISP_ENVIRONMENT"]["value"] == "production"
            ref = env["ISP_SERVICE_DB_PASSWORD"]["valueFrom"]["secretKeyRef"]
            assert ref["name"] == f"isp-{name}-db" and ref["name"] in secrets
            assert ("ISP_SECRET_KEY" in env) == (name in SECRET_KEY_HOLDERS), name
            assert ("ISP_JWT_SECRET" in env) == (name == "identity"), name
            for source in main["envFrom"]:
                shared = secrets.get(source.get("secretRef", {}).get("name", ""), {})
                assert not {"ISP_SECRET_KEY", "ISP_JWT_SECRET"} & set(shared.get("stringData", {}))
    (job,) = of_kind(k8s, "Job").values()
    (container,) = job["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    for name in SERVICES:
        ref = env[password_variable(name.replace("-", "_"))]["valueFrom"]["secretKeyRef"]
        assert ref == {"name": f"isp-{name}-db", "key": "password"}


def _admits(policy: dict[str, Any], labels: dict[str, str], namespace: str, port: int) -> bool:
    for rule in policy["spec"].get("ingress", []):
        ports = [p["port"] for p in rule.get("ports", [])]
        if ports and port not in ports:
            continue
        sources = rule.get("from")
        if not sources:
            return True
        for source in sources:
            pods = source.get("podSelector")
            spaces = source.get("namespaceSelector")
            if spaces is not None:
                if spaces.get("matchLabels", {}).get("kubernetes.io/metadata.name") == namespace:
                    return True
                continue
            if namespace == "isp" and pods is not None and _selected_by(pods, labels):
                return True
    return False


def _pod_labels(k8s: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    workloads = [o for o in k8s if o["kind"] in {"Deployment", "Job"}]
    return {w["metadata"]["name"]: w["spec"]["template"]["metadata"]["labels"] for w in workloads}


def test_network_policies_let_only_the_gateway_reach_the_apis(k8s: list[dict[str, Any]]) -> None:
    policies = list(of_kind(k8s, "NetworkPolicy").values())
    pods = _pod_labels(k8s)
    deny = [p for p in policies if p["spec"]["podSelector"] == {}]
    assert (
        deny and deny[0]["spec"]["policyTypes"] == ["Ingress"] and "ingress" not in deny[0]["spec"]
    )

    def admitted(target: str, source: str | None, namespace: str, port: int) -> bool:
        labels = pods[target]
        mine = [p for p in policies if _selected_by(p["spec"]["podSelector"], labels)]
        return any(_admits(p, pods.get(source or "", {}), namespace, port) for p in mine)

    callers = {("customers", "billing"), ("customers", "network"), ("network", "mikrotik-agent")}
    # Every other service's API fetches identity's JWKS (ISP_JWKS_URL); workers verify no token.
    jwks_readers = {(other, "identity") for other in SERVICES if other != "identity"}
    for name, port in SERVICE_PORTS.items():
        api, worker = f"{name}-api", f"{name}-worker"
        assert admitted(api, "gateway", "isp", port), name
        assert admitted(api, None, "monitoring", port), name
        assert admitted(worker, None, "monitoring", port), name
        assert not admitted(worker, "gateway", "isp", port), name
        assert not admitted(api, None, "elsewhere", port), name
        for other in SERVICES:
            for part in ("api", "worker"):
                expected = (other, name) in callers or (
                    part == "api" and (other, name) in jwks_readers
                )
                assert admitted(api, f"{other}-{part}", "isp", port) == expected, (other, name)
                assert not admitted(worker, f"{other}-{part}", "isp", port), (other, name)
    assert admitted("gateway", None, "anywhere", 8080)


def test_network_policies_keep_the_database_and_broker_to_the_platform(
    k8s: list[dict[str, Any]],
) -> None:
    policies = of_kind(k8s, "NetworkPolicy")
    pods = _pod_labels(k8s)
    postgres, rabbitmq = policies["postgres"], policies["rabbitmq"]
    for name in SERVICES:
        for part in ("api", "worker"):
            assert _admits(postgres, pods[f"{name}-{part}"], "isp", 5432)
            assert _admits(rabbitmq, pods[f"{name}-{part}"], "isp", 5672)
    assert _admits(postgres, pods["isp-migrate"], "isp", 5432)
    assert not _admits(postgres, pods["gateway"], "isp", 5432)
    assert not _admits(rabbitmq, pods["gateway"], "isp", 5672)
    assert not _admits(postgres, {}, "elsewhere", 5432)
    assert not _admits(rabbitmq, {}, "elsewhere", 5672)
