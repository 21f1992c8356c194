"""`docs/events.md` and `docs/asyncapi.json`, generated from the contracts registry.

The catalogue is derived, never written by hand: `isp events-doc` rewrites both files and
`isp events-doc --check` (and `libs/common/tests/test_events_doc.py`) fails when they differ from
what the contracts in `isp_common.contracts` and the topology in `isp_common.messaging.topology`
produce now. The output depends on nothing but the code (no environment, no clock), so it is
byte-for-byte stable. The page is `events_markdown`'s, the document `events_asyncapi`'s.
"""

from __future__ import annotations

import json
from pathlib import Path

from isp_cli.events_asyncapi import render_asyncapi
from isp_cli.events_catalogue import queues_for, topic_matches
from isp_cli.events_markdown import render_markdown

__all__ = [
    "generated_files",
    "queues_for",
    "render_asyncapi",
    "render_markdown",
    "stale_files",
    "topic_matches",
    "write_files",
]

EVENTS_MD = Path("docs/events.md")
ASYNCAPI_JSON = Path("docs/asyncapi.json")


def generated_files(root: Path) -> dict[Path, str]:
    """Every generated file under `root` (the repository) with its content now."""
    asyncapi = json.dumps(render_asyncapi(), indent=2, ensure_ascii=False) + "\n"
    return {root / EVENTS_MD: render_markdown(), root / ASYNCAPI_JSON: asyncapi}


def stale_files(root: Path) -> list[Path]:
    """The generated files that are missing or differ from what the generator produces now."""
    return [
        path
        for path, content in generated_files(root).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != content
    ]


def write_files(root: Path) -> list[Path]:
    """Rewrites what changed; returns the files written."""
    written = []
    for path, content in generated_files(root).items():
        if path.is_file() and path.read_text(encoding="utf-8") == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
