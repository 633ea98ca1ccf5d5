"""The processes `./dev up` runs (every replica and the gateway): start, wait until ready, and
restart one that dies.

Killing the active replica is the failover drill of docs/operations.md, so one dead process must
not end the suite: the supervisor restarts it on the same port (the gateway's upstream list is
fixed at its start), after a jittered, growing delay (`Backoff`) so a process that cannot start
does not spin, logs both, and leaves the others running. Each process's pid is kept in
`<run_dir>/<name>.pid` for SREs (and the drill) to find it.

`DatastoreWatch` does the same for the suite's own PostgreSQL and NATS, and resumes services a
killed `lc restore` left paused (livecommerce/backup/pause.py).

The suite itself keeps its pid in `<data_dir>/suite.pid`, so a suite started in the background
(`./dev up --detach`, or `./dev up &`) is stopped by `./dev down`: SIGTERM, then wait.

A suite that died without stopping its processes (kill -9, the OOM killer) leaves them running,
each in a session of its own, on the suite's ports. `leftover_processes` finds them through
`<run_dir>/*.pid`, counting a pid only when its command line (`python -m <the name's module>`)
and its environment (its name and port) prove it is the suite's: a pid file outlives its
process, and the pid may since belong to anything. `./dev down` stops them
(and the datastores), `./dev up` stops them before starting.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from livecommerce.backup.pause import restore_owner, resume_abandoned
from livecommerce.devstack.ports import LocalServer, free_port, process_alive, process_command_line, read_pid, wait_until
from livecommerce.runtime.backoff import Backoff

ROOT = Path(__file__).resolve().parent.parent
STABLE_SECONDS = 30.0
"""A process up this long has recovered: its next death starts from the shortest delay again."""


def start_process(module: str, name: str, env: dict[str, str], log_dir: Path, *, port: int | None = None) -> tuple[subprocess.Popen, int]:
    """Runs `python -m module` on `port` (a free one by default); its stderr (JSON logs) goes to
    `<log_dir>/<name>.log`."""
    port = port or free_port()
    log = (log_dir / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={**env, "GRPC_PORT": str(port), "REPLICA_ID": name},
        stdout=subprocess.PIPE,
        stderr=log,
        start_new_session=True,
    )
    return process, port


def wait_ready(process: subprocess.Popen, name: str, log_dir: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline().decode()
        if "ready on" in line:
            return
        if process.poll() is not None:
            break
    tail = (log_dir / f"{name}.log").read_text(errors="replace")[-2000:]
    raise SystemExit(f"{name} did not start:\n{tail}")


@dataclass
class Child:
    name: str
    module: str
    env: dict[str, str]
    port: int
    process: subprocess.Popen
    started_at: float
    backoff: Backoff = field(default_factory=lambda: Backoff(initial=0.5, maximum=30.0))
    restart_at: float | None = None
    """When a dead process is due to start again; None while it runs."""


class Supervisor:
    def __init__(self, log_dir: Path, run_dir: Path, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.log_dir, self.run_dir, self._clock = log_dir, run_dir, clock
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.children: dict[str, Child] = {}

    def start(self, name: str, module: str, env: dict[str, str], *, port: int, backoff: Backoff | None = None) -> Child:
        """`backoff`: the delays before each restart (default: from half a second up to 30 s)."""
        process, _ = start_process(module, name, env, self.log_dir, port=port)
        child = self.children[name] = Child(name, module, env, port, process, self._clock())
        if backoff is not None:
            child.backoff = backoff
        self._write_pid(child)
        return child

    def wait_ready(self, name: str) -> None:
        wait_ready(self.children[name].process, name, self.log_dir)

    def check(self) -> None:
        """One pass: schedule the restart of each process found dead, restart those due."""
        now = self._clock()
        for child in self.children.values():
            if child.restart_at is None and child.process.poll() is not None:
                delay = child.backoff.next()
                child.restart_at = now + delay
                log(f"{child.name} exited with {child.process.returncode}; restarting it on port {child.port}"
                    f" in {delay:.1f}s (log {self.log_dir / (child.name + '.log')})")
            elif child.restart_at is not None and now >= child.restart_at:
                if child.process.stdout is not None:
                    child.process.stdout.close()
                child.process, _ = start_process(child.module, child.name, child.env, self.log_dir, port=child.port)
                child.started_at, child.restart_at = now, None
                self._write_pid(child)
                log(f"{child.name} restarted on port {child.port} (pid {child.process.pid})")
            elif child.restart_at is None and now - child.started_at >= STABLE_SECONDS:
                child.backoff.reset()

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to all (they drain), then SIGKILL to any still running after `timeout`."""
        stop_processes([c.process for c in self.children.values()], timeout)
        for child in self.children.values():
            (self.run_dir / f"{child.name}.pid").unlink(missing_ok=True)

    def _write_pid(self, child: Child) -> None:
        (self.run_dir / f"{child.name}.pid").write_text(f"{child.process.pid}\n")


class DatastoreWatch:
    """The suite's own datastores, started again when found dead (kill -9, the OOM killer): on
    their ports and data directories, so PostgreSQL replays its WAL and JetStream its file store
    (nothing acknowledged is lost) and the services' pools and connections find them again.
    PostgreSQL is left alone while `lc restore` works (it stops the server and swaps its data
    directory); services a restore killed mid-way left paused are resumed."""

    def __init__(
        self, data_dir: Path, servers: dict[str, LocalServer], *, clock: Callable[[], float] = time.monotonic, interval: float = 1.0
    ) -> None:
        self.data_dir, self.servers, self._clock, self._interval = data_dir, servers, clock, interval
        self._next_look = 0.0
        self._retry_at: dict[str, float] = {}
        self._backoff = {name: Backoff(initial=1.0, maximum=30.0) for name in servers}

    def check(self) -> None:
        now = self._clock()
        if now < self._next_look:
            return
        self._next_look = now + self._interval
        resumed = resume_abandoned(self.data_dir)
        if resumed:
            log(f"a restore ended without resuming the services it paused; resumed {', '.join(resumed)}")
        restoring = restore_owner(self.data_dir) is not None
        for name, server in self.servers.items():
            if (restoring and name == "PostgreSQL") or now < self._retry_at.get(name, 0.0) or server.is_running():
                continue
            log(f"{name} is down; starting it again on its port and data directory")
            try:
                server.start()
            except Exception as error:  # a start that fails is retried; the suite goes on
                delay = self._backoff[name].next()
                self._retry_at[name] = now + delay
                log(f"{name} did not start ({error}); trying again in {delay:.1f}s")
                continue
            self._backoff[name].reset()
            log(f"{name} is running again")


def stop_processes(processes: list[subprocess.Popen], timeout: float) -> None:
    """SIGCONT (a paused process cannot drain) and SIGTERM to every running one, then SIGKILL to
    any still running after `timeout`; every one is reaped."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGCONT)
        process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def leftover_processes(run_dir: Path, modules: Mapping[str, str], ports: Mapping[str, int | None]) -> dict[str, int]:
    """The processes a dead suite left running: each `<run_dir>/<name>.pid` naming a live process
    that runs `python -m modules[name]`, as `name` on `ports[name]` by its environment (a suite on
    another data directory runs the same command lines)."""
    found = {}
    for path in sorted(run_dir.glob("*.pid")):
        name, pid = path.stem, read_pid(path)
        if pid is not None and name in modules and process_alive(pid) and _runs_as(pid, name, modules[name], ports.get(name)):
            found[name] = pid
    return found


def _runs_as(pid: int, name: str, module: str, port: int | None) -> bool:
    command = process_command_line(pid) or []
    if command[1:] != ["-m", module] or not Path(command[0]).name.startswith("python"):
        return False
    environment = _environment(pid)
    if environment is None:  # another user's process: not one this suite started (nor one we may signal)
        return False
    return environment.get("REPLICA_ID") == name and (port is None or environment.get("GRPC_PORT") == str(port))


def _environment(pid: int) -> dict[str, str] | None:
    try:
        raw = (Path("/proc") / str(pid) / "environ").read_bytes()
    except OSError:
        return None
    pairs = (entry.decode(errors="replace").partition("=") for entry in raw.split(b"\0") if entry)
    return {key: value for key, _, value in pairs}


def stop_leftovers(run_dir: Path, leftovers: Mapping[str, int], timeout: float = 10.0) -> None:
    """SIGCONT and SIGTERM to each of `leftovers` (name: pid, from `leftover_processes`), SIGKILL to
    any still running after `timeout`; their pid files go."""
    for pid in leftovers.values():
        for signal_number in (signal.SIGCONT, signal.SIGTERM):
            try:
                os.kill(pid, signal_number)
            except ProcessLookupError:
                break
    deadline = time.monotonic() + timeout
    while any(process_alive(pid) for pid in leftovers.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in leftovers.values():
        if process_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not any(process_alive(pid) for pid in leftovers.values()), timeout, "a left-over process survived SIGKILL", interval=0.1)
    for name, pid in leftovers.items():
        path = run_dir / f"{name}.pid"
        if read_pid(path) == pid:
            path.unlink()


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


UP_MARK = "stops the suite"
"""In the last line `up` prints once everything is ready."""
UP_LINE = f"Ctrl-C (or ./dev down) {UP_MARK}."
"""That last line, as a suite in the foreground prints it; a detached one leaves it out."""


def claim_pid_file(data_dir: Path) -> None:
    """Records this process as the suite of `data_dir`; refuses when another one runs there."""
    path = data_dir / "suite.pid"
    pid = read_pid(path)
    if pid is not None and pid != os.getpid() and _is_suite(pid):
        raise SystemExit(f"a suite already runs on {data_dir} (pid {pid}); `./dev down` stops it")
    path.write_text(f"{os.getpid()}\n")


def release_pid_file(data_dir: Path) -> None:
    path = data_dir / "suite.pid"
    if read_pid(path) == os.getpid():
        path.unlink()


def down(data_dir: Path, timeout: float = 90.0, *, clean_up: Callable[[], list[str]] | None = None) -> int:
    """Stops the suite running on `data_dir` (SIGTERM: it stops its processes and datastores) and
    waits until it is gone. With no suite running, `clean_up` stops what a suite that died left
    running and names it."""
    path = data_dir / "suite.pid"
    pid = read_pid(path)
    if pid is None or not _is_suite(pid):
        path.unlink(missing_ok=True)
        stopped = clean_up() if clean_up is not None else []
        if stopped:
            print(f"no suite runs on {data_dir}; stopped what one that died there left running: {', '.join(stopped)}")
        else:
            print(f"no suite runs on {data_dir}")
        return 0
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not process_alive(pid), timeout, f"the suite (pid {pid}) did not stop within {timeout:.0f}s", interval=0.1)
    print(f"stopped the suite on {data_dir} (pid {pid})")
    return 0


def detach(data_dir: Path, timeout: float = 300.0) -> int:
    """Starts `up` in the background, prints its start-up output once it is ready, and returns."""
    log_path = data_dir / "logs" / "suite.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    offset = log_path.stat().st_size if log_path.exists() else 0
    with log_path.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "livecommerce.suite", "up", "--data-dir", str(data_dir)],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def printed() -> str:
        with log_path.open(errors="replace") as handle:
            handle.seek(offset)
            return handle.read()

    wait_until(lambda: UP_MARK in printed() or process.poll() is not None, timeout, f"the suite did not start; see {log_path}", interval=0.2)
    # Ctrl-C is for the foreground suite; in the background, `./dev down` is what stops it.
    print(printed().replace(UP_LINE + "\n", ""), end="")
    if process.poll() is not None:
        return process.returncode or 1
    print(f"The suite runs in the background (pid {process.pid}; output in {log_path}); `./dev down` stops it.")
    return 0


def _is_suite(pid: int) -> bool:
    command = process_command_line(pid) or []
    return process_alive(pid) and "livecommerce.suite" in command
