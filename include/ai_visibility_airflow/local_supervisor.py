"""Keeps a set of long-running components alive, each in its own process group, and never lets a
component's children outlive it.

Why groups: the scheduler's LocalExecutor workers hold metadata-database transactions on the runs
they work on. If they survived a killed scheduler, the restarted one would skip those runs until
someone killed the workers by hand. So when a component dies or is stopped, everything it started
goes too: its process group and every descendant (the Task SDK starts each task in a group of its
own), SIGTERM first, SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass
class Component:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, process group) of every live, non-zombie process; empty without /proc."""
    table: dict[int, tuple[int, int]] = {}
    if not PROC.is_dir():
        return table
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited while we looked
            continue
        # The command name in parentheses may hold spaces; the fields after it are fixed.
        state, ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if state != "Z":
            table[int(entry.name)] = (int(ppid), int(pgrp))
    return table


def process_tree(group: int) -> set[int]:
    """The live members of a process group and all their descendants, whatever their own group."""
    table = _process_table()
    found = {pid for pid, (_, pgrp) in table.items() if pgrp == group}
    frontier = set(found)
    while frontier:
        frontier = {pid for pid, (ppid, _) in table.items() if ppid in frontier} - found
        found |= frontier
    return found


def _group_alive(group: int) -> bool:
    if PROC.is_dir():
        return bool(process_tree(group))
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _signal(groups: Iterable[int], pids: Iterable[int], sig: signal.Signals) -> None:
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def kill_groups(groups: Iterable[int], grace_s: float) -> None:
    """SIGTERM each group and its descendants, then SIGKILL whatever is still there after `grace_s`."""
    groups = list(groups)
    members = {pid for group in groups for pid in process_tree(group)}
    _signal(groups, members, signal.SIGTERM)
    _wait_gone(groups, members, grace_s)
    # Descendants found now include any started after the first look (a worker forking a task).
    members |= {pid for group in groups for pid in process_tree(group)}
    _signal(groups, members, signal.SIGKILL)
    _wait_gone(groups, members, 5)  # SIGKILL is delivered asynchronously


def _wait_gone(groups: list[int], members: set[int], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and (any(_group_alive(g) for g in groups) or _any_alive(members)):
        time.sleep(0.1)


def _any_alive(pids: set[int]) -> bool:
    return bool(pids & _process_table().keys()) if PROC.is_dir() else False


def describe_exit(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


class Supervisor:
    """Starts components, restarts one that dies (after a backoff that doubles on quick deaths, until
    `max_quick_deaths` in a row make it give up), and stops them all with their process trees."""

    def __init__(
        self,
        components: dict[str, list[str]],
        env: dict[str, str],
        logs: Path,
        *,
        pidfile: Path | None = None,
        grace_s: float = 30,
        orphan_grace_s: float = 5,
        backoff_s: float = 1,
        max_backoff_s: float = 30,
        quick_s: float = 30,
        max_quick_deaths: int = 5,
        say: Callable[[str], None] = lambda line: print(line, flush=True),
    ) -> None:
        self.components = {name: Component(name, argv) for name, argv in components.items()}
        self.env = env
        self.logs = logs
        self.pidfile = pidfile
        self.grace_s = grace_s
        self.orphan_grace_s = orphan_grace_s
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.quick_s = quick_s
        self.max_quick_deaths = max_quick_deaths
        self.say = say
        self.given_up: dict[str, int] = {}  # name -> its last exit code
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def pids(self) -> dict[str, int]:
        """Each running component's pid, which is also its process group id."""
        return {c.name: c.process.pid for c in self.components.values() if c.process is not None}

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for component in self.components.values():
            self._spawn(component)
        self._write_pidfile()

    def start_in_background(self, every_s: float = 1) -> None:
        """Start, then check the components every `every_s` seconds in a thread until `stop()`."""
        self.start()
        self._thread = threading.Thread(target=self._watch, args=(every_s,), name="supervisor", daemon=True)
        self._thread.start()

    def _watch(self, every_s: float) -> None:
        while not self._stopping.wait(every_s):
            self.check()

    def _spawn(self, component: Component) -> subprocess.Popen[bytes]:
        with (self.logs / f"{component.name}.log").open("ab") as out:
            process = subprocess.Popen(
                component.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        component.process = process
        component.started = time.monotonic()
        component.restart_at = None
        return process

    def check(self) -> None:
        """One pass: clean up after and schedule the restart of components that died, restart those due."""
        with self._lock:
            if self._stopping.is_set():
                return
            changed = False
            for component in self.components.values():
                if component.process is not None and component.process.poll() is not None:
                    self._died(component, component.process)
                    changed = True
                elif component.restart_at is not None and time.monotonic() >= component.restart_at:
                    pid = self._spawn(component).pid
                    self.say(f"supervisor: restarted {component.name} (pid {pid})")
                    changed = True
            if changed:
                self._write_pidfile()

    def _died(self, component: Component, process: subprocess.Popen[bytes]) -> None:
        code = process.returncode
        kill_groups([process.pid], self.orphan_grace_s)
        component.process = None
        quick = time.monotonic() - component.started < self.quick_s
        component.quick_deaths = component.quick_deaths + 1 if quick else 0
        log = self.logs / f"{component.name}.log"
        if component.quick_deaths >= self.max_quick_deaths:
            self.given_up[component.name] = code
            self.say(
                f"supervisor: {component.name} {describe_exit(code)}; it died {component.quick_deaths} times in a "
                f"row within {self.quick_s:g}s of starting, so it is not restarted again (see {log})"
            )
            return
        delay = min(self.max_backoff_s, self.backoff_s * 2**component.quick_deaths)
        component.restart_at = time.monotonic() + delay
        self.say(
            f"supervisor: {component.name} {describe_exit(code)}; stopped its process group; "
            f"restarting it in {delay:g}s (see {log})"
        )

    def stop(self) -> None:
        """Stop watching, then SIGTERM every component's tree together and SIGKILL what outlives the grace."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            running = [c.process for c in self.components.values() if c.process is not None]
            kill_groups([p.pid for p in running], self.grace_s)
            for process in running:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(5)
            for component in self.components.values():
                component.process = None
            if self.pidfile is not None:
                self.pidfile.unlink(missing_ok=True)

    def _write_pidfile(self) -> None:
        if self.pidfile is not None:
            self.pidfile.write_text(json.dumps({"supervisor": os.getpid(), "groups": self.pids()}))


def stop_from_pidfile(pidfile: Path, grace_s: float = 30) -> bool:
    """Stop the supervisor that wrote `pidfile` (it stops its components), and kill any component
    group left behind, as when the supervisor itself was killed. False if nothing was running."""
    if not pidfile.exists():
        return False
    text = pidfile.read_text()
    if text.lstrip().startswith("{"):
        recorded = json.loads(text)
        supervisor, groups = int(recorded["supervisor"]), [int(g) for g in recorded["groups"].values()]
    else:  # the plain list of groups that versions before the supervisor wrote
        supervisor, groups = 0, [int(g) for g in text.split()]
    if supervisor:
        with contextlib.suppress(ProcessLookupError):
            os.kill(supervisor, signal.SIGTERM)
            deadline = time.monotonic() + grace_s + 10
            while time.monotonic() < deadline and _pid_alive(supervisor):
                time.sleep(0.2)
    kill_groups([g for g in groups if _group_alive(g)], grace_s)
    pidfile.unlink(missing_ok=True)
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return pid in _process_table() if PROC.is_dir() else True
