"""Finding pgBackRest (livecommerce/devstack/pgbackrest.py): PATH first, then the tools directory;
a machine with neither, and installing forbidden, gets a refusal naming where it looked."""

from __future__ import annotations

import subprocess

import pytest

from livecommerce.devstack.pgbackrest import find_pgbackrest
from livecommerce.devstack.ports import DevstackError


def test_without_pgbackrest_and_without_installing_the_refusal_names_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(DevstackError, match=f"pgbackrest not found on PATH nor in {tmp_path / 'tools'}/pgbackrest/usr/bin/pgbackrest"):
        find_pgbackrest(tmp_path / "tools", install=False)


def test_the_binary_found_runs_and_is_the_one_on_PATH_when_there_is_one(tmp_path, monkeypatch):
    found = find_pgbackrest()  # fetched into .tools/ by the site fixtures' first use when not installed
    assert subprocess.run([str(found), "version"], capture_output=True, text=True, check=True).stdout.startswith("pgBackRest 2.")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "pgbackrest").symlink_to(found)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert find_pgbackrest(tmp_path / "tools", install=False) == found.resolve()
