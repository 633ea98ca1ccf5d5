"""The audit log (PLT-05): hash-chained, verifiable, and in the kernel before a call is answered."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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
