"""The router page's pure parts: the agent's dry run as readable lines, and a sync's outcome."""

from __future__ import annotations

from isp_console.domain.router_changes import dry_run_of, outcome_of, sync_finished

QUEUE_ADD = {
    "kind": "add",
    "menu": "/queue/simple",
    "name": "CUST-000002",
    "object_id": None,
    "attributes": {
        "name": "CUST-000002",
        "target": "<pppoe-budi>",
        "max-limit": "25000000/50000000",
        "comment": "isp-agent:t:c",
    },
    "unset": [],
    "customer_id": "c-2",
}
SECRET_SET = {
    "kind": "set",
    "menu": "/ppp/secret",
    "name": "siti",
    "object_id": "*3",
    "attributes": {"profile": "isolir", "password": "********"},
    "unset": ["remote-address"],
    "customer_id": "c-1",
}
LIST_REMOVE = {"kind": "remove", "menu": "/ip/firewall/address-list", "name": "10.0.0.9"}


def test_each_change_reads_as_a_verb_a_thing_and_its_name() -> None:
    plan = dry_run_of(
        {"ok": True, "subscribers": 3, "changes": [QUEUE_ADD, SECRET_SET, LIST_REMOVE]}
    )

    lines = [(line.action, line.what, line.name) for line in plan.lines]
    assert lines == [
        ("add", "queue", "CUST-000002"),
        ("change", "secret", "siti"),
        ("remove", "address_list", "10.0.0.9"),
    ]
    assert plan.counts == {"add": 1, "change": 1, "remove": 1}
    assert not plan.in_sync


def test_a_line_shows_the_attributes_that_move_without_the_tag_or_the_name_again() -> None:
    add, change = dry_run_of({"changes": [QUEUE_ADD, SECRET_SET]}).lines

    assert add.attributes == (("max-limit", "25000000/50000000"), ("target", "<pppoe-budi>"))
    assert change.attributes == (("password", "********"), ("profile", "isolir"))
    assert change.unset == ("remote-address",)
    assert change.customer_id == "c-1"


def test_no_change_is_in_sync_and_an_error_is_kept() -> None:
    assert dry_run_of({"ok": True, "changes": []}).in_sync
    failed = dry_run_of({"ok": False, "error": "not connecting to 8.8.8.8", "changes": []})
    assert not failed.in_sync and failed.error == "not connecting to 8.8.8.8"


def test_an_unknown_menu_is_an_object() -> None:
    (line,) = dry_run_of({"changes": [{"kind": "add", "menu": "/ip/pool", "name": "p"}]}).lines
    assert line.what == "other"


def test_the_outcome_of_the_last_sync() -> None:
    router = {"last_sync_at": "t2", "last_sync_result": {"ok": True, "added": 1, "removed": 0}}

    outcome = outcome_of(router)

    assert outcome is not None and outcome.ok and outcome.added == 1
    assert outcome_of({"last_sync_result": None}) is None


def test_a_sync_is_finished_when_the_last_sync_time_moved() -> None:
    assert not sync_finished({"last_sync_at": "t1"}, "t1")
    assert sync_finished({"last_sync_at": "t2"}, "t1")
    assert sync_finished({"last_sync_at": "t1"}, "")
    assert not sync_finished({"last_sync_at": None}, "")
