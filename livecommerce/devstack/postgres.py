"""A real PostgreSQL server in a data directory, for the laptop suite and the tests.

`LocalPostgres` runs the machine's own PostgreSQL binaries (`initdb`, `pg_ctl`) on 127.0.0.1 and
a remembered free port, with trust authentication, so nothing needs installing or configuring.
PostgreSQL refuses to run as root, so under root the server runs as the `postgres` system user
(else `nobody`) and the data directory is handed to that account. Durability settings stay on:
the project's tests prove that nothing acknowledged is lost, which a server with `fsync=off`
could not show.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import logging
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from livecommerce.devstack.ports import (
    LOOPBACK,
    DevstackError,
    LocalServer,
    child_pids,
    log_tail,
    process_alive,
    read_pid,
    remembered_port,
    wait_until,
)

log = logging.getLogger(__name__)

SUPERUSER = "postgres"
_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# sun_path holds 108 bytes including the terminating NUL; the socket is named `.s.PGSQL.<port>`.
_SUN_PATH_MAX = 107
_SOCKET_NAME_MAX = len("/.s.PGSQL.65535")
_SETTINGS_FILE = "livecommerce.conf"
_INCLUDE_LINE = f"include_if_exists = '{_SETTINGS_FILE}'"


@dataclass(frozen=True)
class Account:
    """The unprivileged account the server runs as when the caller is root."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]
    home: str


def server_account(euid: int | None = None) -> Account | None:
    """None when the caller may run PostgreSQL itself; otherwise the account to switch to."""
    if (os.geteuid() if euid is None else euid) != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        groups = tuple(os.getgrouplist(name, entry.pw_gid))
        return Account(name, entry.pw_uid, entry.pw_gid, groups, entry.pw_dir)
    raise DevstackError("running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL")


def find_bindir() -> Path:
    """The directory holding initdb/pg_ctl/postgres: pg_config's answer, else PATH, else the newest
    Debian-style /usr/lib/postgresql/<version>/bin."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            answer = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
            bindir = Path(answer.stdout.strip())
        except (OSError, subprocess.CalledProcessError):
            bindir = None
        # libpq-dev ships a pg_config for a version whose server may not be installed
        if bindir and (bindir / "initdb").exists():
            return bindir
    initdb = shutil.which("initdb")
    if initdb:
        # pg_ctl finds `postgres` next to its own real path, so follow /usr/local/bin symlinks
        return Path(initdb).resolve().parent
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists()]
    if not candidates:
        raise DevstackError(
            "PostgreSQL server binaries not found (no pg_config, no initdb on PATH, no /usr/lib/postgresql/*/bin)"
        )
    return max(candidates, key=lambda p: _version_key(p.parent.name))


def process_options(account: Account | None, cwd: Path) -> dict[str, Any]:
    """subprocess keyword arguments running a PostgreSQL binary as `account` (or as the caller)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    options: dict[str, Any] = {"cwd": cwd, "env": env}
    if account is not None:
        env.update(HOME=account.home, USER=account.name, LOGNAME=account.name)
        options.update(user=account.uid, group=account.gid, extra_groups=list(account.groups))
    return options


def with_database(url: str, name: str) -> str:
    """`url` naming database `name` instead, whether it reaches the server by TCP or by socket."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{_checked_name(name)}"))


class LocalPostgres(LocalServer):
    """A PostgreSQL server owning `data_dir`: `pgdata/` (the cluster), `port`, `postgres.log`,
    `run/` (unix socket, when the path is short enough).

    A process stops at exit the servers it launched (`stop_at_exit`); it adopts a server it finds
    already running on the data directory and leaves that one running.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        start_timeout: float = 60.0,
        stop_at_exit: bool = True,
        archive: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self._requested_port = port
        self._port: int | None = None
        self._start_timeout = start_timeout
        self._stop_at_exit = stop_at_exit
        self._account = server_account()
        self._bindir: Path | None = None
        # WAL archiving settings (archive_mode, archive_command) for a backed-up site
        # (livecommerce/backup); None for every other server, the tests' shared one included.
        self.archive = dict(archive or {})

    # -- paths and addresses ---------------------------------------------------------------

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "postgres.log"

    @property
    def socket_dir(self) -> Path | None:
        """None when the data directory's path is too long for a unix socket: TCP only then."""
        candidate = self.data_dir / "run"
        if len(os.fsencode(candidate)) + _SOCKET_NAME_MAX > _SUN_PATH_MAX:
            return None
        return candidate

    @property
    def port(self) -> int:
        if self._port is None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._port = remembered_port(self.data_dir / "port", self._requested_port)
        return self._port

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        """Over the server's unix socket when it has one: on this 2-core kind of machine that is a
        quarter more commits per second than loopback TCP (bench/bench_events.py); TCP otherwise."""
        if self.socket_dir is not None:
            return f"postgresql://{SUPERUSER}@/{_checked_name(name)}?host={quote(str(self.socket_dir), safe='/')}&port={self.port}"
        return f"postgresql://{SUPERUSER}@{LOOPBACK}:{self.port}/{_checked_name(name)}"

    @property
    def account(self) -> Account | None:
        """The account the server runs as (None: the caller's own); its tools must run as it too."""
        return self._account

    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            self._bindir = find_bindir()
        return self._bindir

    # -- lifecycle -------------------------------------------------------------------------

    def postmaster_pid(self) -> int | None:
        return read_pid(self.pgdata / "postmaster.pid")

    def is_running(self) -> bool:
        pid = self.postmaster_pid()
        return pid is not None and process_alive(pid)

    def running_port(self) -> int | None:
        """The port the running postmaster listens on (line 4 of postmaster.pid)."""
        try:
            line = (self.pgdata / "postmaster.pid").read_text().splitlines()[3].strip()
        except (FileNotFoundError, IndexError):
            return None
        return int(line) if line.isdigit() else None

    def start(self) -> None:
        if self.is_running():
            if self.running_port() == self.port:
                log.debug("PostgreSQL already running on %s", self.data_dir)
                return
            log.warning("PostgreSQL on %s listens on %s, not %d; restarting it", self.data_dir, self.running_port(), self.port)
            self.stop()
        self._prepare_directories()
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        self._write_settings()
        self._remove_stale_lock_files()
        self._pg_ctl("start", "-w", "-t", str(int(self._start_timeout)), "-l", str(self.log_path))
        log.info("PostgreSQL running at %s (data %s)", self.url, self.pgdata)
        if self._stop_at_exit:
            atexit.register(self._stop_quietly)

    def stop(self) -> None:
        """Fast shutdown: open sessions are disconnected, committed work is kept."""
        atexit.unregister(self._stop_quietly)
        if not self.is_running():
            return
        self._pg_ctl("stop", "-m", "fast", "-w", "-t", str(int(self._start_timeout)))
        log.info("PostgreSQL stopped (data %s)", self.pgdata)

    def kill(self, timeout: float = 10.0) -> None:
        """SIGKILL the postmaster and its backends, as in a crash. Each PostgreSQL child runs in a
        session of its own, so a process-group kill would miss them; and a postmaster killed alone
        leaves backends attached to shared memory for a moment, which fails the next start."""
        atexit.unregister(self._stop_quietly)
        pid = self.postmaster_pid()
        if pid is None or not process_alive(pid):
            return
        children = child_pids(pid)  # before the kill: orphans no longer name the postmaster as parent
        for victim in [pid, *children]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        wait_until(
            lambda: not any(process_alive(p) for p in [pid, *children]),
            timeout,
            f"PostgreSQL (postmaster {pid}) survived SIGKILL",
        )
        log.info("PostgreSQL killed (pid %d, data %s)", pid, self.pgdata)

    # -- databases -------------------------------------------------------------------------

    async def create_database(self, name: str, template: str | None = None, *, exist_ok: bool = False) -> str:
        """Creates database `name` (optionally from `template`) and returns its URL."""
        statement = f'CREATE DATABASE "{_checked_name(name)}"'
        if template is not None:
            statement += f' TEMPLATE "{_checked_name(template)}"'
        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(statement)
        except asyncpg.DuplicateDatabaseError:
            if not exist_ok:
                raise
        finally:
            await conn.close()
        return self.database_url(name)

    async def drop_database(self, name: str) -> None:
        """Drops `name` if it exists, disconnecting its sessions."""
        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{_checked_name(name)}" WITH (FORCE)')
        finally:
            await conn.close()

    # -- internals -------------------------------------------------------------------------

    def initdb_command(self) -> list[str]:
        return [
            str(self.bindir / "initdb"),
            "-D", str(self.pgdata),
            "-U", SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            # durability of the freshly created template files is not worth seconds per test run;
            # the running server keeps fsync on
            "--no-sync",
        ]  # fmt: skip

    def settings(self) -> dict[str, str]:
        socket_dir = self.socket_dir
        return {
            "listen_addresses": LOOPBACK,
            "port": str(self.port),
            "unix_socket_directories": str(socket_dir) if socket_dir else "",
            "max_connections": "200",
            "shared_buffers": "128MB",
            "fsync": "on",
            "synchronous_commit": "on",
            "full_page_writes": "on",
            "logging_collector": "off",  # pg_ctl -l already sends the server's stderr to postgres.log
            "log_line_prefix": "%m [%p] %q%u@%d ",
            **self.archive,
        }

    def _prepare_directories(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _ = self.port  # chosen and written while the caller still owns the directory
        owned = [self.data_dir]
        if self.socket_dir is not None:
            self.socket_dir.mkdir(exist_ok=True)
            owned.append(self.socket_dir)
        if self._account is None:
            return
        for path in owned:
            os.chown(path, self._account.uid, self._account.gid)
            path.chmod(0o700)
        _make_traversable(self.data_dir.parent, self._account)

    def _initdb(self) -> None:
        log.info("initialising PostgreSQL cluster in %s", self.pgdata)
        self._run(self.initdb_command())
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# settings owned by livecommerce.devstack, rewritten on every start\n{_INCLUDE_LINE}\n")

    def _write_settings(self) -> None:
        path = self.pgdata / _SETTINGS_FILE
        lines = [f"{key} = '{value.replace(chr(39), chr(39) * 2)}'" for key, value in self.settings().items()]
        path.write_text("\n".join(lines) + "\n")
        if self._account is not None:
            os.chown(path, self._account.uid, self._account.gid)

    def _remove_stale_lock_files(self) -> None:
        """After a SIGKILL the postmaster's pid can linger as a zombie nobody reaps (this machine's
        init does not), and kill(pid, 0) still succeeds on it, so a new postmaster would take the
        lock files for a live server's and refuse to start. We have checked the pid is gone."""
        locks = [self.pgdata / "postmaster.pid"]
        if self.socket_dir is not None:
            locks += self.socket_dir.glob(".s.PGSQL.*.lock")
        for lock in locks:
            pid = read_pid(lock)
            if pid is not None and not process_alive(pid):
                log.debug("removing stale %s (pid %d is gone)", lock, pid)
                lock.unlink(missing_ok=True)

    def _pg_ctl(self, *args: str) -> None:
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.pgdata), *args])

    def _run(self, command: list[str]) -> None:
        try:
            subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=True,
                timeout=self._start_timeout + 30,
                **process_options(self._account, self.data_dir),
            )
        except subprocess.CalledProcessError as error:
            raise DevstackError(
                f"{' '.join(command[:2])} failed (exit {error.returncode}):\n{error.stdout}{error.stderr}\n"
                f"--- {self.log_path} ---\n{log_tail(self.log_path)}"
            ) from error
        except subprocess.TimeoutExpired as error:
            raise DevstackError(f"{' '.join(command[:2])} timed out\n{log_tail(self.log_path)}") from error

    def _stop_quietly(self) -> None:
        try:
            self.stop()
        except Exception:  # at interpreter exit there is nobody left to raise to
            log.exception("could not stop PostgreSQL in %s at exit", self.data_dir)


def _checked_name(name: str) -> str:
    if not _DATABASE_NAME.match(name):
        raise ValueError(f"database name must match {_DATABASE_NAME.pattern}: {name!r}")
    return name


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def _make_traversable(directory: Path, account: Account) -> None:
    """The server chdirs into its data directory, so every ancestor needs the search bit for
    `account`. pytest's /tmp/pytest-of-root is 0700, for instance; only the search bit is added
    (never read), and only where it is missing."""
    for ancestor in [directory, *directory.parents]:
        info = ancestor.stat()
        if _can_search(info, account):
            continue
        log.warning("adding o+x to %s so that %s can reach the PostgreSQL data directory", ancestor, account.name)
        ancestor.chmod(stat.S_IMODE(info.st_mode) | stat.S_IXOTH)


def _can_search(info: os.stat_result, account: Account) -> bool:
    if info.st_uid == account.uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid in account.groups:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)
