"""The gateway's audit log (PLT-05): every call, allowed or denied, in an append-only file where
each entry carries the hash of the one before it, so an edit or a deletion breaks the chain.

Guarantee: a call's answer leaves only after its entry is written to the kernel (`write(2)` on an
append-only descriptor has returned), so a crash of the gateway process (SIGKILL, OOM, a bug)
never loses the record of a call the client saw answered. A syncer thread fsyncs the file every
`sync_interval` (default 5 ms) while entries are pending: a crash of the whole host can lose at
most that last interval. Recording costs a hash and a write on the event loop, no thread hop and
no wait for the disk, which is what keeps the gateway's added latency small.

Removing entries from the *end* would leave a valid shorter chain, so the syncer also logs the
durable head (`audit head seq=N hash=H`, at most every `head_every` seconds) to the gateway's
JSON log, which leaves the host with the rest of the logs; `verify --head N:H` then proves the
file still holds that entry.

    python -m gateway.audit verify AUDIT_FILE [--head SEQ:HASH]   # exit 0 and the count, or the first broken link
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

GENESIS = "0" * 64
_HEX_DIGEST = re.compile("[0-9a-f]{64}")

log = logging.getLogger(__name__)


def canonical_json(body: dict) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(previous: str, body: dict) -> str:
    return _chain(previous, canonical_json(body))


def _chain(previous: str, canonical: str) -> str:
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Broken:
    line: int
    reason: str


def verify(path: Path, *, head: tuple[int, str] | None = None) -> tuple[int, Broken | None]:
    """Walks the chain; returns how many entries are sound and the first broken link, if any.
    With `head` (a sequence number and hash logged earlier) the file must also still hold it."""
    previous, expected_seq, count = GENESIS, 1, 0
    head_seen = head is None
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
            if head is not None and seq == head[0]:
                if digest != head[1]:
                    return count, Broken(number, f"entry {seq} is not the head logged earlier (the chain was rewritten)")
                head_seen = True
            previous, expected_seq, count = digest, expected_seq + 1, count + 1
    if head is not None and not head_seen:
        return count, Broken(count + 1, f"the file ends at entry {count}, before the head {head[0]} logged earlier (entries removed from the end)")
    return count, None


def _drop_torn_write(path: Path) -> None:
    """A crash of the host during a write can leave half a line; that call was never answered, so
    the gateway drops it on start-up and the chain goes on from the last whole entry."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as file:
        file.truncate(_last_newline(file, path.stat().st_size) + 1)  # the same size when the last entry is whole


def _tail(path: Path) -> tuple[int, str]:
    """The last entry's sequence number and hash (the chain continues from there)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0, GENESIS
    size = path.stat().st_size
    with path.open("rb") as file:
        file.seek(_last_newline(file, size - 1) + 1)  # the file ends with a newline: the last entry starts after the one before
        entry = json.loads(file.read())
    return entry["seq"], entry["hash"]


_WINDOW = 65536


def _last_newline(file: BinaryIO, end: int) -> int:
    """The offset of the last newline before `end`, or -1: read backwards a window at a time, since
    an entry (a long refusal reason) can be longer than any one window."""
    while end > 0:
        start = max(0, end - _WINDOW)
        file.seek(start)
        cut = file.read(end - start).rfind(b"\n")
        if cut >= 0:
            return start + cut
        end = start
    return -1


class AuditUnavailable(RuntimeError):
    """The log cannot take entries (the disk refused a write or a sync): calls are refused, not unaudited."""


class AuditLog:
    """Append-only and hash-chained. `log.record({...})` returns once the entry is in the kernel."""

    def __init__(self, path: Path, *, sync_interval: float = 0.005, head_every: float = 10.0) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        _drop_torn_write(path)
        self._head = _tail(path)
        """(sequence number, hash) of the last entry written; replaced whole, so the syncer reads it safely."""
        self._head_every, self._head_logged_at, self._head_logged = head_every, 0.0, self._head
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._sync_interval = sync_interval
        self._pending = threading.Event()
        self._closing = False
        self._failure: OSError | None = None
        self._syncer = threading.Thread(target=self._sync_pending, name="audit syncer", daemon=True)
        self._syncer.start()

    def record(self, body: dict) -> None:
        """Chains and writes one entry; raises AuditUnavailable when it could not be written."""
        if self._failure is not None:
            raise AuditUnavailable(f"audit log {self.path} is failing: {self._failure}")
        last_seq, previous = self._head
        seq = last_seq + 1
        canonical = canonical_json({"seq": seq, **body})
        digest = _chain(previous, canonical)
        # The line is the hashed text itself plus the two chain fields: one serialization per call.
        line = f'{canonical[:-1]},"prev":"{previous}","hash":"{digest}"}}\n'
        try:
            _write_all(self._fd, line.encode())
        except OSError as error:
            self._failure = error
            raise AuditUnavailable(f"audit log {self.path} refused a write: {error}") from error
        self._head = (seq, digest)
        if not self._pending.is_set():
            self._pending.set()

    def _sync_pending(self) -> None:
        while not self._closing:
            self._pending.wait()
            time.sleep(self._sync_interval)  # let a batch gather: one fsync covers it
            self._pending.clear()
            synced = self._head
            try:
                os.fsync(self._fd)
            except OSError as error:
                self._failure = error
                continue
            if time.monotonic() - self._head_logged_at >= self._head_every:
                self._log_head(synced)

    async def close(self) -> None:
        """Syncs what is written and closes the file; closing twice is harmless."""
        if self._closing:
            return
        self._closing = True
        self._pending.set()
        await asyncio.to_thread(self._syncer.join)
        try:
            os.fsync(self._fd)
        finally:
            os.close(self._fd)
        self._log_head(self._head)

    def _log_head(self, head: tuple[int, str]) -> None:
        """The durable head, for `verify --head` (the log leaves the host; the file may not)."""
        if head != self._head_logged:
            self._head_logged, self._head_logged_at = head, time.monotonic()
            log.info("audit head seq=%d hash=%s", *head, extra={"audit_seq": head[0], "audit_hash": head[1]})


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.audit", description="Checks the gateway's hash-chained audit log.")
    parser.add_argument("command", choices=["verify"])
    parser.add_argument("audit_file", type=Path)
    parser.add_argument("--head", metavar="SEQ:HASH", help="a head the gateway logged ('audit head seq=N hash=H'): it must still be there")
    args = parser.parse_args(argv)
    head = None
    if args.head is not None:  # an empty value (an unset shell variable) is refused, not taken as no head
        seq, _, digest = args.head.partition(":")
        digest = digest.lower()
        if not seq.isdigit() or not _HEX_DIGEST.fullmatch(digest):
            parser.error("--head is SEQ:HASH, e.g. 1200:3f5a...  (64 hex digits)")
        head = (int(seq), digest)
    count, broken = verify(args.audit_file, head=head)
    if broken:
        print(f"BROKEN at line {broken.line}: {broken.reason} ({count} entries before it are sound)")
        return 1
    print(f"OK: {count} entries, chain intact")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
