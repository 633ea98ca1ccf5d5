"""The audit log (PLT-05): hash-chained, verifiable, and in the kernel before a call is answered."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from gateway import audit
from gateway.audit import AuditLog, AuditUnavailable, main, verify

ROOT = Path(__file__).resolve().parents[2]


def entry(n: int) -> dict:
    return {"principal": f"p{n}", "role": "merchant", "method": "/a.S/M", "decision": "allow", "code": "OK"}


async def write(path: Path, count: int) -> None:
    log = AuditLog(path)
    for n in range(count):
        log.record(entry(n))
    await log.close()


async def test_PLT_05_chain_verifies_and_continues_across_restarts(tmp_path):
    path = tmp_path / "audit.log"
    await write(path, 50)
    await write(path, 10)  # a restarted gateway continues the chain
    assert verify(path) == (60, None)
    assert main(["verify", str(path)]) == 0


async def test_PLT_05_an_edited_entry_is_found(tmp_path):
    path = tmp_path / "audit.log"
    await write(path, 20)
    lines = path.read_text().splitlines()
    edited = json.loads(lines[6])
    edited["decision"] = "deny"
    lines[6] = json.dumps(edited, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n")
    count, broken = verify(path)
    assert (count, broken.line) == (6, 7) and "edited" in broken.reason
    assert main(["verify", str(path)]) == 1


async def test_PLT_05_a_deleted_entry_is_found(tmp_path):
    path = tmp_path / "audit.log"
    await write(path, 20)
    lines = path.read_text().splitlines()
    del lines[11]
    path.write_text("\n".join(lines) + "\n")
    count, broken = verify(path)
    assert (count, broken.line) == (11, 12) and "removed" in broken.reason


def test_PLT_05_a_crash_loses_no_acknowledged_record(tmp_path):
    """A writer SIGKILLed mid-stream: every record it saw acknowledged is in the file, chained
    (the guarantee is against a crash of the gateway process; see gateway/audit.py)."""
    path = tmp_path / "audit.log"
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from gateway.audit import AuditLog
        async def main():
            log = AuditLog(Path({str(path)!r}))
            n = 0
            while True:
                log.record({{"principal": f"p{{n}}", "method": "/a.S/M"}})
                print(n, flush=True)
                n += 1
        asyncio.run(main())
        """
    )
    writer = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    acknowledged = [int(writer.stdout.readline()) for _ in range(500)]
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    asyncio.run(AuditLog(path).close())  # a restarted gateway drops a torn, unacknowledged last line
    count, broken = verify(path)
    assert broken is None
    recorded = {json.loads(line)["principal"] for line in path.read_text().splitlines()}
    assert {f"p{i}" for i in acknowledged} <= recorded
    assert count >= len(acknowledged)


async def test_a_torn_last_line_is_dropped_on_start(tmp_path):
    path = tmp_path / "audit.log"
    await write(path, 5)
    with path.open("a") as file:
        file.write('{"seq": 6, "princ')
    await write(path, 1)
    assert verify(path) == (6, None)


async def test_PLT_05_a_full_disk_refuses_the_record_rather_than_dropping_it():
    log = AuditLog(Path("/dev/full"))  # every write fails with ENOSPC
    with pytest.raises(AuditUnavailable, match="refused a write"):
        log.record(entry(1))
    with pytest.raises(AuditUnavailable, match="is failing"):
        log.record(entry(2))  # and stays refused: the chain never skips an entry
    with pytest.raises(OSError):
        await log.close()  # shutting down says so too


async def test_PLT_05_entries_cut_from_the_end_are_found_against_a_logged_head(tmp_path, caplog):
    path = tmp_path / "audit.log"
    caplog.set_level("INFO", logger="gateway.audit")
    await write(path, 20)
    logged = [r for r in caplog.records if r.getMessage().startswith("audit head")][-1]
    head = f"{logged.audit_seq}:{logged.audit_hash}"
    assert logged.audit_seq == 20 and main(["verify", str(path), "--head", head]) == 0
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:15]) + "\n")  # a valid, shorter chain
    assert verify(path) == (15, None)  # the chain alone cannot tell
    count, broken = verify(path, head=(logged.audit_seq, logged.audit_hash))
    assert count == 15 and "removed from the end" in broken.reason
    assert main(["verify", str(path), "--head", head]) == 1


async def test_PLT_05_a_rewritten_chain_does_not_hold_the_logged_head(tmp_path):
    path = tmp_path / "audit.log"
    await write(path, 5)  # stands for a chain rebuilt from scratch: sound, but not the one whose head was logged
    count, broken = verify(path, head=(5, "f" * 64))
    assert count == 4 and broken.line == 5 and "rewritten" in broken.reason


# --- start-up: a torn last line is dropped, and the chain continues from the last whole entry ---

WINDOW = audit._WINDOW  # how much of the file is read at a time from the end


@pytest.mark.parametrize("torn", [1, 100, WINDOW - 1, WINDOW, WINDOW + 1, 3 * WINDOW])
async def test_PLT_05_only_the_torn_last_line_is_dropped_however_long_it_is(tmp_path, torn):
    """A torn line longer than the read window once made start-up empty the whole log."""
    path = tmp_path / "audit.log"
    await write(path, 600)  # longer than one window itself
    whole = path.read_bytes()
    with path.open("ab") as file:
        file.write(b'{"seq":601,"reason":"' + b"x" * (torn - 21) if torn > 21 else b"{" * torn)
    await write(path, 1)
    assert path.read_bytes().startswith(whole) and verify(path) == (601, None)


async def test_PLT_05_a_crash_during_the_very_first_write_leaves_an_empty_chain(tmp_path):
    path = tmp_path / "audit.log"
    path.write_bytes(b'{"seq":1,"princ')
    await write(path, 1)
    assert verify(path) == (1, None) and json.loads(path.read_text())["seq"] == 1


@pytest.mark.parametrize("size", [10, WINDOW - 200, WINDOW, 2 * WINDOW + 7])
async def test_PLT_05_a_restart_continues_after_a_long_last_entry(tmp_path, size):
    """The last entry can be longer than the read window (a long refusal reason): the restarted
    gateway still finds where it starts. A restart after a single entry too."""
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record({"reason": "refused: " + "y" * size, "method": "/a.S/M"})
    await log.close()
    await write(path, 2)
    assert verify(path) == (3, None)
    await write(path, 1)
    assert verify(path) == (4, None)


# --- the writer: where the file goes, who may read it, when it reaches the disk ---

async def test_PLT_05_the_log_is_created_with_its_directories_readable_by_owner_and_group_only(tmp_path):
    path = tmp_path / "data" / "gateway" / "audit.log"
    previous = os.umask(0o022)
    try:
        await write(path, 1)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and verify(path) == (1, None)


async def test_PLT_05_the_syncer_is_a_daemon_thread_named_for_the_audit_log(tmp_path):
    """A gateway that exits without closing the log is not held up by its syncer."""
    before = set(threading.enumerate())
    log = AuditLog(tmp_path / "audit.log")
    started = [(t.name, t.daemon) for t in threading.enumerate() if t not in before]
    await log.close()
    assert started == [("audit syncer", True)]


async def test_PLT_05_an_entry_reaches_the_disk_within_the_sync_interval_without_a_close(tmp_path, monkeypatch):
    real_fsync, synced_at, synced = os.fsync, [], threading.Event()

    def fsync(fd):
        real_fsync(fd)
        synced_at.append(time.monotonic())
        synced.set()

    monkeypatch.setattr(os, "fsync", fsync)
    log = AuditLog(tmp_path / "audit.log")
    recorded_at = time.monotonic()
    log.record(entry(1))
    assert synced.wait(5)
    assert synced_at[0] - recorded_at < 0.5  # 5 ms by default; the margin is for a loaded machine
    await log.close()


async def test_PLT_05_after_a_failed_sync_every_call_is_refused(tmp_path, monkeypatch):
    attempted = threading.Event()

    def failing_fsync(fd):
        attempted.set()
        raise OSError(errno.EIO, "Input/output error")

    path = tmp_path / "audit.log"
    monkeypatch.setattr(os, "fsync", failing_fsync)
    log = AuditLog(path)
    for n in range(100):  # the syncer marks the failure just after the attempt: a record or two may pass
        attempted.clear()
        try:
            log.record(entry(n))
        except AuditUnavailable as refused:
            assert str(refused) == f"audit log {path} is failing: [Errno 5] Input/output error"
            break
        assert attempted.wait(5)
    else:
        pytest.fail("the log still takes entries after the disk refused a sync")
    assert verify(path) == (n, None)  # the refused call left no entry and no gap


async def test_PLT_05_a_refused_write_names_the_log_and_the_error():
    log = AuditLog(Path("/dev/full"))
    with pytest.raises(AuditUnavailable) as refused:
        log.record(entry(1))
    assert str(refused.value) == "audit log /dev/full refused a write: [Errno 28] No space left on device"
    with pytest.raises(AuditUnavailable) as refused:
        log.record(entry(2))
    assert str(refused.value) == "audit log /dev/full is failing: [Errno 28] No space left on device"
    with pytest.raises(OSError):
        await log.close()


class Clock:
    """Stands in for the audit module's `time`: the test sets the monotonic time; sleep is real."""

    def __init__(self, now: float) -> None:
        self.now, self.read = now, threading.Event()

    def monotonic(self) -> float:
        self.read.set()
        return self.now

    sleep = staticmethod(time.sleep)


class Heads(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.logged = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.logged.set()


@pytest.fixture
def heads():
    logger, handler = logging.getLogger("gateway.audit"), Heads()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_PLT_05_the_durable_head_is_logged_at_the_first_sync_then_every_10_seconds(tmp_path, monkeypatch, heads):
    clock = Clock(10.0)  # 10 s after the monotonic clock's start: the first sync logs its head
    monkeypatch.setattr(audit, "time", clock)
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record(entry(1))
    assert heads.logged.wait(5)
    heads.logged.clear()
    clock.read.clear()
    clock.now = 19.999
    log.record(entry(2))
    assert clock.read.wait(5)  # synced, not yet 10 s after the last head: not logged
    clock.now = 20.0
    log.record(entry(3))
    assert heads.logged.wait(5)
    await log.close()  # the last head is logged already
    hashes = [json.loads(line)["hash"] for line in path.read_text().splitlines()]
    assert heads.messages == [f"audit head seq=1 hash={hashes[0]}", f"audit head seq=3 hash={hashes[2]}"]


def test_PLT_05_the_verifier_reads_utf8_whatever_the_locale(tmp_path):
    """An auditor's shell may run with a non-UTF-8 locale; the log is UTF-8 (names in Chinese)."""
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record({"principal": "张三", "method": "/a.S/M"})
    asyncio.run(log.close())
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    verify_in_c_locale = f"from gateway.audit import main; raise SystemExit(main(['verify', {str(path)!r}]))"
    done = subprocess.run([sys.executable, "-c", verify_in_c_locale], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "OK: 1 entries, chain intact\n")
    assert verify(path) == (1, None)  # and in this process's (UTF-8) locale


# --- the command line ---

async def test_PLT_05_verify_prints_the_count_or_the_first_break(tmp_path, capsys):
    path = tmp_path / "audit.log"
    await write(path, 3)
    assert main(["verify", str(path)]) == 0
    assert capsys.readouterr().out == "OK: 3 entries, chain intact\n"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace('"allow"', '"deny"')
    path.write_text("\n".join(lines) + "\n")
    assert main(["verify", str(path)]) == 1
    assert capsys.readouterr().out == "BROKEN at line 2: content does not match its hash (entry edited) (1 entries before it are sound)\n"


async def test_PLT_05_a_head_is_accepted_in_either_case(tmp_path, capsys):
    path = tmp_path / "audit.log"
    await write(path, 3)
    digest = json.loads(path.read_text().splitlines()[1])["hash"]
    assert main(["verify", str(path), "--head", f"2:{digest.upper()}"]) == 0


@pytest.mark.parametrize(
    "head",
    ["", "2", "x:" + "a" * 64, "-2:" + "a" * 64, "2:" + "a" * 63, "2:" + "a" * 65, "2:" + "g" * 64, "2::" + "a" * 63, "2:a" + "a" * 64],
)
def test_PLT_05_a_malformed_head_is_refused_with_its_form(tmp_path, capsys, head):
    path = tmp_path / "audit.log"
    path.write_text("")
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(path), f"--head={head}"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith("error: --head is SEQ:HASH, e.g. 1200:3f5a...  (64 hex digits)\n")


def test_PLT_05_the_command_line_says_how_it_is_used(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert help_text.startswith("usage: python -m gateway.audit [-h] [--head SEQ:HASH] {verify} audit_file\n")
    assert "\n\nChecks the gateway's hash-chained audit log.\n\n" in help_text
    assert "--head SEQ:HASH  a head the gateway logged ('audit head seq=N hash=H'): it must still be there" in help_text
    with pytest.raises(SystemExit) as exited:
        main(["check", "audit.log"])
    assert exited.value.code == 2
    assert "argument command: invalid choice: 'check' (choose from 'verify')" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([])
    assert capsys.readouterr().err.endswith("error: the following arguments are required: command, audit_file\n")
