"""The reloading-file helper behind the gateway's policy and CRL: a change is seen by mtime, size
or inode; a version that does not parse keeps the last good value, logged once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from livecommerce.runtime.reloading import ReloadingFile


def parse(data: bytes) -> int:
    return int(data)  # ValueError for anything but a number: a "broken version"


def replace_keeping_mtime(path: Path, data: bytes) -> None:
    """Swaps in a new file with the old one's mtime, as a ConfigMap symlink swap or `cp -p` can."""
    mtime = path.stat().st_mtime_ns
    fresh = path.with_suffix(".new")
    fresh.write_bytes(data)
    os.utime(fresh, ns=(mtime, mtime))
    os.replace(fresh, path)


def test_a_change_is_seen_by_size_or_inode_even_with_the_same_mtime(tmp_path):
    path = tmp_path / "value"
    path.write_bytes(b"1")
    reloading = ReloadingFile(path, parse, check_every=0)
    replace_keeping_mtime(path, b"22")  # another size
    assert reloading.current() == 22
    replace_keeping_mtime(path, b"33")  # same size, same mtime, another inode
    assert reloading.current() == 33


def test_a_broken_version_keeps_the_last_good_value_and_is_logged_once(tmp_path, caplog):
    path = tmp_path / "value"
    path.write_bytes(b"1")
    reloading = ReloadingFile(path, parse, check_every=0)
    replace_keeping_mtime(path, b"not a number")
    assert [reloading.current() for _ in range(3)] == [1, 1, 1]
    assert "invalid literal" in reloading.last_error
    assert len([r for r in caplog.records if r.levelname == "ERROR"]) == 1
    path.unlink()  # gone for a moment (an editor's save, a volume swap)
    assert reloading.current() == 1
    path.write_bytes(b"4")
    assert reloading.current() == 4 and reloading.last_error == ""


def test_checks_are_rate_limited(tmp_path):
    path = tmp_path / "value"
    path.write_bytes(b"1")
    now = [100.0]
    reloading = ReloadingFile(path, parse, check_every=0.5, monotonic=lambda: now[0])
    replace_keeping_mtime(path, b"22")
    assert reloading.current() == 1  # within the interval: not even a stat
    now[0] += 0.5
    assert reloading.current() == 22


def test_the_first_version_must_parse(tmp_path):
    path = tmp_path / "value"
    path.write_bytes(b"broken")
    with pytest.raises(ValueError):
        ReloadingFile(path, parse)
