"""The suite's services paused while `lc restore` works, and never left paused by it.

A restore stops (SIGSTOP) the processes in `<data dir>/run/*.pid` so nothing writes while the
last WAL segment is archived and the data directory is swapped, and resumes them (SIGCONT) when it
ends, failed or not. A restore killed with SIGKILL runs no `finally`: the marker it writes first,
`run/restore.json` (its own pid and command line, and the pids it paused), lets the running suite
(`./dev up`, which looks every second) or the next restore resume them, and tells the suite to
leave PostgreSQL alone while a restore is alive.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

from livecommerce.backup.repository import BackupError
from livecommerce.devstack.ports import process_alive, process_command_line, read_pid

MARKER = Path("run") / "restore.json"


@contextlib.contextmanager
def services_paused(data_dir: Path, progress: Callable[[str], None]) -> Iterator[set[str]]:
    """The names of the processes paused (pid file stems), resumed on the way out."""
    resumed = resume_abandoned(data_dir)
    if resumed:
        progress(f"resumed services an earlier restore left paused: {', '.join(resumed)}")
    owner = restore_owner(data_dir)
    if owner is not None:
        raise BackupError(f"restore refused: another restore (pid {owner}) works on {data_dir}; nothing was changed")
    processes = {path.stem: pid for path in sorted((data_dir / "run").glob("*.pid")) if (pid := read_pid(path))}
    _write_marker(data_dir, processes)  # before the first SIGSTOP: a kill -9 from here on is recoverable
    paused: dict[str, int] = {}
    try:
        for name, pid in processes.items():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
                paused[name] = pid
        if paused:
            progress(f"services paused: {', '.join(paused)}")
        yield set(paused)
    finally:
        _resume(paused.values())
        (data_dir / MARKER).unlink(missing_ok=True)


def restore_owner(data_dir: Path) -> int | None:
    """The pid of the restore working on `data_dir` now, or None."""
    marker = _read_marker(data_dir)
    if marker is None or not _is_owner_alive(marker):
        return None
    return int(marker["owner"])


def resume_abandoned(data_dir: Path) -> list[str]:
    """Resumes what a restore that died without cleaning up had paused; the names resumed."""
    marker = _read_marker(data_dir)
    if marker is None or _is_owner_alive(marker):
        return []
    paused = {str(name): int(pid) for name, pid in marker.get("paused", {}).items()}
    _resume(paused.values())
    (data_dir / MARKER).unlink(missing_ok=True)
    return sorted(paused)


def _write_marker(data_dir: Path, paused: dict[str, int]) -> None:
    path = data_dir / MARKER
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"owner": os.getpid(), "command": process_command_line(os.getpid()), "paused": paused}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record))
    temporary.replace(path)  # whole or absent: a reader never sees half a marker


def _read_marker(data_dir: Path) -> dict | None:
    try:
        record = json.loads((data_dir / MARKER).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("owner"), int) else None


def _is_owner_alive(marker: dict) -> bool:
    """The owner's pid alive and still running the same command (a reused pid is not the owner)."""
    owner = marker["owner"]
    return process_alive(owner) and process_command_line(owner) == marker.get("command")


def _resume(pids) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
