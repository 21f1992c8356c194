"""The hand-written docs name what the code has: every setting, every command."""

from __future__ import annotations

import re
from pathlib import Path

from isp_common.settings import Settings

from isp_cli.main import app

ROOT = Path(__file__).resolve().parents[3]


def test_configuration_page_names_every_setting() -> None:
    page = (ROOT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"`(ISP_[A-Z_]+)`", page))
    missing = {f"ISP_{name.upper()}" for name in Settings.model_fields} - documented
    assert not missing, f"add to docs/configuration.md: {sorted(missing)}"


def test_readme_starts_with_the_two_commands_and_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```", 2)[1]
    assert "make up" in first_block and "make test" in first_block
    for page in ("architecture.md", "adding-a-service.md", "events.md", "configuration.md"):
        assert f"docs/{page}" in readme
        assert (ROOT / "docs" / page).is_file()


def test_readme_lists_every_isp_command() -> None:
    readme = (ROOT / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"isp {name}" in readme, f"README.md does not mention `isp {name}`"
