"""A restore pauses the suite's services and never leaves them paused, even killed with SIGKILL
mid-way; and the suite keeps its datastores running, but for PostgreSQL while a restore works on
it (livecommerce/backup/pause.py, DatastoreWatch in livecommerce/supervisor.py). Real processes,
a real PostgreSQL and NATS in temporary directories."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from livecommerce.backup.pause import MARKER, restore_owner, resume_abandoned, services_paused
from livecommerce.backup.repository import BackupError
from livecommerce.devstack import nats_server_tls
from livecommerce.devstack.nats import LocalNats
from livecommerce.devstack.postgres import LocalPostgres
from livecommerce.supervisor import DatastoreWatch
from tests.conftest import NATS_USERS

ROOT = Path(__file__).resolve().parents[2]


def state(pid: int) -> str:
    """The process's state letter from /proc: T while stopped."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def stopped(pid: int) -> bool:
    """Whether `pid` is stopped, once a signal sent to it has taken effect: kill() returns before
    the kernel stops or continues the process, so its state is read until it settles (a second)."""
    deadline = time.monotonic() + 1.0
    while True:
        current = state(pid) == "T"
        if time.monotonic() >= deadline:
            return current
        time.sleep(0.01)


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def service(tmp_path) -> Iterator[subprocess.Popen]:
    """A process standing for a replica of the suite, with its pid file in run/."""
    process = subprocess.Popen(["sleep", "300"])
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "anchor-a.pid").write_text(f"{process.pid}\n")
    yield process
    process.send_signal(signal.SIGCONT)
    process.kill()
    process.wait()


@pytest.fixture
def restorer(tmp_path) -> Iterator[subprocess.Popen]:
    """A process that pauses the services as `lc restore` does and then works for a long time."""
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from livecommerce.backup.pause import services_paused
        with services_paused(Path({str(tmp_path)!r}), lambda line: print(line, flush=True)):
            print("working", flush=True)
            time.sleep(300)
    """)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = []
    while "working" not in (line := process.stdout.readline()):
        assert line, "".join(lines)
        lines.append(line)
    assert lines == ["services paused: anchor-a\n"]
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


def test_PLT_03_a_restore_killed_mid_way_leaves_no_service_paused(tmp_path, service, restorer):
    wait_for(lambda: state(service.pid) == "T", "not stopped")
    assert restore_owner(tmp_path) == restorer.pid
    assert resume_abandoned(tmp_path) == []  # its restore is alive: the pause is meant
    assert stopped(service.pid)
    with pytest.raises(BackupError, match=f"another restore \\(pid {restorer.pid}\\)"), services_paused(tmp_path, print):
        pass
    restorer.kill()  # kill -9: no finally runs
    restorer.wait()
    assert (tmp_path / MARKER).exists() and stopped(service.pid)
    assert restore_owner(tmp_path) is None
    assert resume_abandoned(tmp_path) == ["anchor-a"]
    wait_for(lambda: state(service.pid) != "T", "not resumed")
    assert not (tmp_path / MARKER).exists()
    assert resume_abandoned(tmp_path) == []


def test_PLT_03_the_next_restore_resumes_what_a_killed_one_left_paused(tmp_path, service, restorer):
    restorer.kill()
    restorer.wait()
    said: list[str] = []
    with services_paused(tmp_path, said.append) as paused:
        assert paused == {"anchor-a"}
        wait_for(lambda: state(service.pid) == "T", "not stopped")
    assert said == ["resumed services an earlier restore left paused: anchor-a", "services paused: anchor-a"]
    wait_for(lambda: state(service.pid) != "T", "not resumed")
    assert not (tmp_path / MARKER).exists()


def test_a_marker_whose_pid_now_runs_something_else_is_not_a_live_restore(tmp_path, service):
    """A pid reused by another program after the restore died does not keep the services paused."""
    (tmp_path / MARKER).write_text(f'{{"owner": {service.pid}, "command": ["lc", "restore"], "paused": {{"anchor-a": {service.pid}}}}}')
    os.kill(service.pid, signal.SIGSTOP)
    wait_for(lambda: state(service.pid) == "T", "not stopped")
    assert restore_owner(tmp_path) is None
    assert resume_abandoned(tmp_path) == ["anchor-a"]
    wait_for(lambda: state(service.pid) != "T", "not resumed")


def test_PLT_03_the_suite_starts_its_killed_datastores_again_but_not_postgres_during_a_restore(tmp_path, pki, service, restorer):
    postgres = LocalPostgres(tmp_path / "postgres")
    nats = LocalNats(tmp_path / "nats", tls=nats_server_tls(pki), users=NATS_USERS, max_memory="64MB", max_store="256MB")
    postgres.start()
    nats.start()
    watch = DatastoreWatch(tmp_path, {"PostgreSQL": postgres, "NATS": nats}, interval=0)
    try:
        postgres.kill()
        nats.kill()
        watch.check()  # a restore is alive: it owns PostgreSQL, which it stops and swaps
        assert nats.is_running() and not postgres.is_running()
        wait_for(lambda: state(service.pid) == "T", "not stopped")
        restorer.kill()
        restorer.wait()
        watch.check()  # the restore is gone: its services resumed, PostgreSQL started again
        assert postgres.is_running()
        wait_for(lambda: state(service.pid) != "T", "not resumed")
    finally:
        nats.stop()
        postgres.stop()
