"""The README's start command: the suite comes up and its printed copy-paste commands work (an
anchor's registration, a product's licence and submission); it outlives a killed replica (the failover drill of docs/operations.md) and killed datastores, and `./dev down` stops it; after a suite that died
(kill -9), `./dev up` stops what it left running before starting and `./dev down` stops all of it."""

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
from livecommerce.supervisor import UP_MARK, leftover_processes, stop_leftovers

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
    # SIGTERM (what `./dev down` sends) stops the replicas, the gateway and the datastores with it
    assert suite_processes(tmp_path / "data") == set()


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


def kill_the_suite(data: Path) -> None:
    """kill -9 of the suite process alone, as the OOM killer would: its processes run on."""
    pid = read_pid(data / "suite.pid")
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not process_alive(pid), "the suite survived SIGKILL")


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
        # NATS as an SRE kills it: the pid file holds the server's pid alone, never the suite's.
        nats_pid, postgres = read_pid(data / "nats" / "nats-server.pid"), LocalPostgres(data / "postgres")
        killed = subprocess.run(["bash", "-c", f"kill -9 $(cat {data / 'nats' / 'nats-server.pid'})"], capture_output=True, text=True)
        assert killed.returncode == 0, killed.stderr
        postgres.kill()
        assert process_alive(read_pid(data / "suite.pid"))
        wait_for(lambda: read_pid(data / "nats" / "nats-server.pid") not in (None, nats_pid), "NATS was not started again")
        wait_for(postgres.is_running, "PostgreSQL was not started again")
        # The services reconnect on their own; a call meanwhile may be answered UNAVAILABLE, and retried.
        wait_for(lambda: registers(command, tmp_path, env), "no registration succeeded after the datastores came back")
        assert suite_processes(data)
        # A suite that died leaves its processes running on its ports: `./dev up` stops them first.
        kill_the_suite(data)
        orphans = {path.stem: read_pid(path) for path in (data / "run").glob("*.pid")}
        assert orphans and all(process_alive(pid) for pid in orphans.values())
        again = subprocess.run(["./dev", "up", "--detach", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0 and "runs in the background" in again.stdout, again.stdout + again.stderr
        assert "left running" in again.stdout and all(f"{name} (pid {pid})" in again.stdout for name, pid in orphans.items()), again.stdout
        assert not any(process_alive(pid) for pid in orphans.values())
        command = next(line.strip() for line in again.stdout.splitlines() if line.strip().startswith("ID=$("))
        wait_for(lambda: registers(command, tmp_path, env), "no registration succeeded on the suite started after the dead one")
        # And `./dev down` after a suite that died stops what it left: replicas, gateway, datastores.
        kill_the_suite(data)
        assert suite_processes(data)
    finally:
        stopped = subprocess.run(["./dev", "down", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "stopped what one that died there left running" in stopped.stdout and "gateway (pid" in stopped.stdout, stopped.stdout
    assert "PostgreSQL" in stopped.stdout and "NATS" in stopped.stdout, stopped.stdout
    assert suite_processes(data) == set()
    assert not (data / "suite.pid").exists()


def test_only_a_process_whose_command_line_and_environment_prove_it_ours_counts_as_left_over(tmp_path):
    """A pid file outlives its process and the pid gets reused: by anything (`sleep`), or by the same
    module run as another name or on another data directory's port. Those are never stopped."""
    (tmp_path / "idle.py").write_text("import time\ntime.sleep(60)\n")
    run = tmp_path / "run"
    run.mkdir()

    def idle(name: str, port: int) -> subprocess.Popen:
        env = {"PATH": "/usr/bin:/bin", "REPLICA_ID": name, "GRPC_PORT": str(port)}
        return subprocess.Popen([sys.executable, "-m", "idle"], cwd=tmp_path, env=env)

    processes = {
        "idle-a": idle("idle-a", 1001),  # ours
        "idle-b": subprocess.Popen(["sleep", "60"]),  # a reused pid: another command
        "idle-c": idle("idle-x", 1003),  # the same module, another name
        "idle-d": idle("idle-d", 2004),  # the same module and name, another data directory's port
    }
    try:
        for name, process in processes.items():
            (run / f"{name}.pid").write_text(f"{process.pid}\n")
        modules = {name: "idle" for name in processes}
        ports = {"idle-a": 1001, "idle-b": 1002, "idle-c": 1003, "idle-d": 1004}
        started = [process.pid for name, process in processes.items() if name != "idle-b"]
        wait_for(lambda: all((process_command_line(pid) or [])[1:] == ["-m", "idle"] for pid in started), "not started")
        leftovers = leftover_processes(run, modules, ports)
        assert leftovers == {"idle-a": processes["idle-a"].pid}
        stop_leftovers(run, leftovers)
        assert processes["idle-a"].wait(10) == -signal.SIGTERM and not (run / "idle-a.pid").exists()
        assert all(process.poll() is None for name, process in processes.items() if name != "idle-a")
    finally:
        for process in processes.values():
            process.kill()
            process.wait()
