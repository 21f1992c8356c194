"""The demo logins' passwords are made once per checkout and kept to their owner; every service
`isp up` starts verifies identity's tokens and the development ones beside them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from isp_common.settings import Settings

from isp_cli import demo_logins
from isp_cli import up as platform


def test_the_passwords_are_made_once_and_kept_for_the_owner_only(tmp_path: Path) -> None:
    first = demo_logins.stored_passwords(tmp_path)
    assert set(first) == {"admin", "subscriber"}
    assert first["admin"] != first["subscriber"]
    assert all(len(p) >= 16 for p in first.values())  # identity refuses under 10
    path = tmp_path / demo_logins.LOGINS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_logins.stored_passwords(tmp_path) == first  # a second `make up`


def test_a_damaged_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / demo_logins.LOGINS_FILE).write_text('{"admin": 3}')
    made = demo_logins.stored_passwords(tmp_path)
    assert json.loads((tmp_path / demo_logins.LOGINS_FILE).read_text()) == made


def test_without_identity_there_are_no_logins(tmp_path: Path) -> None:
    said: list[str] = []
    logins = demo_logins.ensure(
        {"customers": "http://127.0.0.1:1"},
        Settings(),
        demo_logins.PLATFORM_TENANT_ID,
        "token",
        tmp_path,
        said.append,
        with_subscriber=True,
    )
    assert logins == [] and "identity is not running" in said[0]


def test_every_service_gets_identitys_jwks_and_the_explicit_hs256_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("ISP_JWKS_URL", "ISP_JWT_SECRET"):
        monkeypatch.delenv(variable, raising=False)
    options = platform.UpOptions(services=[], state_dir=tmp_path, port_offset=1500)
    env = platform._services_env(Settings(), options)
    assert env["ISP_JWKS_URL"] == "http://127.0.0.1:9508/.well-known/jwks.json"
    # given explicitly, so a service beside ISP_JWKS_URL still takes `isp token`'s tokens
    assert env["ISP_JWT_SECRET"] == Settings().jwt_secret
    monkeypatch.setenv("ISP_JWKS_URL", "https://sso.example.com/certs")
    assert platform._services_env(Settings(), options)["ISP_JWKS_URL"] == (
        "https://sso.example.com/certs"
    )
