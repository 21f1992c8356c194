"""Every word the console shows has its Indonesian translation.

The msgids are what Babel's Jinja2 extraction finds in the templates, and the msgids the code
hands to templates: the API errors' sentences, the flashed messages and the login page's
errors. Each has a non-empty translation in exactly one catalogue of `locales/id`, with the
same placeholders; every catalogue parses.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import PoFileError, read_po

from isp_console.domain import portal
from isp_console.domain.errors import GENERAL, MESSAGES

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "isp_console"
TEMPLATES = PACKAGE / "templates"
API = PACKAGE / "api"
CATALOGUES = sorted((PACKAGE / "locales" / "id" / "LC_MESSAGES").glob("*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}

# msgids the portal's code picks for a template to translate.
PORTAL_MSGIDS = [
    portal.PASSWORD_REFUSED,
    portal.PASSWORDS_DIFFER,
    *(msgid for _, msgid in portal.PASSWORD_RULES),
]


def _area(path: Path) -> str:
    """Where a msgid is used, to say whose catalogue lacks it (templates/console/<area>,
    templates/portal, templates/shared, or an api module)."""
    relative = path.relative_to(PACKAGE)
    parts = relative.parts
    if parts[0] == "templates" and parts[1] == "console" and len(parts) > 3:
        return f"console/{parts[2]}"
    if parts[0] == "templates":
        return "/".join(parts[1:-1]) or parts[-1]
    return str(relative)


def template_msgids() -> Iterator[tuple[str, str]]:
    for template in sorted(TEMPLATES.rglob("*.html")):
        with template.open("rb") as source:
            for found in extract("jinja2.ext:babel_extract", source, options=JINJA_OPTIONS):
                message = found[1]
                for text in message if isinstance(message, tuple) else (message,):
                    if isinstance(text, str) and text:
                        yield text, f"{_area(template)} ({template.name}:{found[0]})"


def _string_constants(node: ast.AST | None) -> list[str]:
    """The strings an expression may be: a literal, either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _string_constants(node.body) + _string_constants(node.orelse)
    return []


def _expansions(node: ast.JoinedStr, choices: dict[str, list[str]]) -> list[str]:
    """An f-string over variables that are each one of a few literals: every sentence it
    makes (the login page's "This login belongs to {where}.")."""
    parts: list[list[str]] = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append([str(value.value)])
        elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name):
            options = choices.get(value.value.id)
            if not options:
                return []
            parts.append(options)
        else:
            return []
    return ["".join(combination) for combination in itertools.product(*parts)]


def code_msgids() -> Iterator[tuple[str, str]]:
    for text in (*MESSAGES.values(), GENERAL):
        yield text, "domain/errors.py"
    for text in PORTAL_MSGIDS:
        yield text, "domain/portal.py"
    for module in sorted(API.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        where = _area(module)
        choices: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and _string_constants(node.value):
                    choices.setdefault(target.id, []).extend(_string_constants(node.value))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "flash" and node.args:
                for text in _string_constants(node.args[0]):
                    yield text, f"{where}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg != "error":
                    continue
                value = keyword.value
                texts = _string_constants(value)
                if isinstance(value, ast.JoinedStr):
                    texts = _expansions(value, choices)
                if isinstance(value, ast.Name):
                    texts = choices.get(value.id, [])
                for text in texts:
                    yield text, f"{where}:{node.lineno}"
        for name, values in _module_messages(tree):
            for text in values:
                yield text, f"{where} ({name})"


def _module_messages(tree: ast.Module) -> Iterator[tuple[str, list[str]]]:
    """Module-level tables of msgids the routes hand to templates (`…_REFUSALS`,
    `…_ERRORS`, `…_MESSAGES` = {key: "English sentence"})."""
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name) or not isinstance(node.value, ast.Dict):
            continue
        if not target.id.endswith(("_REFUSALS", "_ERRORS", "_MESSAGES")):
            continue
        yield target.id, [text for value in node.value.values for text in _string_constants(value)]


def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale="id", abort_invalid=True)


def translations() -> dict[str, tuple[str, Path]]:
    found: dict[str, tuple[str, Path]] = {}
    for path in CATALOGUES:
        for message in _catalogue(path):
            if message.id and isinstance(message.id, str):
                found.setdefault(message.id, (str(message.string or ""), path))
    return found


def _report(missing: dict[str, set[str]]) -> str:
    lines = []
    for area in sorted(missing):
        lines.append(f"{area}:")
        lines.extend(f"    {msgid!r}" for msgid in sorted(missing[area]))
    return "\n".join(lines)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_catalogue_parses(path: Path) -> None:
    try:
        _catalogue(path)
    except PoFileError as error:  # pragma: no cover - the failure's message is the point
        pytest.fail(f"{path.name} does not parse: {error}")


def test_no_msgid_is_defined_twice() -> None:
    defined: dict[str, list[str]] = defaultdict(list)
    for path in CATALOGUES:
        text = path.read_text(encoding="utf-8")
        for msgid in re.findall(r'^msgid "(.+)"$', text, flags=re.MULTILINE):
            defined[msgid].append(path.name)
    twice = {msgid: files for msgid, files in defined.items() if len(files) > 1}
    assert not twice, "defined more than once:\n" + "\n".join(
        f"    {msgid!r}: {', '.join(files)}" for msgid, files in sorted(twice.items())
    )


def test_every_shown_msgid_has_an_indonesian_translation() -> None:
    known = translations()
    missing: dict[str, set[str]] = defaultdict(set)
    for msgid, where in itertools.chain(template_msgids(), code_msgids()):
        if not known.get(msgid, ("", None))[0].strip():
            area = where.split(" (")[0].split(":")[0]
            missing[area].add(msgid)
    assert not missing, "no Indonesian translation, by area:\n" + _report(missing)


def test_placeholders_match() -> None:
    wrong = []
    for msgid, (translated, path) in translations().items():
        if translated and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(translated)):
            wrong.append(f"    {path.name}: {msgid!r} → {translated!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_extraction_sees_the_templates_and_the_code() -> None:
    """A guard for the checks above: an extraction that found nothing would pass them all."""
    from_templates = {msgid for msgid, _ in template_msgids()}
    from_code = {msgid for msgid, _ in code_msgids()}
    assert "Skip to content" in from_templates
    assert "Customer code, PPPoE username or phone" in from_templates
    assert "This login belongs to the subscriber portal." in from_code
    assert "The tenant, login or password is not right." in from_code
    assert MESSAGES["NOT_FOUND"] in from_code
