"""PostgreSQL access shared by every service: the asyncpg pool and schema migrations.

Each service owns one schema named after it. Migrations are numbered `.sql` files applied in
order, once, under an advisory lock, so two replicas starting together both come up safely.
The runtime's own tables (outbox, inbox) are migrations too and land in every service schema.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from livecommerce.runtime import settings

log = logging.getLogger(__name__)

RUNTIME_MIGRATIONS = Path(__file__).parent / "migrations"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def quote_identifier(name: str) -> str:
    """Schema names come from code, not users, but are still checked before entering SQL text."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return f'"{name}"'


class StatelessConnection(asyncpg.Connection):
    """Skips asyncpg's reset query on release to the pool.

    The reset (UNLISTEN, unlock advisory locks, RESET ALL) is a round trip per transaction and
    halved commit throughput in bench_events. This code base keeps no session state on pooled
    connections: advisory locks are transaction-scoped and nothing LISTENs.
    """

    def get_reset_query(self) -> str:
        return ""


async def create_pool(
    dsn: str, *, schema: str, size: int, application_name: str, session_limits: Mapping[str, str] | None = None
) -> asyncpg.Pool:
    """`session_limits`: `Settings.session_limits`, bounding every transaction by the lease TTL
    (PLT-03); the default TTL's limits when not given."""
    quote_identifier(schema)
    limits = settings.session_limits(settings.DEFAULT_LEASE_TTL_SECONDS) if session_limits is None else session_limits
    return await asyncpg.create_pool(
        dsn,
        min_size=1,
        max_size=size,
        connection_class=StatelessConnection,
        server_settings={
            "search_path": schema,
            "application_name": application_name[:63],
            # A paused process (SIGSTOP, a long GC) must not hold a transaction, and with it the
            # lease row, open for longer than about one lease TTL.
            **limits,
        },
    )


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(component: str, directory: Path) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must be NNNN_name.sql: {path}")
        migrations.append(Migration(component, int(match.group(1)), path.name, path.read_text()))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration numbers in {directory}")
    return migrations


async def migrate(conn: asyncpg.Connection, *, schema: str, service_migrations: Path) -> list[str]:
    """Brings `schema` up to date; returns the names of the migrations it applied.

    The advisory lock serialises concurrent replicas; the loser waits, then finds nothing to do.
    An applied migration whose file has changed since is an error, never silently skipped.
    """
    pending = load_migrations("runtime", RUNTIME_MIGRATIONS) + load_migrations(schema, service_migrations)
    quoted = quote_identifier(schema)
    applied_now = []
    async with conn.transaction():
        # A replica waits for another's migrations however long they take, and a migration may
        # outlast the limits meant for service transactions.
        await conn.execute("SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0")
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"livecommerce.migrate.{schema}")
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
        await conn.execute(f"SET LOCAL search_path TO {quoted}")
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   component text NOT NULL,
                   version integer NOT NULL,
                   name text NOT NULL,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (component, version))"""
        )
        rows = await conn.fetch("SELECT component, version, checksum FROM schema_migrations")
        done = {(r["component"], r["version"]): r["checksum"] for r in rows}
        for migration in pending:
            key = (migration.component, migration.version)
            if key in done:
                if done[key] != migration.checksum:
                    raise RuntimeError(f"migration {migration.component}/{migration.name} changed after it was applied")
                continue
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)",
                migration.component,
                migration.version,
                migration.name,
                migration.checksum,
            )
            applied_now.append(f"{migration.component}/{migration.name}")
    if applied_now:
        log.info("migrations applied", extra={"schema": schema, "applied": applied_now})
    return applied_now
