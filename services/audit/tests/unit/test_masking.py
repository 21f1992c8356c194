from __future__ import annotations

from isp_audit.domain.masking import MASK, is_secret_key, mask_secrets, mask_text


def test_secret_keys_are_recognised_in_any_spelling() -> None:
    for key in (
        "password",
        "pppoe_password_encrypted",
        "TelnetPassword",
        "snmp_community",
        "SNMPCommunity",
        "client_secret",
        "api_token",
        "credentials",
        "Authorization",
        "api-key",
    ):
        assert is_secret_key(key), key
    for key in ("name", "customer_id", "status", "ip_address", "username"):
        assert not is_secret_key(key), key


def test_values_under_secret_keys_are_masked_at_any_depth() -> None:
    data = {
        "name": "R1",
        "password": "hunter2",
        "routers": [{"api": {"secret": {"nested": "x"}, "port": 8728}}],
        "snmp": {"community": "public"},
    }
    assert mask_secrets(data) == {
        "name": "R1",
        "password": MASK,
        "routers": [{"api": {"secret": MASK, "port": 8728}}],
        "snmp": {"community": MASK},
    }
    assert data["password"] == "hunter2"  # a copy; the input is left alone


def test_secret_pairs_in_free_text_are_masked() -> None:
    assert mask_text("set password=hunter2 now") == "set password=*** now"
    assert mask_text('{"token": "abc123", "x": 1}') == '{"token": "***", "x": 1}'
    assert mask_text("snmp_community : public, port 161") == "snmp_community : ***, port 161"
    assert mask_text("changed the password") == "changed the password"
