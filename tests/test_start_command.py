"""The README's start command: the suite comes up and its printed copy-paste command works."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_suite_starts_and_the_printed_command_registers_and_reads_back(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DATABASE_URL/NATS_URL: local servers
    suite = subprocess.Popen(
        [sys.executable, "-m", "livecommerce.suite", "up", "--data-dir", str(tmp_path / "data")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        printed, command = [], None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = suite.stdout.readline()
            assert line or suite.poll() is None, "".join(printed)
            printed.append(line)
            if line.strip().startswith("ID=$("):
                command = line.strip()
            if "Ctrl-C stops the suite" in line:
                break
        assert command, "".join(printed)
        state = json.loads((tmp_path / "data" / "suite.json").read_text())
        assert len(state["services"]["anchor"]) == 2  # two replicas of every service
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "registered " in result.stdout
        anchor = json.loads(result.stdout.split("\n", 1)[1])["anchor"]
        assert anchor["pii_visible"] is True and anchor["profile"]["display_name"] == "小张带货"
        assert state["gateway"]  # the CLI went through the gateway, which audited both calls
        verify = next(line.split(": ", 1)[1] for line in printed if line.startswith("Check the audit chain: "))
        checked = subprocess.run(["bash", "-c", verify.strip()], cwd=ROOT, env=env, capture_output=True, text=True)
        # The demo agency's registration by the platform admin, then the two calls of the command.
        assert checked.returncode == 0 and "OK: 3 entries" in checked.stdout, checked.stdout + checked.stderr
    finally:
        suite.send_signal(signal.SIGTERM)
        assert suite.wait(30) == 0
