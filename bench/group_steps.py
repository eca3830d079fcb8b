"""What our own steps cost per cell when a group of cells runs them (a script that prints figures, not a
test: they depend on the machine and on what else runs on it).

    .tools/bin/uv run --frozen --no-sync python bench/group_steps.py                 # this tree
    .tools/bin/uv run --frozen --no-sync python bench/group_steps.py --baseline main # and main's code

One group of `--cells` cells of one model (the `1000x1c50` scenario's org) runs the six steps through
`steps.groups.run_group`, as a mapped task does, against a scratch PostgreSQL database (created and
dropped) and a scratch SQLite file. The simulator answers at zero latency over real HTTP from a
process of its own, so the CPU measured is the steps' (and the AI client's), not the simulator's.
Each step of each group runs in a fresh process, as each task instance does, so per-process caches
start cold. Printed per step: CPU-ms and wall-ms per cell, SQL statements and transactions per cell,
and apart, the CPU-ms of importing the step's modules, once per group (task process).

With `--baseline REV`, the same groups also run on REV's `include/` (taken with `git archive`, the
worktree untouched), interleaved with this tree's runs, and every figure is also given as this tree's
ratio to REV's. The databases are set up by this tree's code: both versions must share the schema.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from airflow_bench import PG_ADMIN_URL, SCENARIOS, _free_port, bench_org
from sqlalchemy import event

from ai_visibility.steps.registry import STEP_NAMES

ROOT = Path(__file__).resolve().parents[1]
CONN_ID = "bench_sim"


@contextmanager
def simulator() -> Iterator[str]:
    """The simulator over HTTP in a process of its own; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603  # this interpreter, our own module
        [sys.executable, "-c", "from ai_visibility.simulator.server import main; main()", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise SystemExit(f"the simulator did not listen on port {port}")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait()


def resolver(base_url: str) -> Any:
    from ai_visibility.ai.endpoint import Endpoint

    return lambda conn_id: Endpoint.from_connection(conn_id, base_url, "sk-bench", {})


@contextmanager
def scratch_database(kind: str, workdir: Path) -> Iterator[str]:
    """A migrated, empty app database of `kind` (postgres or sqlite), dropped afterwards."""
    from ai_visibility.db.engine import _engine
    from ai_visibility.db.migrate import upgrade

    if kind == "sqlite":
        url = f"sqlite:///{workdir}/app-{uuid.uuid4().hex[:8]}.db"
        upgrade(url)
        yield url
        _engine(url, True).dispose()
        return
    from ai_visibility.db.scratch import scratch_postgres

    with scratch_postgres(PG_ADMIN_URL, "aiv_bench") as url:
        yield url


def queued_group(url: str, base_url: str, cells: int) -> list[str]:
    """Store the scenario's org, build its queue in groups of `cells`, and return the first group's cells."""
    from ai_visibility.db import Database
    from ai_visibility.load_org import load_org
    from ai_visibility.org_store import save_org
    from ai_visibility.queue import build_queue
    from ai_visibility.run_conf import parse_run_conf

    db = Database(url)
    org = bench_org(SCENARIOS["1000x1c50"], CONN_ID)
    save_org(db, org)
    conf = parse_run_conf({"org_id": org.id, "cells_per_task": cells})
    items = build_queue(db, load_org(db, conf, f"bench__{uuid.uuid4().hex[:8]}", resolver(base_url)), 1024)
    return list(items[0]["cells"])


def measure_step(url: str, base_url: str, step: str, cells: list[str], calls: int) -> dict[str, Any]:
    """Run `step` over the group in this process (fresh, as a task instance's) and return its costs."""
    from ai_visibility.db import Database
    from ai_visibility.steps import groups
    from ai_visibility.steps.context import StepContext
    from ai_visibility.steps.registry import step_function

    db = Database(url)
    counts = {"statements": 0, "transactions": 0}

    def on_execute(*args: Any) -> None:
        statement = str(args[2]).lstrip().upper()
        if not statement.startswith(("BEGIN", "PRAGMA")):
            counts["statements"] += 1

    def on_commit(*_: Any) -> None:
        counts["transactions"] += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    db.wait_until_reachable()  # the connection, as `pre_execute` makes it, outside the step's figures
    context = StepContext(resolver(base_url), 30.0)
    # The step's imports (the `openai` SDK for the AI call) once per task process: apart, since no
    # change to our steps makes them cheaper.
    imported = time.process_time()
    step_function(step)
    imported = time.process_time() - imported
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = groups.run_group(db, step, cells, context, calls if step == groups.FIRST_STEP else 1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if outcome.failed:
        raise SystemExit(f"{step} failed: {outcome}")
    return {"cpu_ms": cpu * 1000, "wall_ms": wall * 1000, **counts, "import_ms": imported * 1000}


def baseline_tree(rev: str, workdir: Path) -> Path:
    """REV's `include/`, unpacked from `git archive`."""
    target = workdir / "baseline"
    target.mkdir()
    git = ["git", "-C", str(ROOT), "archive", rev, "include"]
    archive = subprocess.run(git, check=True, capture_output=True)  # noqa: S603  # git and the revision from the command line
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / "include"


def run_version(include: Path | None, url: str, base_url: str, cells: list[str], calls: int) -> dict[str, Any]:
    """Each step over the group, each in a fresh process importing the code under `include`."""
    env = dict(os.environ)
    if include is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(include), env.get("PYTHONPATH", "")])
    figures = {}
    for step in STEP_NAMES:
        out = subprocess.run(  # noqa: S603  # this interpreter, this script
            [sys.executable, __file__, "--measure", step, "--url", url, "--sim", base_url, "--calls", str(calls)],
            input=json.dumps(cells),
            env=env,
            check=False,  # its error is raised with its output below
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise SystemExit(f"{step} failed:\n{out.stderr[-3000:]}")
        figures[step] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def median_of(runs: list[dict[str, Any]], step: str, key: str, cells: int) -> float:
    return float(statistics.median(run[step][key] for run in runs)) / cells


def print_table(kind: str, runs: dict[str, list[dict[str, Any]]], cells: int) -> None:
    have_base = "baseline" in runs
    head = f"{kind}: per cell, median of {len(runs['tree'])} groups of {cells}"
    print(f"\n{head}" + (" (this tree / baseline)" if have_base else ""))
    print(f"{'step':<22}{'CPU-ms':>16}{'wall-ms':>16}{'statements':>18}{'transactions':>18}{'import CPU-ms/group':>22}")
    total: dict[str, dict[str, float]] = {"tree": {}, "baseline": {}}
    for step in STEP_NAMES:
        cols = []
        for key in ("cpu_ms", "wall_ms", "statements", "transactions"):
            now = median_of(runs["tree"], step, key, cells)
            total["tree"][key] = total["tree"].get(key, 0) + now
            if have_base:
                base = median_of(runs["baseline"], step, key, cells)
                total["baseline"][key] = total["baseline"].get(key, 0) + base
                cols.append(f"{now:.1f}/{base:.1f}")
            else:
                cols.append(f"{now:.1f}")
        imports = [median_of(runs[name], step, "import_ms", 1) for name in runs]
        cols.append("/".join(f"{i:.0f}" for i in imports))
        print(f"{step:<22}" + "".join(f"{c:>{w}}" for c, w in zip(cols, (16, 16, 18, 18, 22), strict=True)))
    cols = []
    for key in ("cpu_ms", "wall_ms", "statements", "transactions"):
        now = total["tree"][key]
        cols.append(f"{now:.1f}/{total['baseline'][key]:.1f}" if have_base else f"{now:.1f}")
    print(f"{'all six':<22}" + "".join(f"{c:>{w}}" for c, w in zip(cols, (16, 16, 18, 18), strict=True)))
    if have_base:
        ratios = "  ".join(
            f"{key} ×{total['tree'][key] / total['baseline'][key]:.2f}"
            for key in ("cpu_ms", "wall_ms", "statements", "transactions")
        )
        print(f"{'ratio (tree/base)':<22}{ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, default=50, help="cells in the group (default 50)")
    parser.add_argument("--calls", type=int, default=8, help="the group's AI calls at once (its pool's 8 slots)")
    parser.add_argument("--repeat", type=int, default=3, help="groups per version and database (default 3)")
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--baseline", metavar="REV", help="also run REV's code, interleaved, and print ratios")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--sim", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        cells = json.loads(sys.stdin.read())
        print(json.dumps(measure_step(args.url, args.sim, args.measure, cells, args.calls)))
        return
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="aiv-group-bench-") as tmp, simulator() as base_url:
        workdir = Path(tmp)
        versions: dict[str, Path | None] = {"tree": None}
        if args.baseline:
            versions["baseline"] = baseline_tree(args.baseline, workdir)
        for kind in args.databases.split(","):
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
            for _ in range(args.repeat):
                for name, include in versions.items():
                    with scratch_database(kind, workdir) as url:
                        cells = queued_group(url, base_url, args.cells)
                        runs[name].append(run_version(include, url, base_url, cells, args.calls))
            print_table(kind, runs, args.cells)
    print(f"\nload average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
