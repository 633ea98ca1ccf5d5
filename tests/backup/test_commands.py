"""`lc backup`, `lc backups`, `lc restore` refusals (PLT-03's offsite half) against a real archiving
PostgreSQL and a real encrypted pgBackRest repository. Every refusal names what is wrong and leaves
the running site as it was: same data directory, server up, rows there."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time

import pytest

from livecommerce.backup.pause import MARKER
from livecommerce.backup.repository import STANZA
from livecommerce.devstack.ports import process_command_line
from tests.backup.conftest import lc, run, sql


def marker_rows(site) -> list[str]:
    return [r["note"] for r in run(sql(site.postgres.url, "SELECT note FROM marker ORDER BY id"))]


@pytest.fixture(scope="module")
def backed_up(site):
    """The site with a table, a full and a differential backup; the labels."""
    run(sql(site.postgres.url, "CREATE TABLE marker (id serial PRIMARY KEY, note text NOT NULL)"))
    run(sql(site.postgres.url, "INSERT INTO marker (note) VALUES ('before the backup')"))
    return site


def assert_untouched(site, pgdata_inode: int) -> None:
    assert site.postgres.is_running(), "a refused restore stopped the server"
    assert site.postgres.pgdata.stat().st_ino == pgdata_inode, "a refused restore swapped the data directory"
    assert not (site.data_dir / "postgres.restoring").exists()
    assert marker_rows(site)[0] == "before the backup"


def test_PLT_03_backup_prints_label_size_duration_and_backups_lists_them_with_the_oldest_restorable_point(backed_up, capsys):
    site = backed_up
    assert lc(site, "backup", "full") == 0
    full = re.search(r"backup (\d{8}-\d{6}F) \(full\): database \d+\.\d MB, stored \d+\.\d MB .*, \d+\.\d s", capsys.readouterr().out)
    assert full, "no label, size and duration printed"
    run(sql(site.postgres.url, "INSERT INTO marker (note) VALUES ('between')"))
    assert lc(site, "backup", "diff") == 0
    diff = re.search(rf"backup ({full[1]}_\d{{8}}-\d{{6}}D) \(diff\)", capsys.readouterr().out)
    assert diff, "the differential backup does not build on the full one"
    assert lc(site, "backups") == 0
    listed = capsys.readouterr().out
    assert f"{full[1]} " in listed and f"{diff[1]} " in listed
    oldest = site.backups()[0].restorable_from
    assert f"oldest restorable point: {oldest.isoformat()}; every file's checksum verified" in listed


def test_PLT_03_restore_to_a_time_before_the_oldest_backup_is_refused_naming_the_oldest_point(backed_up, capsys):
    site = backed_up
    if not site.backups():
        assert lc(site, "backup", "full") == 0
    inode = site.postgres.pgdata.stat().st_ino
    assert lc(site, "restore", "--to", "2020-01-01T00:00:00Z") == 1
    error = capsys.readouterr().err
    assert "before the oldest restorable point" in error and site.backups()[0].label in error
    assert error.startswith("restore refused: --to 2020-01-01T00:00:00Z: ") and error.count("refused") == 1, error
    assert_untouched(site, inode)


def test_PLT_03_restore_to_something_not_a_time_is_refused(backed_up, capsys):
    assert lc(backed_up, "restore", "--to", "yesterday") == 1
    assert "not a time: 'yesterday'" in capsys.readouterr().err


def test_PLT_03_restore_while_a_client_is_connected_is_refused_naming_it(backed_up, capsys):
    import asyncpg

    site = backed_up
    if not site.backups():
        assert lc(site, "backup", "full") == 0
    inode = site.postgres.pgdata.stat().st_ino

    async def restore_while_connected() -> int:
        import asyncio

        writer = await asyncpg.connect(site.postgres.url, server_settings={"application_name": "anchor@anchor-a"})
        try:
            return await asyncio.to_thread(lc, site, "restore", "--to", "latest")
        finally:
            await writer.close()

    assert run(restore_while_connected()) == 1
    error = capsys.readouterr().err
    assert error.startswith("restore refused: sessions are connected") and "anchor@anchor-a" in error
    assert error.count("refused") == 1, error
    assert_untouched(site, inode)


def test_PLT_03_a_wrong_key_is_refused_by_every_command(backed_up, capsys, monkeypatch):
    site = backed_up
    inode = site.postgres.pgdata.stat().st_ino
    monkeypatch.setenv("BACKUP_CIPHER_PASS", "not-the-key")
    for command in (["backups"], ["backup", "diff"], ["restore", "--to", "latest"]):
        assert lc(site, *command) == 1, command
        assert "the encryption key does not open the repository" in capsys.readouterr().err, command
    assert_untouched(site, inode)


@pytest.mark.parametrize("damage", ["tampered", "missing"])
def test_PLT_03_a_damaged_repository_file_is_named_by_backups_and_restore(backed_up, capsys, damage, tmp_path):
    site = backed_up
    if not site.backups():
        assert lc(site, "backup", "full") == 0
    inode = site.postgres.pgdata.stat().st_ino
    kept = tmp_path / "offsite"
    subprocess.run(["cp", "-a", str(site.repo_path), str(kept)], check=True)  # owners kept: the server's account reads it
    try:
        label = site.backups()[0].label
        victim = sorted((site.repo_path / "backup" / STANZA / label / "pg_data" / "global").glob("*.lz4"))[0]
        if damage == "tampered":
            data = bytearray(victim.read_bytes())
            data[len(data) // 2] ^= 0xFF
            victim.write_bytes(bytes(data))
        else:
            victim.unlink()
        for command in (["backups"], ["restore", "--to", "latest"]):
            assert lc(site, *command) == 1, command
            error = capsys.readouterr().err
            assert "the repository is damaged" in error and str(victim) in error, error
        assert_untouched(site, inode)
    finally:
        shutil.rmtree(site.repo_path)
        subprocess.run(["cp", "-a", str(kept), str(site.repo_path)], check=True)
    assert lc(site, "backups") == 0  # the intact copy verifies again


def test_PLT_03_commands_on_a_site_without_backup_are_refused(tmp_path, capsys):
    assert __import__("livecommerce.cli").cli.main(["backups", "--data-dir", str(tmp_path)]) == 1
    assert "no backup configured" in capsys.readouterr().err


def test_PLT_03_enabling_backup_on_a_site_started_without_it_turns_archiving_on(tmp_path, capsys):
    """`./dev up` on a data directory from before backup existed: the running server is restarted
    with archiving, the stanza created; doing it again changes nothing."""
    from livecommerce.backup.site import BackupSite
    from livecommerce.devstack.postgres import LocalPostgres

    plain = LocalPostgres(tmp_path / "postgres", stop_at_exit=False)
    plain.start()
    site = BackupSite(tmp_path)
    try:
        assert run(sql(plain.url, "SHOW archive_mode"))[0][0] == "off"
        site.enable()
        site.enable()
        assert run(sql(plain.url, "SHOW archive_mode"))[0][0] == "on"
        run(site.switch_wal())  # a segment reaches the repository
        assert lc(site, "backups") == 0
        assert "oldest restorable point: none (no backup yet" in capsys.readouterr().out
    finally:
        plain.stop()


def restorable_now(site) -> None:
    """A backup exists and the database clock has passed its end (kept in whole seconds)."""
    if not site.backups():
        assert lc(site, "backup", "full") == 0
    oldest = site.backups()[0].restorable_from
    while run(sql(site.postgres.url, "SELECT now() AS at"))[0]["at"] <= oldest:
        time.sleep(0.05)  # a wall-clock second boundary, not a rule's time


def test_PLT_03_restore_to_a_time_in_the_future_is_refused(backed_up, capsys):
    inode = backed_up.postgres.pgdata.stat().st_ino
    assert lc(backed_up, "restore", "--to", "2999-01-01T00:00:00Z") == 1
    error = capsys.readouterr().err
    assert error.startswith("restore refused: --to 2999-01-01T00:00:00Z: in the future (now ") and error.count("refused") == 1, error
    assert_untouched(backed_up, inode)


def test_PLT_03_replay_since_a_time_in_the_future_is_refused_as_restore_refuses_it(backed_up, capsys):
    assert lc(backed_up, "replay", "--since", "2999-01-01T00:00:00Z") == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("replay refused: --since 2999-01-01T00:00:00+00:00: in the future (now "), captured.err
    assert "nothing was changed" in captured.err and captured.out == ""


def test_PLT_03_restore_while_another_restore_works_is_refused_once(backed_up, capsys):
    """The marker a live restore keeps (run/restore.json) names a process alive and running its command."""
    site = backed_up
    if not site.backups():
        assert lc(site, "backup", "full") == 0
    inode = site.postgres.pgdata.stat().st_ino
    marker = site.data_dir / MARKER
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"owner": os.getpid(), "command": process_command_line(os.getpid()), "paused": {}}))
    try:
        assert lc(site, "restore", "--to", "latest") == 1
    finally:
        marker.unlink(missing_ok=True)
    error = capsys.readouterr().err
    assert error.startswith(f"restore refused: another restore (pid {os.getpid()})") and error.count("refused") == 1, error
    assert_untouched(site, inode)


def test_PLT_03_a_recovery_that_cannot_reach_its_target_is_refused_with_the_servers_words(backed_up, capsys):
    """The live server crashed (its last WAL segment never archived), a target after the archived WAL:
    PostgreSQL's recovery stops short; the refusal quotes it and says why, and the data directory
    stays as it was."""
    site = backed_up
    restorable_now(site)
    run(sql(site.postgres.url, "INSERT INTO marker (note) VALUES ('not archived')"))
    [target] = run(sql(site.postgres.url, "SELECT now() AS at"))
    run(sql(site.postgres.url, "INSERT INTO marker (note) VALUES ('after the target')"))
    inode = site.postgres.pgdata.stat().st_ino
    site.postgres.kill()  # a clean stop would archive the segment
    try:
        assert lc(site, "restore", "--to", target["at"].isoformat()) == 1
        error = capsys.readouterr().err
        assert "recovery failed" in error and "recovery ended before configured recovery target was reached" in error
        assert "the target is later than the archived WAL" in error
        assert "Traceback" not in error
    finally:
        site.archiving_postgres().start()  # as `./dev up` starts it: archiving on
    assert_untouched(site, inode)
    assert marker_rows(site)[-2:] == ["not archived", "after the target"]


def test_PLT_03_restore_to_a_moment_ago_with_the_server_up_reaches_it(backed_up, capsys):
    """No minute of waiting for archive_timeout: `lc restore` archives the live server's current
    WAL segment itself (the services paused), so the moment just before the last write is there."""
    site = backed_up
    restorable_now(site)
    run(sql(site.postgres.url, "INSERT INTO marker (note) VALUES ('kept')"))
    [target] = run(sql(site.postgres.url, "SELECT now() AS at"))
    run(sql(site.postgres.url, "INSERT INTO marker (note) VALUES ('undone')"))
    assert lc(site, "restore", "--to", target["at"].isoformat()) == 0
    out = capsys.readouterr().out
    assert "archiving the live server's current WAL segment" in out and "lc replay --since" in out
    rows = marker_rows(site)
    assert rows[-1] == "kept" and "undone" not in rows


def test_PLT_03_restore_stops_the_recovery_server_a_killed_restore_left_running(backed_up, capsys):
    """`lc restore` killed (-9) during recovery leaves its PostgreSQL running on postgres.restoring/:
    the next restore stops it, says so, and only then replaces that directory."""
    from livecommerce.devstack.ports import process_alive
    from livecommerce.devstack.postgres import LocalPostgres

    site = backed_up
    restorable_now(site)
    leftover = LocalPostgres(site.data_dir / "postgres.restoring", stop_at_exit=False)
    leftover.start()
    pid = leftover.postmaster_pid()
    assert pid is not None and process_alive(pid)
    try:
        assert lc(site, "restore", "--to", "latest") == 0
    finally:
        leftover.kill()
    out = capsys.readouterr().out
    assert f"stopping the PostgreSQL (pid {pid}) an interrupted restore left running on {leftover.data_dir}" in out
    assert not process_alive(pid)
    assert not (site.data_dir / "postgres.restoring").exists()
    assert site.postgres.is_running() and marker_rows(site)[0] == "before the backup"
