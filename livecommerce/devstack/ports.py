"""Ports and processes shared by the local datastores: free ports remembered per data directory,
liveness of a server process, and the tail of its log for error messages.

A server started again on the same data directory must come back on the same port, because
clients (and fault tests that restart a server under them) hold its URL. So the first start
picks a free port and writes it to a small file in the data directory; later starts read it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
_PROC = Path("/proc")


class DevstackError(RuntimeError):
    """A local server could not be started or stopped; the message carries its log tail."""


def free_port(host: str = LOOPBACK) -> int:
    """A port the kernel considers free right now; another process could still take it before the
    server binds, which for a development stack is an acceptable race (the start then fails clearly)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def remembered_port(path: Path, requested: int | None) -> int:
    """The port stored in `path`, chosen and stored on first use; an explicit request replaces it."""
    if requested is not None:
        _write_port(path, requested)
        return requested
    stored = read_port(path)
    if stored is not None:
        return stored
    chosen = free_port()
    log.debug("chose free port %d, remembered in %s", chosen, path)
    _write_port(path, chosen)
    return chosen


def read_port(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise DevstackError(f"{path} does not hold a TCP port: {text!r}")
    return int(text)


def port_accepts(port: int, host: str = LOOPBACK, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def process_alive(pid: int) -> bool:
    """Whether `pid` is a running process. A zombie counts as dead: a killed server whose parent
    has not reaped it yet still answers kill(pid, 0), but holds no port and no files."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, owned by another user (a server run as `postgres` seen from a non-root caller)
    if not _PROC.is_dir():
        return True
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X")


def process_command_line(pid: int) -> list[str] | None:
    """The argv of `pid` where /proc can tell, else None (unknown, not "empty")."""
    try:
        raw = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def child_pids(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (empty where /proc is unavailable)."""
    children = []
    for entry in _PROC.glob("[0-9]*") if _PROC.is_dir() else []:
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


def read_pid(path: Path) -> int | None:
    """The pid on the first line of a pid file (PostgreSQL's postmaster.pid has more lines)."""
    try:
        first = path.read_text().splitlines()[0].strip()
    except (FileNotFoundError, IndexError):
        return None
    return int(first) if first.isdigit() and int(first) > 0 else None


def log_tail(path: Path, lines: int = 25) -> str:
    try:
        with path.open(errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except FileNotFoundError:
        return f"(no log at {path})"


def wait_until(condition: Callable[[], bool], timeout: float, failure: str, interval: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise DevstackError(failure)
        time.sleep(interval)


def _write_port(path: Path, port: int) -> None:
    if not 0 < port < 65536:
        raise ValueError(f"not a TCP port: {port}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{port}\n")


class LocalServer:
    """Lifecycle shared by the local servers: `restart` and use as a context manager."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def is_running(self) -> bool:
        raise NotImplementedError

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self):
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
