"""The README's start command: the suite comes up and its printed copy-paste commands work (an
anchor's registration, a product's licence and submission); it outlives a killed replica (the failover drill of docs/operations.md) and killed datastores, and `./dev down` stops it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from livecommerce.devstack.ports import process_alive, process_command_line, read_pid
from livecommerce.devstack.postgres import LocalPostgres
from livecommerce.supervisor import UP_MARK

ROOT = Path(__file__).resolve().parent.parent


def assert_every_process_serves_metrics(state: dict, printed: str) -> None:
    """Issue 17: every replica and the gateway serve /metrics where `up` printed it; one replica per
    service is ready (the active one)."""
    import urllib.error
    import urllib.request

    names = {"gateway", *(f"{service}-{letter}" for service, targets in state["services"].items() for letter in "ab"[: len(targets)])}
    assert set(state["metrics"]) == names
    ready: dict[str, int] = {}
    for name, url in state["metrics"].items():
        assert f"{name}: {url}" in printed
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.status == 200 and b"livecommerce_tls_certificate_expiry_timestamp_seconds" in answer.read()
        try:
            with urllib.request.urlopen(url.replace("/metrics", "/readyz"), timeout=10) as answer:
                ready[name.rsplit("-", 1)[0]] = ready.get(name.rsplit("-", 1)[0], 0) + 1
        except urllib.error.HTTPError as error:
            assert error.code == 503
    assert ready == {"gateway": 1, **{service: 1 for service in state["services"]}}


def test_suite_starts_and_the_printed_command_registers_and_reads_back(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DATABASE_URL/NATS_URL: local servers
    suite = subprocess.Popen(
        [sys.executable, "-m", "livecommerce.suite", "up", "--data-dir", str(tmp_path / "data")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        printed, command, product_command = [], None, None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = suite.stdout.readline()
            assert line or suite.poll() is None, "".join(printed)
            printed.append(line)
            if line.strip().startswith("ID=$("):
                command = line.strip()
            if line.strip().startswith("LIC=$("):
                product_command = line.strip()
            if UP_MARK in line:
                break
        assert command and product_command, "".join(printed)
        state = json.loads((tmp_path / "data" / "suite.json").read_text())
        assert len(state["services"]["anchor"]) == 2 and len(state["services"]["product"]) == 2  # two replicas of every service
        assert_every_process_serves_metrics(state, "".join(printed))
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "registered " in result.stdout
        anchor = json.loads(result.stdout.split("\n", 1)[1])["anchor"]
        assert anchor["pii_visible"] is True and anchor["profile"]["display_name"] == "小张带货"
        # PRD-01/02: the licence is filed, and the product naming it waits for review.
        result = subprocess.run(["bash", "-c", product_command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        licence_line, response = result.stdout.split("\n", 1)
        product = json.loads(response)["product"]
        assert product["details"]["licence_ids"] == [licence_line.removeprefix("licence ")]
        assert product["state"] == "PRODUCT_STATE_PENDING_REVIEW" and product["merchant_id"] == "m-demo"
        assert state["gateway"]  # the CLI went through the gateway, which audited every call
        verify = next(line.split(": ", 1)[1] for line in printed if line.startswith("Check the audit chain: "))
        checked = subprocess.run(["bash", "-c", verify.strip()], cwd=ROOT, env=env, capture_output=True, text=True)
        # The demo agency's registration by the platform admin, then the two calls of each command.
        assert checked.returncode == 0 and "OK: 5 entries" in checked.stdout, checked.stdout + checked.stderr
    finally:
        suite.send_signal(signal.SIGTERM)
        assert suite.wait(30) == 0


def suite_processes(data: Path) -> set[int]:
    """Every live process of the suite on `data`: itself, its replicas and gateway, and the
    datastores (whose command lines name the data directory)."""
    pids = {read_pid(path) for path in [data / "suite.pid", *(data / "run").glob("*.pid")]}
    for entry in Path("/proc").glob("[0-9]*"):
        if str(data) in " ".join(process_command_line(int(entry.name)) or ()):
            pids.add(int(entry.name))
    return {pid for pid in pids if pid and process_alive(pid)}


def wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def registers(command: str, cwd: Path, env: dict[str, str]) -> bool:
    result = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    return result.returncode == 0 and "registered " in result.stdout


def test_PLT_03_the_suite_restarts_a_killed_replica_and_datastores_and_dev_down_stops_a_background_suite(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    data = tmp_path / "data"
    started = subprocess.run(["./dev", "up", "--detach", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    try:
        assert started.returncode == 0 and "runs in the background" in started.stdout, started.stdout + started.stderr
        assert "Ctrl-C" not in started.stdout  # in the background, ./dev down is what stops it
        command = next(line.strip() for line in started.stdout.splitlines() if line.strip().startswith("ID=$("))
        cli = [sys.executable, "-m", "livecommerce.cli"]
        status = subprocess.run([*cli, "status", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        active = status.stdout.split()[2]  # "anchor  ACTIVE  anchor-a  epoch 1 ..."
        victim = read_pid(data / "run" / f"{active}.pid")
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: read_pid(data / "run" / f"{active}.pid") not in (None, victim), "the killed replica was not restarted")
        assert process_alive(read_pid(data / "suite.pid"))  # the suite kept running
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "registered " in result.stdout, result.stderr
        # Its datastores too: kill -9 both; the suite starts them again on their ports and data.
        nats_pid, postgres = read_pid(data / "nats" / "nats-server.pid"), LocalPostgres(data / "postgres")
        os.kill(nats_pid, signal.SIGKILL)
        postgres.kill()
        wait_for(lambda: read_pid(data / "nats" / "nats-server.pid") not in (None, nats_pid), "NATS was not started again")
        wait_for(postgres.is_running, "PostgreSQL was not started again")
        # The services reconnect on their own; a call meanwhile may be answered UNAVAILABLE, and retried.
        wait_for(lambda: registers(command, tmp_path, env), "no registration succeeded after the datastores came back")
        assert suite_processes(data)
    finally:
        stopped = subprocess.run(["./dev", "down", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert suite_processes(data) == set()
    assert not (data / "suite.pid").exists()
