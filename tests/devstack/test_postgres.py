"""LocalPostgres against the machine's real PostgreSQL binaries: start, query, crash, come back."""

from __future__ import annotations

import os
from pathlib import Path

import asyncpg
import pytest

from livecommerce.devstack.ports import free_port, read_port
from livecommerce.devstack.postgres import (
    LocalPostgres,
    find_bindir,
    process_options,
    server_account,
    with_database,
)


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory):
    with LocalPostgres(tmp_path_factory.mktemp("postgres")) as server:
        yield server


async def fetch_one(url: str, query: str, *args: object) -> object:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def test_serves_queries_on_its_socket_and_on_loopback_as_the_postgres_superuser(pg: LocalPostgres) -> None:
    assert pg.url == f"postgresql://postgres@/postgres?host={pg.socket_dir}&port={pg.port}"
    assert await fetch_one(pg.url, "select 1") == 1
    assert await fetch_one(pg.url, "select current_user") == "postgres"
    loopback = f"postgresql://postgres@127.0.0.1:{pg.port}/postgres"  # for clients on another host's path
    assert await fetch_one(loopback, "select inet_server_addr()::text") == "127.0.0.1/32"


async def test_keeps_durability_settings_on(pg: LocalPostgres) -> None:
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        assert await fetch_one(pg.url, f"show {setting}") == "on"
    assert await fetch_one(pg.url, "show max_connections") == "200"


def test_start_on_a_running_server_is_a_no_op(pg: LocalPostgres) -> None:
    pid = pg.postmaster_pid()
    pg.start()
    LocalPostgres(pg.data_dir).start()
    assert pg.postmaster_pid() == pid


async def test_committed_rows_survive_sigkill_and_restart_on_the_same_port(pg: LocalPostgres) -> None:
    conn = await asyncpg.connect(pg.url)
    await conn.execute("create table crash_probe (id int primary key)")
    await conn.execute("insert into crash_probe values (1)")
    port, pid = pg.port, pg.postmaster_pid()

    pg.kill()
    assert not pg.is_running()
    with pytest.raises((OSError, asyncpg.PostgresError)):
        await conn.fetchval("select 1")
    conn.terminate()

    reopened = LocalPostgres(pg.data_dir)  # as a new process would: the port comes from the data dir
    reopened.start()
    assert reopened.port == port and reopened.postmaster_pid() != pid
    assert await fetch_one(pg.url, "select count(*) from crash_probe") == 1


async def test_stop_then_start_keeps_data(pg: LocalPostgres) -> None:
    await fetch_one(pg.url, "create table if not exists restart_probe (id int)")
    pg.restart()
    assert pg.is_running()
    assert await fetch_one(pg.url, "select count(*) from restart_probe") == 0


async def test_creates_and_drops_isolated_databases(pg: LocalPostgres) -> None:
    url = await pg.create_database("devstack_probe")
    assert url == with_database(pg.url, "devstack_probe")
    assert await fetch_one(url, "select current_database()") == "devstack_probe"
    with pytest.raises(asyncpg.DuplicateDatabaseError):
        await pg.create_database("devstack_probe")
    assert await pg.create_database("devstack_probe", exist_ok=True) == url
    copy = await pg.create_database("devstack_copy", template="devstack_probe")
    assert await fetch_one(copy, "select 1") == 1
    for name in ("devstack_probe", "devstack_copy"):
        await pg.drop_database(name)
    assert await fetch_one(pg.url, "select count(*) from pg_database where datname like 'devstack_%'") == 0


@pytest.mark.parametrize("name", ["Upper", "1abc", 'x"; drop', "a" * 64, ""])
async def test_rejects_unsafe_database_names(pg: LocalPostgres, name: str) -> None:
    with pytest.raises(ValueError):
        await pg.create_database(name)


def test_remembers_its_port_in_the_data_dir(pg: LocalPostgres) -> None:
    assert read_port(pg.data_dir / "port") == pg.port


async def test_an_explicit_new_port_restarts_the_server_there(pg: LocalPostgres) -> None:
    moved = LocalPostgres(pg.data_dir, port=free_port())
    moved.start()
    assert moved.running_port() == moved.port != pg.port
    assert await fetch_one(moved.url, "select 1") == 1
    LocalPostgres(pg.data_dir, port=pg.port).start()
    assert pg.running_port() == pg.port


def test_long_data_dir_falls_back_to_tcp_only(tmp_path_factory: pytest.TempPathFactory) -> None:
    deep = tmp_path_factory.mktemp("long") / ("d" * 90)
    server = LocalPostgres(deep)
    assert server.socket_dir is None
    assert server.settings()["unix_socket_directories"] == ""
    assert LocalPostgres(Path("/tmp/short")).socket_dir == Path("/tmp/short/run")


async def test_tcp_only_server_starts(tmp_path_factory: pytest.TempPathFactory) -> None:
    with LocalPostgres(tmp_path_factory.mktemp("long") / ("d" * 90)) as server:
        assert await fetch_one(server.url, "select 2") == 2
        assert not any(server.data_dir.glob("**/.s.PGSQL.*"))


def test_finds_the_server_binaries() -> None:
    bindir = find_bindir()
    assert all((bindir / tool).exists() for tool in ("initdb", "pg_ctl", "postgres"))


def test_non_root_runs_binaries_as_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert server_account(euid=1000) is None
    monkeypatch.setenv("PGDATA", "/elsewhere")
    options = process_options(None, tmp_path)
    assert not {"user", "group", "extra_groups"} & options.keys()
    assert options["cwd"] == tmp_path and "PGDATA" not in options["env"]

    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    server = LocalPostgres(tmp_path)
    assert server._account is None
    command = server.initdb_command()
    assert command[0].endswith("initdb") and ["-U", "postgres"] == command[3:5] and "--auth=trust" in command


def test_root_runs_binaries_as_an_unprivileged_account(tmp_path: Path) -> None:
    account = server_account(euid=0)
    assert account is not None and account.uid != 0 and account.name in ("postgres", "nobody")
    options = process_options(account, tmp_path)
    assert (options["user"], options["group"]) == (account.uid, account.gid)
    assert 0 not in options["extra_groups"]
    assert options["env"]["USER"] == account.name


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the data directory to another account")
def test_under_root_the_server_runs_as_that_account(pg: LocalPostgres) -> None:
    account = server_account()
    assert account is not None
    assert (pg.pgdata.stat().st_uid, pg.data_dir.stat().st_uid) == (account.uid, account.uid)
    assert os.stat(f"/proc/{pg.postmaster_pid()}").st_uid == account.uid
