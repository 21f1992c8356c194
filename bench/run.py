"""`make bench`: run the benchmarks, write bench/results.json and docs/performance.md.

    uv run python bench/run.py [--only NAME ...] [--duration S] [--rounds N] [--events N]

Every bench measures its subject and a baseline in the same run, on the same machine, so the
result is a ratio that does not depend on how fast this machine is. results.json maps each bench
to `{value, baseline, ratio, target, unit}`; a target is met when `ratio ≥ target` (or, without a
baseline, `value ≤ target` for times and `value ≥ target` for rates). The database is
`isp_bench` (ISP_BENCH_DATABASE_URL), recreated and migrated with `isp migrate`'s code at start.
Exit code: 0 when every bench ran and met its target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import agent_activation
import agent_full_sync
import audit_trail
import billing_run
import charts
import console_pages
import customers_get
import customers_search
import gateway as gateway_bench
import harness
import network_ingest
import network_series
import relay
from isp_cli import infra
from isp_cli.services import service
from measure import LOWER_IS_BETTER, Measurement, target_met

# The budgets of the platform first (the rows of docs/performance.md), then the other benches.
BENCHES: tuple[ModuleType, ...] = (
    customers_get,
    gateway_bench,
    customers_search,
    agent_activation,
    relay,
    billing_run,
    network_ingest,
    agent_full_sync,
    network_series,
    audit_trail,
    console_pages,
)
RESULTS = harness.BENCH_DIR / "results.json"
PERFORMANCE_MD = harness.ROOT / "docs" / "performance.md"
CHARTS_DIR = harness.ROOT / "docs" / "performance"


def prepare_database(ctx: harness.BenchContext) -> None:
    asyncio.run(harness.recreate_database(ctx.owner_url))
    customers = service("customers")
    if customers.migrations_dir() is None:
        raise harness.BenchUnavailable("isp_customers has no migrations yet")
    infra.migrate(ctx.settings(), customers)


def run_bench(module: ModuleType, ctx: harness.BenchContext) -> Measurement:
    runner: Callable[[harness.BenchContext], Coroutine[Any, Any, Measurement]] = module.run
    return asyncio.run(runner(ctx))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="run only this bench (repeatable)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per HTTP phase")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per bench")
    parser.add_argument("--connections", type=int, default=16, help="HTTP keep-alive connections")
    parser.add_argument("--events", type=int, default=10000, help="events per relay run")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    ctx = harness.BenchContext(
        owner_url=harness.bench_owner_url(),
        duration=args.duration,
        connections=args.connections,
        events=args.events,
        rounds=args.rounds,
    )
    chosen = [m for m in BENCHES if not args.only or m.NAME in args.only]
    unknown = set(args.only or []) - {m.NAME for m in BENCHES}
    if unknown:
        parser.error(f"unknown bench(es) {', '.join(sorted(unknown))}")

    measured: dict[str, Measurement] = {}
    missing: dict[str, str] = {}
    started = time.monotonic()
    try:
        print(f"bench database {ctx.owner_url.rsplit('/', 1)[-1]}: recreating and migrating")
        prepare_database(ctx)
    except harness.BenchUnavailable as exc:
        missing = {m.NAME: str(exc) for m in chosen}
        chosen = []
    try:
        for module in chosen:
            print(f"{module.NAME}: running")
            try:
                result = run_bench(module, ctx)
            except harness.BenchUnavailable as exc:
                missing[module.NAME] = f"not runnable yet: {exc}"
                print(f"{module.NAME}: skipped ({exc})")
                continue
            except Exception as exc:
                traceback.print_exc()
                missing[module.NAME] = f"failed: {type(exc).__name__}: {exc}"[:500]
                continue
            measured[module.NAME] = result
            # A bench may hold more than one budget (console_pages: time and transfer).
            measured.update(getattr(module, "ALSO_MEASURED", {}))
            ratio = f"{result.ratio:.2f}" if result.ratio is not None else "-"
            print(
                f"{module.NAME}: {result.value:,.0f} {result.unit} vs baseline "
                f"{result.baseline or 0:,.0f} → ratio {ratio} (target ≥ {result.target}) "
                f"{'met' if result.met else 'NOT MET'}"
            )
    finally:
        if not args.keep_database:
            asyncio.run(harness.drop_database(ctx.owner_url))

    results = write_results(measured, merge=bool(args.only))
    write_performance_doc(results, measured, missing, time.monotonic() - started, args)
    print(
        f"wrote {RESULTS.relative_to(harness.ROOT)} and {PERFORMANCE_MD.relative_to(harness.ROOT)}"
    )
    ok = not missing and all(m.met for m in measured.values())
    return 0 if ok else 1


def write_results(measured: dict[str, Measurement], *, merge: bool) -> dict[str, dict[str, Any]]:
    """A full run replaces the file; `--only` replaces just the benches it ran."""
    results: dict[str, dict[str, Any]] = {}
    if merge and RESULTS.is_file():
        results = json.loads(RESULTS.read_text())
    results.update({name: m.as_result() for name, m in measured.items()})
    results = dict(sorted(results.items()))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    return results


def _target(entry: dict[str, Any]) -> str:
    if entry.get("ratio") is not None and not entry.get("absolute"):
        return f"ratio ≥ {entry['target']}"
    sign = "≤" if entry["unit"] in LOWER_IS_BETTER else "≥"
    return f"{sign} {entry['target']} {entry['unit']}"


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def write_performance_doc(
    results: dict[str, dict[str, Any]],
    measured: dict[str, Measurement],
    missing: dict[str, str],
    seconds: float,
    args: argparse.Namespace,
) -> None:
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`uv run python bench/run.py`); the figures are also in",
        "[bench/results.json](../bench/results.json). Each bench measures its subject and a",
        "baseline in the same run on the same machine; the ratio is what the targets below",
        "(the platform's performance budget) are about, since absolute rates depend on the",
        "machine.",
        "",
        f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; {seconds:.0f} s in all.",
        "",
        "| bench | value | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for name, entry in results.items():
        ratio = f"{entry['ratio']:.2f}" if entry.get("ratio") is not None else "-"
        unit = entry["unit"]
        earlier = "" if name in measured else " (an earlier run)"
        lines.append(
            f"| `{name}` | {_fmt(entry['value'], unit)} | {_fmt(entry.get('baseline'), unit)} "
            f"| {ratio} | {_target(entry)} | {'yes' if target_met(entry) else '**no**'}"
            f"{earlier} |"
        )
    for name, why in sorted(missing.items()):
        if name in results:
            continue
        lines.append(f"| `{name}` | - | - | - | - | not measured: {why} |")
    lines += ["", "## At a glance", ""]
    lines += [
        "Each chart: the path (green when it meets its target, red when not), its baseline from",
        "the same run (grey), and the dashed line the path must reach (or stay under).",
        "",
    ]
    for name, entry in results.items():
        chart = charts.chart(name, entry, target_met(entry), CHARTS_DIR)
        lines += [f"![{name}]({chart.relative_to(PERFORMANCE_MD.parent).as_posix()})", ""]
    lines += ["## What each bench measures", ""]
    for module in BENCHES:
        doc = (module.__doc__ or "").strip()
        lines += [
            f"### `{module.NAME}`",
            "",
            doc.split(": ", 1)[1] if doc.startswith("`") else doc,
            "",
        ]
        if module.NAME in measured:
            details = ", ".join(f"{k} {v}" for k, v in measured[module.NAME].details.items())
            lines += [f"This run: {details}.", ""]
            lines += getattr(module, "doc_lines", list)()
    lines += [
        "## Running it",
        "",
        "`make bench` needs PostgreSQL and RabbitMQ (as `make up` does). Options:",
        f"`--duration` seconds per HTTP phase (this run {args.duration}), `--rounds` alternating",
        f"rounds ({args.rounds}), `--connections` ({args.connections}), `--events` per relay run",
        f"({args.events}), `--only NAME`. Server logs land in `bench/.<server>.log`.",
        "",
    ]
    PERFORMANCE_MD.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE_MD.write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
