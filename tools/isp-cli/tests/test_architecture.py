"""The house rules a reader relies on to find things: SQL lives in a service's adapters/ (and its
migrations), never in its domain, use cases, routes or consumers. import-linter refuses the
database libraries there (`make lint`); this catches SQL written as plain strings."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SQL = re.compile(
    r"""["'](?:\s*)(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"""
    r"""CREATE\s+(?:TABLE|INDEX)|ALTER\s+TABLE|TRUNCATE|LOCK\s+TABLE|pg_advisory)""",
    re.IGNORECASE,
)
WHERE_SQL_BELONGS = {"adapters", "migrations"}


def sql_outside_adapters(root: Path) -> list[str]:
    found = []
    for source in sorted(root.glob("services/*/src/isp_*/**/*.py")):
        inside = set(source.relative_to(root).parts[3:-1])
        if inside & WHERE_SQL_BELONGS or not inside:
            continue  # adapters/, migrations/, and the wiring modules at the package root
        for number, line in enumerate(source.read_text().splitlines(), 1):
            if SQL.search(line):
                found.append(f"{source.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_sql_outside_adapters() -> None:
    assert sql_outside_adapters(ROOT) == []


def test_the_check_sees_sql_in_a_use_case(tmp_path: Path) -> None:
    use_case = tmp_path / "services/demo/src/isp_demo/use_cases/sneaky.py"
    use_case.parent.mkdir(parents=True)
    use_case.write_text('QUERY = "SELECT id FROM demo.things WHERE tenant_id = $1"\n')
    adapter = tmp_path / "services/demo/src/isp_demo/adapters/things.py"
    adapter.parent.mkdir(parents=True)
    adapter.write_text('QUERY = "SELECT id FROM demo.things"\n')
    assert sql_outside_adapters(tmp_path) == [
        "services/demo/src/isp_demo/use_cases/sneaky.py:1: "
        'QUERY = "SELECT id FROM demo.things WHERE tenant_id = $1"'
    ]
