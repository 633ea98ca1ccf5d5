"""Schema migrations: numbered, applied once, safe when replicas start together."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from livecommerce.runtime import db


async def test_PLT_03_concurrent_replicas_apply_migrations_exactly_once(database_url, tmp_path):
    (tmp_path / "0001_things.sql").write_text("CREATE TABLE things (id int PRIMARY KEY);")
    (tmp_path / "0002_more.sql").write_text("ALTER TABLE things ADD COLUMN name text;")
    connections = [await asyncpg.connect(database_url) for _ in range(4)]
    try:
        runtime = [("runtime", m.version) for m in db.load_migrations("runtime", db.RUNTIME_MIGRATIONS)]
        applied = await asyncio.gather(*(db.migrate(c, schema="svc", service_migrations=tmp_path) for c in connections))
        assert sorted(len(a) for a in applied) == [0, 0, 0, len(runtime) + 2]  # the runtime's, then svc 0001-0002
        rows = await connections[0].fetch("SELECT component, version FROM svc.schema_migrations ORDER BY 1, 2")
        assert [tuple(r) for r in rows] == [*runtime, ("svc", 1), ("svc", 2)]
    finally:
        for conn in connections:
            await conn.close()


async def test_an_edited_migration_is_an_error_not_a_silent_skip(database_url, tmp_path):
    migration = tmp_path / "0001_things.sql"
    migration.write_text("CREATE TABLE things (id int);")
    conn = await asyncpg.connect(database_url)
    try:
        await db.migrate(conn, schema="svc", service_migrations=tmp_path)
        migration.write_text("CREATE TABLE things (id bigint);")
        with pytest.raises(RuntimeError, match="changed after it was applied"):
            await db.migrate(conn, schema="svc", service_migrations=tmp_path)
    finally:
        await conn.close()


def test_migration_names_are_checked(tmp_path: Path):
    (tmp_path / "first.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="NNNN_name.sql"):
        db.load_migrations("svc", tmp_path)
