"""The gateway's audit log (PLT-05): every call, allowed or denied, in an append-only file where
each entry carries the hash of the one before it, so an edit or a deletion breaks the chain.

Guarantee: a call's response waits until its entry is on disk (written and fsynced), so a crash
never loses the record of a call the client saw answered. Entries are group-committed: one writer
task appends whatever is queued and fsyncs once per batch, so the cost per call is a queue put
and a share of one fsync, not an fsync of its own.

Limit: the chain proves order and integrity of what is there; removing entries from the *end*
leaves a valid shorter chain. Ship the head hash off the machine (logs, a regulator export) to
close that gap.

    python -m gateway.audit verify AUDIT_FILE   # exit 0 and the count, or the first broken link
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

GENESIS = "0" * 64


def entry_hash(previous: str, body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Broken:
    line: int
    reason: str


def verify(path: Path) -> tuple[int, Broken | None]:
    """Walks the chain; returns how many entries are sound and the first broken link, if any."""
    previous, expected_seq, count = GENESIS, 1, 0
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                seq, prev, digest = entry.pop("seq"), entry.pop("prev"), entry.pop("hash")
            except (ValueError, KeyError):
                return count, Broken(number, "not a chained audit entry")
            if seq != expected_seq:
                return count, Broken(number, f"sequence {seq} where {expected_seq} was expected (entries removed)")
            if prev != previous:
                return count, Broken(number, "does not chain to the entry before it")
            if entry_hash(prev, {"seq": seq, **entry}) != digest:
                return count, Broken(number, "content does not match its hash (entry edited)")
            previous, expected_seq, count = digest, expected_seq + 1, count + 1
    return count, None


def _drop_torn_write(path: Path) -> None:
    """A crash during a write can leave half a line; it was never acknowledged (no fsync), so the
    gateway drops it on start-up and the chain goes on from the last whole entry."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as file:
        file.seek(max(0, path.stat().st_size - 65536))
        tail = file.read()
        if not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n")
            file.truncate(path.stat().st_size - len(tail) + cut + 1 if cut >= 0 else 0)


def _tail(path: Path) -> tuple[int, str]:
    """The last entry's sequence number and hash (the chain continues from there)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0, GENESIS
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - 65536))
        last = file.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    entry = json.loads(last)
    return entry["seq"], entry["hash"]


class AuditLog:
    """Append-only, hash-chained, group-committed. `await log.record({...})` returns once durable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        _drop_torn_write(path)
        self._seq, self._previous = _tail(path)
        self._file = path.open("a", encoding="utf-8")
        self._queue: asyncio.Queue[tuple[dict, asyncio.Future]] = asyncio.Queue()
        self._writer: asyncio.Task | None = None

    async def record(self, body: dict) -> None:
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_batches(), name="audit writer")
        done = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((body, done))
        await done

    async def _write_batches(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            seq, previous, lines = self._seq, self._previous, []
            for body, _ in batch:
                seq += 1
                chained = {"seq": seq, **body}
                digest = entry_hash(previous, chained)
                lines.append(json.dumps({**chained, "prev": previous, "hash": digest}, ensure_ascii=False))
                previous = digest
            try:
                self._file.write("\n".join(lines) + "\n")
                self._file.flush()
                await asyncio.to_thread(os.fsync, self._file.fileno())
                self._seq, self._previous = seq, previous
            except Exception as error:  # noqa: BLE001 - every waiting call learns its record failed
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def close(self) -> None:
        while not self._queue.empty():
            await asyncio.sleep(0.001)
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._file.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "verify":
        print("usage: python -m gateway.audit verify AUDIT_FILE", file=sys.stderr)
        return 2
    count, broken = verify(Path(args[1]))
    if broken:
        print(f"BROKEN at line {broken.line}: {broken.reason} ({count} entries before it are sound)")
        return 1
    print(f"OK: {count} entries, chain intact")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
