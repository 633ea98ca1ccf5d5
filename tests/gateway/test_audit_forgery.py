"""PLT-05: the audit chain finds an edit even when the forger recomputes hashes. Each entry's hash
covers the link to the entry before it, and the verifier checks every link: an edited entry with
a fresh hash breaks the next entry's link, and patching that link breaks the next entry's hash."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.audit import GENESIS, AuditLog, entry_hash, verify


def entry(n: int) -> dict:
    return {"principal": f"p{n}", "role": "merchant", "method": "/a.S/M", "decision": "allow", "code": "OK"}


async def chain(path: Path, count: int) -> list[dict]:
    log = AuditLog(path)
    for n in range(count):
        log.record(entry(n))
    await log.close()
    return read(path)


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def rehash(line: dict) -> None:
    """What a forger with the code does: recompute the entry's own hash over its edited content."""
    body = {k: v for k, v in line.items() if k not in ("prev", "hash")}
    line["hash"] = entry_hash(line["prev"], body)


def save(path: Path, lines: list[dict]) -> None:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))


async def test_PLT_05_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(tmp_path):
    path = tmp_path / "audit.log"
    lines = await chain(path, 10)
    lines[4]["decision"] = "deny"
    rehash(lines[4])
    save(path, lines)
    count, broken = verify(path)
    assert (count, broken.line) == (5, 6) and "does not chain" in broken.reason


async def test_PLT_05_a_forger_who_also_patches_the_next_link_breaks_the_next_hash(tmp_path):
    path = tmp_path / "audit.log"
    lines = await chain(path, 10)
    lines[4]["decision"] = "deny"
    rehash(lines[4])
    lines[5]["prev"] = lines[4]["hash"]  # the link now matches; the next entry's hash covered the old one
    save(path, lines)
    count, broken = verify(path)
    assert (count, broken.line) == (5, 6) and "edited" in broken.reason


async def test_PLT_05_the_first_entry_links_to_genesis(tmp_path):
    path = tmp_path / "audit.log"
    lines = await chain(path, 3)
    assert lines[0]["prev"] == GENESIS and [line["seq"] for line in lines] == [1, 2, 3]
    lines[0]["prev"] = "1" * 64
    rehash(lines[0])
    save(path, lines)
    count, broken = verify(path)
    assert (count, broken.line) == (0, 1) and "does not chain" in broken.reason


def test_PLT_05_the_hash_is_sha256_over_the_link_and_the_canonical_entry():
    """The file format is fixed: logs written by earlier gateways must verify with later ones."""
    import hashlib

    body = {"seq": 1, "principal": "张三", "method": "/a.S/M"}
    canonical = '{"method":"/a.S/M","principal":"张三","seq":1}'
    expected = hashlib.sha256(f"{GENESIS}\n{canonical}".encode()).hexdigest()
    assert entry_hash(GENESIS, body) == expected
    assert entry_hash("1" * 64, body) != expected


async def test_PLT_05_each_break_is_reported_with_its_line_and_exact_reason(tmp_path):
    from gateway.audit import Broken

    path = tmp_path / "audit.log"
    lines = await chain(path, 4)
    save(path, lines[:2])
    with path.open("a") as file:
        file.write("garbage\n")
    assert verify(path) == (2, Broken(3, "not a chained audit entry"))
    edited = [dict(line) for line in lines]
    edited[1]["code"] = "DENIED"
    save(path, edited)
    assert verify(path) == (1, Broken(2, "content does not match its hash (entry edited)"))
    rehash(edited[1])
    save(path, edited)
    assert verify(path) == (2, Broken(3, "does not chain to the entry before it"))
    save(path, lines[:2])
    assert verify(path, head=(4, lines[3]["hash"])) == (
        2, Broken(3, "the file ends at entry 2, before the head 4 logged earlier (entries removed from the end)"))
