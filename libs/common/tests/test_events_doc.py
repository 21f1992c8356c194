"""docs/events.md and docs/asyncapi.json are what the contracts produce now.

When this fails, a contract or the topology changed: run `make events-doc` and commit the docs.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from isp_cli.events_doc import generated_files

ROOT = Path(__file__).resolve().parents[3]


def test_events_docs_are_current() -> None:
    stale = []
    for path, expected in generated_files(ROOT).items():
        actual = path.read_text(encoding="utf-8") if path.is_file() else ""
        if actual != expected:
            diff = difflib.unified_diff(
                actual.splitlines(),
                expected.splitlines(),
                "committed",
                "generated",
                lineterm="",
                n=1,
            )
            stale.append(f"{path.relative_to(ROOT)}:\n" + "\n".join(list(diff)[:40]))
    assert not stale, "run `make events-doc` and commit the result\n" + "\n\n".join(stale)
