"""The gateway's configuration as `isp_cli.gateway` renders it (no nginx needed here; the
gateway's behaviour on real nginx is tested in tests/gateway)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from isp_cli import gateway
from isp_cli import up as platform
from isp_cli.main import app
from isp_cli.services import KNOWN_SERVICES


def render(**settings: object) -> str:
    return gateway.render(
        gateway.GatewaySettings(**settings),  # type: ignore[arg-type]
        gateway.local_upstreams(),
        Path("/srv/isp/var/gateway"),
        access_log=Path("/srv/isp/var/gateway/access.log"),
    )


def test_every_service_has_an_upstream_its_prefixes_and_its_spec() -> None:
    text = render()
    assert "{{" not in text
    for spec in KNOWN_SERVICES:
        upstream = gateway.upstream_name(spec.name)
        assert f"upstream {upstream} {{\n        server 127.0.0.1:{spec.port};" in text
        assert (
            f"location = /api/v1/{spec.name}/openapi.json {{\n"
            f"            set $isp_service {spec.name};"
        ) in text
        assert f"proxy_pass http://{upstream}/openapi.json;" in text
        for collection in gateway.COLLECTIONS[spec.name]:
            assert f"location = /api/v1/{collection} {{" in text
            assert f"location /api/v1/{collection}/ {{" in text
    for sub in gateway.CUSTOMER_SUBRESOURCES:
        assert re.search(rf'location ~ "\^/api/v1/customers/\[0-9A-Fa-f\]\{{8\}}-.*/{sub}', text)


def test_the_collections_are_the_services_of_the_design() -> None:
    assert set(gateway.COLLECTIONS) == {s.name for s in KNOWN_SERVICES}
    assert set(gateway.CUSTOMER_SUBRESOURCES.values()) <= set(gateway.COLLECTIONS)
    prefixes = [c for cs in gateway.COLLECTIONS.values() for c in cs]
    assert len(prefixes) == len(set(prefixes)), "a prefix belongs to one service"
    # plain path segments: they go into nginx locations and regular expressions as they are
    for segment in [*prefixes, *gateway.CUSTOMER_SUBRESOURCES]:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", segment), segment


def test_identity_serves_its_collections_the_portal_account_and_the_well_known_root() -> None:
    assert gateway.COLLECTIONS["identity"] == ("auth", "tenants", "users")
    assert gateway.CUSTOMER_SUBRESOURCES["portal-account"] == "identity"
    text = render()
    assert re.search(
        r"location /\.well-known/ \{\n\s+set \$isp_service identity;.*?proxy_pass "
        r"http://isp_identity;",
        text,
        re.S,
    )


def test_the_token_endpoint_has_both_limits_and_names_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ISP_GATEWAY_TOKEN_RATE_PER_MINUTE", "12")
    monkeypatch.setenv("ISP_GATEWAY_TOKEN_BURST", "4")
    text = gateway.render(gateway.GatewaySettings(), gateway.local_upstreams(), Path("/tmp/gw"))
    assert "zone=isp_token_per_client:10m rate=12r/m;" in text
    block = re.search(r"location = /api/v1/auth/token \{(.*?)\n        \}", text, re.S)
    assert block, "the token endpoint needs a location of its own"
    assert "limit_req zone=isp_per_client burst=1000 nodelay;" in block.group(1)
    assert "limit_req zone=isp_token_per_client burst=4 nodelay;" in block.group(1)
    assert "set $isp_rate_limit token;" in block.group(1)
    # an error_page there would drop the server's (nginx inherits them only when it has none)
    assert "error_page" not in block.group(1)
    assert '"details":{"rate_per_minute":12,"burst":4}' in text


def test_the_limits_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISP_GATEWAY_RATE", "7")
    monkeypatch.setenv("ISP_GATEWAY_BURST", "3")
    monkeypatch.setenv("ISP_GATEWAY_MAX_BODY_SIZE", "25m")
    monkeypatch.setenv("ISP_GATEWAY_LISTEN", "0.0.0.0:9090")
    monkeypatch.setenv("ISP_GATEWAY_READ_TIMEOUT_SECONDS", "120")
    settings = gateway.GatewaySettings()
    text = gateway.render(settings, gateway.local_upstreams(), Path("/tmp/gw"))
    assert "rate=7r/s;" in text
    assert "burst=3 nodelay;" in text
    assert "client_max_body_size 25m;" in text
    assert "listen 0.0.0.0:9090;" in text
    assert "proxy_read_timeout 120s;" in text
    assert "access_log off;" in text
    assert settings.url == "http://127.0.0.1:9090"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("listen", "8080; include /etc/passwd"),
        ("max_body_size", "10m; evil"),
        ("worker_processes", "auto;"),
        ("trusted_proxies", "10.0.0.0/8, not-an-address"),
        ("rate", 0),
    ],
)
def test_a_setting_that_could_break_the_config_is_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        gateway.GatewaySettings(**{field: value})  # type: ignore[arg-type]


def test_paths_and_upstreams_are_checked() -> None:
    settings = gateway.GatewaySettings()
    with pytest.raises(ValueError, match="billing"):
        gateway.render(settings, {"customers": "127.0.0.1:8001"}, Path("/tmp/gw"))
    bad = gateway.local_upstreams() | {"audit": "audit:8006; evil"}
    with pytest.raises(ValueError, match="audit"):
        gateway.render(settings, bad, Path("/tmp/gw"))
    with pytest.raises(ValueError, match="spaces"):
        gateway.render(settings, gateway.local_upstreams(), Path("/tmp/my gateway"))


def test_port_offset_and_dns_upstreams() -> None:
    settings = gateway.GatewaySettings().with_port_offset(1100)
    assert settings.listen == "127.0.0.1:9180"
    assert gateway.GatewaySettings(listen="8080").with_port_offset(1).listen == "8081"
    assert gateway.templated_upstreams("{service}")["mikrotik-agent"] == "mikrotik-agent:8007"
    assert gateway.templated_upstreams("{service}-api", 10)["billing"] == "billing-api:8012"
    assert gateway.local_upstreams(5)["customers"] == "127.0.0.1:8006"


def test_trusted_proxies_make_nginx_believe_their_forwarded_for() -> None:
    text = render(trusted_proxies="10.0.0.0/8,192.168.1.10")
    assert "set_real_ip_from 10.0.0.0/8;" in text
    assert "set_real_ip_from 192.168.1.10;" in text
    assert "real_ip_header X-Forwarded-For;" in text
    assert "set_real_ip_from" not in render()


def test_isp_gateway_config_prints_the_config_for_containers() -> None:
    result = CliRunner().invoke(
        app,
        ["gateway-config", "--upstream-host", "{service}", "--runtime-dir", "/tmp/isp-gateway"],
    )
    assert result.exit_code == 0, result.output
    assert "server customers:8001;" in result.output
    assert "access_log /dev/stdout isp_json;" in result.output
    assert 'pid "/tmp/isp-gateway/nginx.pid";' in result.output
    # no `daemon` directive: the command line gives it (-g 'daemon off;'), as nginx's image does
    assert not re.search(r"^\s*daemon ", result.output, re.MULTILINE)


def test_without_nginx_isp_up_says_so_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gateway, "find_nginx", lambda: None)
    monkeypatch.setattr(gateway, "install_nginx", lambda say: None)
    said: list[str] = []
    options = platform.UpOptions(services=[], state_dir=tmp_path)
    started = platform._start_gateway(gateway.GatewaySettings(), options, said.append)
    assert started is None
    assert "nginx is not installed" in said[0]
    assert "Each service answers on its own port" in said[1]


def test_the_workers_user_is_left_to_nginx_unless_root_needs_itself(tmp_path: Path) -> None:
    import os

    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    if os.geteuid() == 0:
        assert gateway.worker_user(closed / "gateway") == "root"
    else:
        assert gateway.worker_user(closed / "gateway") is None


# Every 4xx/5xx status nginx has a page of its own for (ngx_http_special_response.c); 494 is its
# "request header too large", 495-497 its TLS ones.
NGINX_OWN_ERRORS = {
    *range(400, 418),
    421,
    429,
    494,
    495,
    496,
    497,
    *range(500, 506),
    507,
}
# Statuses nginx cannot produce in this configuration (no module here answers them).
UNREACHABLE = {402, 406, 407, 409, 410, 412, 416, 417, 421, 507}


def _error_targets(text: str) -> dict[int, str]:
    targets = {}
    for codes, target in re.findall(r"^\s*error_page ([0-9 ]+) = (\S+);", text, re.M):
        for code in codes.split():
            targets[int(code)] = target
    return targets


def _answer_of(text: str, target: str) -> tuple[int, dict[str, object]]:
    if target.startswith("@"):
        block = re.search(rf"location {re.escape(target)} {{(.*?)\n        }}", text, re.S)
    else:
        block = re.search(rf"location = {re.escape(target)} {{(.*?)\n        }}", text, re.S)
    assert block, target
    returns = re.findall(r"return (\d{3}) '(.*?)';", block.group(1))
    assert returns, target
    status, body = returns[-1]
    # nginx variables inside the body are plain tokens (a service name, a method)
    return int(status), json.loads(re.sub(r"\$[a-z_]+", "x", body))


def test_every_error_of_nginx_itself_has_a_json_envelope_page() -> None:
    text = render()
    targets = _error_targets(text)
    missing = NGINX_OWN_ERRORS - UNREACHABLE - set(targets)
    assert not missing, f"no error_page for {sorted(missing)}"
    for code, target in targets.items():
        status, body = _answer_of(text, target)
        expected = {494: 431, 495: 400, 496: 400, 497: 400}.get(code, code)
        assert status == expected or (code == 502 and status in (502, 503)), (code, status)
        assert body["success"] is False
        error = body["error"]
        assert isinstance(error, dict) and set(error) == {"code", "message", "details"}, target
        assert isinstance(error["details"], dict)
    # the internal ones cannot be asked for from outside
    for target in {t for t in targets.values() if t.startswith("/")}:
        block = re.search(rf"location = {re.escape(target)} {{(.*?)}}", text, re.S)
        assert block and "internal;" in block.group(1), target


def test_unknown_paths_are_rate_limited_too() -> None:
    text = render(burst=0)
    fallback = re.search(r"location / {(.*?)}", text, re.S)
    assert fallback
    # `return` would answer before limit_req; try_files answers after it
    assert "return" not in fallback.group(1)
    assert "limit_req zone=isp_per_client;" in fallback.group(1)
    assert "burst=0" not in text
