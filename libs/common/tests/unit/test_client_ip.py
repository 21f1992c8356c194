"""X-Forwarded-For is believed only from a trusted proxy: a client reaching a service directly
cannot write its own address into the audit trail."""

from __future__ import annotations

from ipaddress import ip_network

from isp_common.web.auth import client_ip

GATEWAY = [ip_network("10.0.0.10/32")]


def test_a_forged_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_ip("203.0.113.7", ["1.2.3.4"], GATEWAY) == "203.0.113.7"


def test_the_gateway_names_the_client() -> None:
    assert client_ip("10.0.0.10", ["198.51.100.9"], GATEWAY) == "198.51.100.9"


def test_what_the_client_wrote_left_of_the_gateways_hop_is_not_believed() -> None:
    # The client sent "X-Forwarded-For: 1.2.3.4"; the gateway appended the peer it saw.
    assert client_ip("10.0.0.10", ["1.2.3.4, 198.51.100.9"], GATEWAY) == "198.51.100.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right() -> None:
    proxies = [ip_network("10.0.0.0/24")]
    assert client_ip("10.0.0.10", ["198.51.100.9, 10.0.0.11"], proxies) == "198.51.100.9"


def test_garbage_in_the_header_stops_the_walk() -> None:
    assert client_ip("10.0.0.10", ["not-an-address"], GATEWAY) == "10.0.0.10"
