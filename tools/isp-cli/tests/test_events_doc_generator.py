"""The generator itself; libs/common/tests/test_events_doc.py keeps the committed files current."""

import json
from typing import Any

import pytest

from isp_common.contracts import all_contracts
from isp_common.messaging.topology import PLATFORM_QUEUES

from isp_cli import events_doc


@pytest.mark.parametrize(
    ("pattern", "key", "matches"),
    [
        ("#", "customers.customer.created", True),
        ("billing.plan.*", "billing.plan.created", True),
        ("billing.plan.*", "billing.plan", False),
        ("billing.plan.*", "billing.plan.created.again", False),
        ("billing.#", "billing.plan.created", True),
        ("billing.#", "billing", True),
        ("*.customer.*", "customers.customer.activated", True),
        ("network.odp.*", "network.device.created", False),
        ("#.created", "network.device.created", True),
    ],
)
def test_topic_matching_follows_amqp(pattern: str, key: str, matches: bool) -> None:
    assert events_doc.topic_matches(pattern, key) is matches


def test_the_audit_queue_takes_every_event() -> None:
    for contract in all_contracts():
        assert "audit.trail" in events_doc.queues_for(contract.type)


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_asyncapi_document_is_whole() -> None:
    document = events_doc.render_asyncapi()
    assert document["asyncapi"].startswith("3.")
    for ref in _refs(document):
        _resolve(document, ref)  # raises KeyError when a $ref dangles
    types = {c.type for c in all_contracts()}
    assert set(document["components"]["messages"]) == types
    assert {k for k, v in document["operations"].items() if v["action"] == "send"} == {
        f"publish.{t}" for t in types
    }
    received = {k for k, v in document["operations"].items() if v["action"] == "receive"}
    assert received == {f"consume.{q.base_name}" for q in PLATFORM_QUEUES}
    # Operations only name messages of their own channel (an AsyncAPI 3 rule).
    for operation in document["operations"].values():
        channel_ref = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(channel_ref + "/messages/")
    json.dumps(document)  # serialisable as it is


def test_markdown_names_every_event_and_model_once() -> None:
    page = events_doc.render_markdown()
    for contract in all_contracts():
        assert page.count(f"### `{contract.type}`") == 1
        assert page.count(f"### {contract.model.__name__}\n") == 1
    assert "<service>" not in page.split("## Queues")[0].split("| `type` |")[1].split("\n")[0]


def test_output_is_stable() -> None:
    assert events_doc.render_markdown() == events_doc.render_markdown()
    assert events_doc.render_asyncapi() == events_doc.render_asyncapi()


def test_check_reports_stale_files_and_write_fixes_them(tmp_path: Any) -> None:
    assert len(events_doc.stale_files(tmp_path)) == 2
    assert len(events_doc.write_files(tmp_path)) == 2
    assert events_doc.stale_files(tmp_path) == []
    assert events_doc.write_files(tmp_path) == []
    (tmp_path / "docs" / "events.md").write_text("edited by hand\n")
    assert events_doc.stale_files(tmp_path) == [tmp_path / "docs" / "events.md"]
