"""LocalNats against the real nats-server binary: JetStream up, streams surviving a kill -9."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import urllib.request

import pytest
from nats.js.api import StorageType, StreamConfig

from livecommerce.devstack import nats_server_tls
from livecommerce.devstack.nats import LocalNats, find_nats_server
from livecommerce.devstack.ports import free_port, log_tail, process_alive, read_port
from tests.conftest import NATS_USERS, nats_client

LIMITS = {"max_memory": "64MB", "max_store": "512MB"}


@pytest.fixture(scope="module")
def js_server(tmp_path_factory: pytest.TempPathFactory, pki):
    with LocalNats(tmp_path_factory.mktemp("nats"), tls=nats_server_tls(pki), users=NATS_USERS, **LIMITS) as server:
        yield server


def dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


async def test_serves_jetstream_with_the_configured_limits(js_server: LocalNats, pki) -> None:
    assert js_server.url == f"tls://127.0.0.1:{js_server.port}"
    nc = await nats_client(js_server.url, pki)
    try:
        assert (await nc.jetstream().account_info()).streams == 0
    finally:
        await nc.close()
    # the limits are server-wide, so the monitoring endpoint shows them rather than the account
    def read_jsz() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{js_server.http_port}/jsz", timeout=2) as response:
            return json.load(response)["config"]

    config = await asyncio.to_thread(read_jsz)
    assert (config["max_memory"], config["max_storage"]) == (64 * 1024**2, 512 * 1024**2)
    assert config["store_dir"].startswith(str(js_server.store_dir))


async def test_acknowledged_message_survives_sigkill_and_restart(js_server: LocalNats, pki) -> None:
    nc = await nats_client(js_server.url, pki)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="PROBE", subjects=["probe.>"], storage=StorageType.FILE))
    ack = await js.publish("probe.one", b"kept", timeout=5)
    await nc.close()
    port, pid = js_server.port, js_server.server_pid()

    js_server.kill()
    assert not js_server.is_running() and not process_alive(pid)
    js_server.start()

    assert js_server.port == port and js_server.server_pid() != pid
    nc = await nats_client(js_server.url, pki)
    try:
        message = await nc.jetstream().get_msg("PROBE", ack.seq)
        assert (message.subject, message.data) == ("probe.one", b"kept")
    finally:
        await nc.close()


def test_start_on_a_running_server_is_a_no_op(js_server: LocalNats) -> None:
    pid = js_server.server_pid()
    js_server.start()
    other = LocalNats(js_server.data_dir, tls=js_server.tls, users=NATS_USERS, **LIMITS)
    other.start()  # its launcher (this process) is alive: used as it is, not adopted
    assert js_server.server_pid() == pid and other.is_running()
    assert other.url == js_server.url


async def test_stop_then_restart_keeps_streams(js_server: LocalNats, pki) -> None:
    js_server.restart()
    nc = await nats_client(js_server.url, pki)
    try:
        names = [info.config.name for info in await nc.jetstream().streams_info()]
        assert "PROBE" in names
    finally:
        await nc.close()


def test_the_pid_file_holds_the_servers_pid_alone_and_the_launcher_is_kept_beside_it(js_server: LocalNats) -> None:
    # `kill -9 $(cat nats-server.pid)` must kill the server, never the process that launched it
    assert js_server.pid_path.read_text() == f"{js_server.server_pid()}\n"
    assert js_server.launcher_path.read_text() == f"{os.getpid()}\n" and js_server.launcher_pid() == os.getpid()


@pytest.mark.parametrize("layout", ["launcher file", "two-line pid file of an earlier version"])
def test_orphan_of_a_dead_launcher_is_adopted_and_then_stopped_by_its_adopter(js_server: LocalNats, layout: str) -> None:
    pid = js_server.server_pid()
    if layout == "launcher file":
        js_server.launcher_path.write_text(f"{dead_pid()}\n")
    else:  # the launcher file, if any, is older than a pid file naming its launcher itself
        js_server.pid_path.write_text(f"{pid}\n{dead_pid()}\n")

    adopter = LocalNats(js_server.data_dir, tls=js_server.tls, users=NATS_USERS, **LIMITS)
    adopter.start()
    # This test fails now and then in a loaded full run, cause unproven: say what the server did.
    assert adopter.server_pid() == pid, f"not adopted; the server's log:\n{log_tail(js_server.log_path)}"
    assert adopter.pid_path.read_text() == f"{pid}\n" and adopter.launcher_pid() == os.getpid()
    adopter.stop()
    assert not js_server.is_running(), f"still running after its adopter stopped it:\n{log_tail(js_server.log_path)}"
    js_server.start()
    assert js_server.is_running(), f"not restarted:\n{log_tail(js_server.log_path)}"


def test_stale_pid_file_of_another_process_is_ignored(js_server: LocalNats) -> None:
    js_server.stop()
    unrelated = subprocess.Popen(["sleep", "30"])
    try:
        js_server.pid_path.write_text(f"{unrelated.pid}\n")
        js_server.launcher_path.write_text(f"{dead_pid()}\n")
        js_server.start()
        assert js_server.server_pid() != unrelated.pid and unrelated.poll() is None
    finally:
        unrelated.kill()
        unrelated.wait()


async def test_an_explicit_new_port_restarts_the_server_there_with_its_streams(js_server: LocalNats, pki) -> None:
    pid = js_server.server_pid()
    moved = LocalNats(js_server.data_dir, tls=js_server.tls, users=NATS_USERS, port=free_port(), **LIMITS)
    moved.start()
    assert moved.port != js_server.port and moved.server_pid() != pid
    nc = await nats_client(moved.url, pki)
    try:
        assert (await nc.jetstream().stream_info("PROBE")).state.messages == 1
    finally:
        await nc.close()
    LocalNats(js_server.data_dir, tls=js_server.tls, users=NATS_USERS, port=js_server.port, **LIMITS).start()
    js_server.start()
    assert js_server.is_running()


async def test_other_settings_restart_the_server_with_them(js_server: LocalNats) -> None:
    pid = js_server.server_pid()
    bigger = LocalNats(js_server.data_dir, tls=js_server.tls, users=NATS_USERS, max_memory="128MB", max_store="512MB")
    bigger.start()
    assert bigger.server_pid() != pid and "max_memory_store: 128MB" in bigger.config_path.read_text()
    bigger.stop()
    js_server.start()
    assert js_server.is_running()


def test_remembers_both_ports(js_server: LocalNats) -> None:
    assert read_port(js_server.data_dir / "port") == js_server.port
    assert read_port(js_server.data_dir / "http_port") == js_server.http_port


def test_failed_start_reports_the_log(tmp_path_factory: pytest.TempPathFactory, js_server: LocalNats) -> None:
    clash = LocalNats(tmp_path_factory.mktemp("clash"), tls=js_server.tls, users=NATS_USERS, port=js_server.port, start_timeout=5)
    with pytest.raises(RuntimeError, match="nats-server exited"):
        clash.start()
    assert not clash.is_running()


def test_rejects_malformed_sizes(tmp_path, pki) -> None:
    with pytest.raises(ValueError):
        LocalNats(tmp_path, tls=nats_server_tls(pki), users=NATS_USERS, max_store="lots")


def test_config_states_jetstream_limits_and_loopback(tmp_path, pki) -> None:
    config = LocalNats(tmp_path, tls=nats_server_tls(pki), users=NATS_USERS, port=4999, http_port=5999, sync_always=True).config_text()
    assert 'listen: "127.0.0.1:4999"' in config and 'http: "127.0.0.1:5999"' in config
    assert "max_memory_store: 256MB" in config and "max_file_store: 2GB" in config
    assert "sync_interval: always" in config
    assert "verify_and_map: true" in config and "ca_file:" in config  # clients need a certificate from the CA (PLT-05)
    # each service publishes its own events only; the tests' probe plays every service (PLT-05)
    assert 'publish: {allow: ["*.anchor.>", "$JS.API.>", "$JS.ACK.>"]' in config and '{user: "test-probe"}\n' in config
    assert find_nats_server().name == "nats-server"


def test_a_running_server_that_answers_its_health_check_late_is_reused_not_replaced(js_server: LocalNats, monkeypatch) -> None:
    pid = js_server.server_pid()
    answers = iter([False, False, True])  # a loaded host: the first probes time out
    monkeypatch.setattr(LocalNats, "_healthy", lambda self: next(answers, True))
    other = LocalNats(js_server.data_dir, tls=js_server.tls, users=NATS_USERS, **LIMITS)
    other.start()
    assert other.server_pid() == pid and js_server.is_running()
