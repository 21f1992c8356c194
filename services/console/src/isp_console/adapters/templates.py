"""The Jinja2 environments, one per locale (gettext installed), rendered whole or by block
(jinja2-fragments) so an htmx request gets only the part of the page it replaces."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments import render_block

from isp_console.adapters.i18n import translations

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
MACROS = "shared/macros.html"


@cache
def environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env


def render(locale: str, template: str, context: dict[str, Any], block: str | None = None) -> str:
    env = environment(locale)
    if block is None:
        return env.get_template(template).render(context)
    # A block rendered alone runs none of its template's top-level statements, so the macros
    # the page imports (`m`) are handed to it, bound to the same context (csrf_token…).
    macros = env.get_template(MACROS).make_module(context)
    return render_block(env, template, block, {"m": macros, **context})
