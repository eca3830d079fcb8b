"""The local Airflow's supervisor, with tiny fake components shaped like Airflow's: a "scheduler"
whose executor worker shares its process group and runs a task in a group of its own (as the Task
SDK does), and components that exit at once."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ai_visibility_airflow.local_supervisor import Supervisor, stop_from_pidfile

FAKE = """
import os, signal, subprocess, sys, time
record, role = sys.argv[1], sys.argv[2]
if role == "exits":
    sys.exit(3)
with open(record, "a") as out:
    out.write(f"{role} {os.getpid()}\\n")
me = [sys.executable, __file__, record]
if role == "scheduler":
    subprocess.Popen([*me, "worker"])
elif role == "worker":
    subprocess.Popen([*me, "task"], start_new_session=True)
if role in ("worker", "task"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # only the SIGKILL after the grace ends them
time.sleep(600)
"""


def _running(pid: int) -> bool:
    """Alive, and not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _until(condition: Callable[[], bool], step: Callable[[], None] = lambda: None, timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        step()
        if condition():
            return True
        time.sleep(0.1)
    return False


class Fakes:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.script = folder / "fake.py"
        self.script.write_text(FAKE)
        self.said: list[str] = []
        self.started: list[Supervisor] = []

    def command(self, name: str, role: str) -> list[str]:
        return [sys.executable, str(self.script), str(self.folder / f"{name}.pids"), role]

    def pids(self, name: str) -> dict[str, list[int]]:
        """The pids each process of component `name` recorded, by role (restarts append)."""
        found: dict[str, list[int]] = {}
        file = self.folder / f"{name}.pids"
        for line in file.read_text().splitlines() if file.exists() else []:
            role, pid = line.split()
            found.setdefault(role, []).append(int(pid))
        return found

    def supervise(self, roles: dict[str, str], **options: Any) -> Supervisor:
        supervisor = Supervisor(
            {name: self.command(name, role) for name, role in roles.items()},
            dict(os.environ),
            self.folder / "logs",
            pidfile=self.folder / "airflow.pids",
            say=self.said.append,
            **{"grace_s": 1, "orphan_grace_s": 1, "backoff_s": 0.1, **options},
        )
        self.started.append(supervisor)
        return supervisor


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[Fakes]:
    fakes = Fakes(tmp_path)
    yield fakes
    for supervisor in fakes.started:
        supervisor.stop()


def _task_started(fakes: Fakes, name: str = "scheduler", count: int = 1) -> bool:
    return len(fakes.pids(name).get("task", [])) == count


def test_a_killed_scheduler_is_restarted_and_its_workers_and_tasks_go_with_it(fakes: Fakes) -> None:
    supervisor = fakes.supervise({"scheduler": "scheduler", "triggerer": "triggerer"})
    supervisor.start()
    assert _until(lambda: _task_started(fakes))
    first, triggerer = supervisor.pids()["scheduler"], supervisor.pids()["triggerer"]
    (worker,), (task,) = fakes.pids("scheduler")["worker"], fakes.pids("scheduler")["task"]
    assert os.getpgid(worker) == first and os.getpgid(task) == task

    os.kill(first, signal.SIGKILL)  # `kill -9` on the scheduler
    assert _until(lambda: supervisor.pids().get("scheduler") not in (None, first), supervisor.check)

    assert not _running(worker) and not _running(task)  # both ignored SIGTERM; the SIGKILL ended them
    assert _until(lambda: _task_started(fakes, count=2))  # the new scheduler has its own worker and task
    assert supervisor.pids()["triggerer"] == triggerer  # the others were left alone
    assert fakes.said[0].startswith("supervisor: scheduler was killed by SIGKILL; stopped its process group;")
    assert fakes.said[1].startswith("supervisor: restarted scheduler (pid ")
    recorded = json.loads((fakes.folder / "airflow.pids").read_text())
    assert recorded == {"supervisor": os.getpid(), "groups": supervisor.pids()}  # what `make airflow-stop` reads


def test_stop_ends_every_component_and_everything_they_started(fakes: Fakes) -> None:
    supervisor = fakes.supervise({"scheduler": "scheduler", "dag-processor": "scheduler"})
    supervisor.start()
    assert _until(lambda: _task_started(fakes) and _task_started(fakes, "dag-processor"))
    everything = [pid for name in ("scheduler", "dag-processor") for pids in fakes.pids(name).values() for pid in pids]
    assert len(everything) == 6

    supervisor.stop()

    assert [pid for pid in everything if _running(pid)] == []
    assert supervisor.pids() == {}
    assert not (fakes.folder / "airflow.pids").exists()


def test_it_gives_up_on_a_component_that_keeps_dying_at_once_and_says_so(fakes: Fakes) -> None:
    supervisor = fakes.supervise({"api-server": "exits", "triggerer": "triggerer"}, max_quick_deaths=3)
    supervisor.start()
    assert _until(lambda: "api-server" in supervisor.given_up, supervisor.check)

    deaths = [line for line in fakes.said if line.startswith("supervisor: api-server exited with code 3;")]
    assert len(deaths) == 3
    assert "restarting it in" in deaths[0] and "restarting it in" in deaths[1]
    assert "it died 3 times in a row within 30s of starting, so it is not restarted again" in deaths[2]
    assert supervisor.given_up == {"api-server": 3}
    for _ in range(5):
        supervisor.check()
    assert set(supervisor.pids()) == {"triggerer"}


def test_the_background_watch_restarts_a_dead_component_by_itself(fakes: Fakes) -> None:
    supervisor = fakes.supervise({"triggerer": "triggerer"})
    supervisor.start_in_background(every_s=0.1)
    first = supervisor.pids()["triggerer"]
    os.kill(first, signal.SIGKILL)
    assert _until(lambda: supervisor.pids().get("triggerer") not in (None, first))
    supervisor.stop()
    assert not _running(first)


def test_stop_from_the_pidfile_ends_what_a_killed_supervisor_left_behind(fakes: Fakes) -> None:
    """`make airflow-stop` after the supervisor itself was killed: the components are still stopped."""
    supervisor = fakes.supervise({"scheduler": "scheduler"})
    supervisor.start()
    assert _until(lambda: _task_started(fakes))
    everything = [pid for pids in fakes.pids("scheduler").values() for pid in pids]
    pidfile = fakes.folder / "airflow.pids"
    recorded = json.loads(pidfile.read_text())
    pidfile.write_text(json.dumps({**recorded, "supervisor": 2**22 + 1}))  # a pid above Linux's maximum

    assert stop_from_pidfile(pidfile, grace_s=1)

    assert [pid for pid in everything if _running(pid)] == []
    assert not pidfile.exists()
    assert not stop_from_pidfile(pidfile)


def test_stop_from_a_pidfile_of_the_unsupervised_version_stops_its_groups(fakes: Fakes) -> None:
    supervisor = fakes.supervise({"scheduler": "scheduler"})
    supervisor.start()
    assert _until(lambda: _task_started(fakes))
    everything = [pid for pids in fakes.pids("scheduler").values() for pid in pids]
    pidfile = fakes.folder / "airflow.pids"
    pidfile.write_text(" ".join(str(pid) for pid in supervisor.pids().values()))  # the old format

    assert stop_from_pidfile(pidfile, grace_s=1)

    assert [pid for pid in everything if _running(pid)] == []
