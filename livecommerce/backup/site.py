"""The site's offsite backup (PLT-03, OPS §4.3): the SRE commands `lc backup`, `lc backups`,
`lc restore` and `lc replay` in one place, over a suite data directory laid out as `./dev up`
leaves it: `postgres/` (the one cluster holding every service's schema, so one restore point
keeps cross-service projections consistent), `offsite/` (the encrypted pgBackRest repository,
standing for the offsite site), `backup/` (pgBackRest's config, logs, locks; the key unless
BACKUP_CIPHER_PASS gives it), `run/` (the suite's process ids, paused during a restore: `pause.py`).

A restore never touches the running site until it has succeeded: it restores into a new data
directory, runs the recovery there on a port of its own, and only then stops the live server,
keeps its old data directory aside and swaps the restored one in.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import secrets
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from livecommerce.backup.pause import services_paused
from livecommerce.backup.repository import BackupError, Repository
from livecommerce.devstack.ports import log_tail
from livecommerce.devstack.postgres import LocalPostgres
from livecommerce.runtime.db import quote_identifier

KEY_ENV = "BACKUP_CIPHER_PASS"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Backup:
    label: str
    kind: str
    started: datetime
    stopped: datetime
    size: int
    """Bytes of the database the backup holds."""
    stored: int
    """Bytes it takes in the repository (compressed, encrypted)."""

    @property
    def restorable_from(self) -> datetime:
        """The first moment a restore may target: pgBackRest keeps the stop time in whole seconds
        and picks a backup whose stop time is earlier than the target, so the next second."""
        return self.stopped + timedelta(seconds=1)


@dataclass(frozen=True)
class Restored:
    target: str
    last_transaction: datetime | None
    """The last transaction the recovery replayed: the RPO is measured from it."""
    started: float
    serving: float
    """monotonic seconds when the restore began and when the restored server accepted connections."""
    kept_aside: Path | None

    @property
    def rto_seconds(self) -> float:
        return self.serving - self.started


class BackupSite:
    archive_wait = 30.0
    """Seconds a restore waits for the live server's last WAL segment to be archived."""

    def __init__(self, data_dir: Path, *, key: str | None = None, install: bool = True) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.work_dir = self.data_dir / "backup"
        self.repo_path = self.data_dir / "offsite"
        self._key = key
        self._install = install
        self.postgres = LocalPostgres(self.data_dir / "postgres", stop_at_exit=False)

    # -- configuration -----------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The repository key: given, else BACKUP_CIPHER_PASS, else the site's key file (made once).
        Lose it and the backups are noise: keep a copy apart from the site (docs/operations.md)."""
        if self._key is None:
            self._key = os.environ.get(KEY_ENV) or self._key_file()
        return self._key

    def _key_file(self) -> str:
        path = self.work_dir / "cipher.key"
        if not path.exists():
            self.work_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(48)).decode())
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def configured(self) -> bool:
        return (self.work_dir / "pgbackrest.conf").exists()

    def repository(self, pgdata: Path | None = None) -> Repository:
        from livecommerce.devstack.pgbackrest import find_pgbackrest

        stored_key = (self.work_dir / "cipher.key").read_text().strip() if (self.work_dir / "cipher.key").exists() else None
        return Repository(
            binary=find_pgbackrest(install=self._install),
            config=self.work_dir / "pgbackrest.conf",
            path=self.repo_path,
            pgdata=pgdata or self.postgres.pgdata,
            port=self.postgres.port,
            socket_dir=self.postgres.socket_dir,
            # the config (read by archive_command) keeps the site's key; commands use the one given
            cipher_pass=stored_key or self.key,
            account=self.postgres.account,
            work_dir=self.work_dir,
        )

    def archiving_postgres(self) -> LocalPostgres:
        """The site's server with WAL archiving on (`./dev up` with backup, the drills)."""
        repository = self.repository()
        return LocalPostgres(self.postgres.data_dir, archive=repository.archive_settings(), stop_at_exit=False)

    def enable(self) -> LocalPostgres:
        """Writes the configuration, starts the archiving server and creates the stanza (idempotent)."""
        _ = self.key  # the key file first, so the config written next carries it
        repository = self.repository()
        repository.write_config()
        server = self.archiving_postgres()
        if server.is_running() and not asyncio.run(_archiving(server.url)):
            server.restart()  # started earlier without archiving: the settings are rewritten on start
        server.start()
        repository.stanza_create()
        return server

    # -- backup and inventory -----------------------------------------------------------------

    def backup(self, kind: str = "full") -> Backup:
        if kind not in ("full", "diff"):
            raise BackupError(f"backup type must be full or diff, not {kind!r}")
        repository = self.repository()
        repository.run(f"--type={kind}", "backup", key=self.key)
        return self.backups()[-1]

    def backups(self, *, verify: bool = False) -> list[Backup]:
        repository = self.repository()
        info = repository.info(key=self.key)  # a wrong key first: verify would call it damage
        if verify:
            repository.verify(key=self.key)
        return [
            Backup(
                label=entry["label"], kind=entry["type"],
                started=datetime.fromtimestamp(entry["timestamp"]["start"], UTC),
                stopped=datetime.fromtimestamp(entry["timestamp"]["stop"], UTC),
                size=entry["info"]["size"], stored=entry["info"]["repository"]["delta"],
            )
            for entry in info.get("backup", [])
        ]

    def oldest_restorable(self) -> datetime | None:
        """The end of the oldest backup: no consistent state exists before it (PLT-03)."""
        found = self.backups()
        return found[0].restorable_from if found else None

    async def switch_wal(self, within: float = 60.0) -> str:
        """Closes the current WAL segment and waits until it is archived: everything committed
        before this call is then offsite (the drill's archive point)."""
        conn = await asyncpg.connect(self.postgres.url)
        try:
            segment = await conn.fetchval("SELECT pg_walfile_name(pg_switch_wal())")
            deadline = time.monotonic() + within
            while (await conn.fetchval("SELECT last_archived_wal FROM pg_stat_archiver") or "") < segment:
                if time.monotonic() > deadline:
                    raise BackupError(f"WAL segment {segment} not archived within {within:.0f}s (see pg_stat_archiver)")
                await asyncio.sleep(0.1)
            return segment
        finally:
            await conn.close()

    # -- restore -----------------------------------------------------------------------------

    def restore(self, to: str = "latest", *, progress: Progress = print) -> Restored:
        """Restores the site to `to` ("latest": the end of the archived WAL; else a time) into a new
        data directory, then swaps it in. Refuses, leaving the running site as it was, when the
        target precedes the oldest backup, the repository is damaged or the key is wrong, or
        sessions other than the paused services' are connected (someone is writing)."""
        started = time.monotonic()
        target = None if to == "latest" else parse_time(to)
        found = self.backups()
        if not found:
            raise BackupError("no backup in the repository: nothing to restore (take one with `lc backup`)")
        # PLT-03: no consistent state exists before the oldest backup's end; say so, touch nothing
        if target is not None and target < found[0].restorable_from:
            raise BackupError(
                f"restore refused: --to {to}: before the oldest restorable point {found[0].restorable_from.isoformat()} (backup {found[0].label});"
                " nothing older is kept (retention)"
            )
        if target is not None and target > datetime.now(UTC):
            raise BackupError(
                f"restore refused: --to {to}: in the future (now {datetime.now(UTC).isoformat(timespec='seconds')});"
                " --to latest restores everything archived; nothing was changed"
            )
        staging = LocalPostgres(self.data_dir / "postgres.restoring", stop_at_exit=False)
        with services_paused(self.data_dir, progress) as paused:
            self._refuse_writers(paused)
            self._archive_until_now(progress)
            # read back once the last segment is in: nothing is being pushed into the repository now
            progress("verifying the repository (every file's checksum)")
            self.repository().verify(key=self.key)  # the key was proven by backups() above
            if staging.is_running():  # a restore killed during recovery left its server running there
                progress(f"stopping the PostgreSQL (pid {staging.postmaster_pid()}) an interrupted restore left running on {staging.data_dir}")
                staging.kill()
            if staging.data_dir.exists():
                shutil.rmtree(staging.data_dir)
            staging.data_dir.mkdir(parents=True)
            staging.pgdata.mkdir(mode=0o700)
            if staging.account is not None:
                for path in (staging.data_dir, staging.pgdata):
                    os.chown(path, staging.account.uid, staging.account.gid)
            try:
                last = self._recover(staging, target, progress)
            except BaseException:
                staging.kill()
                shutil.rmtree(staging.data_dir, ignore_errors=True)
                raise
            # PLT-03: only a recovered directory replaces the site's, and the old one is kept aside
            progress("recovery done; swapping the restored data directory in")
            self.postgres.stop()
            kept = None
            if self.postgres.pgdata.exists():
                kept = self.postgres.data_dir / f"pgdata.replaced-{datetime.now(UTC):%Y%m%dT%H%M%S}"
                self.postgres.pgdata.rename(kept)
            staging.pgdata.rename(self.postgres.pgdata)
            shutil.rmtree(staging.data_dir, ignore_errors=True)
            self.archiving_postgres().start()
            serving = time.monotonic()
        return Restored(to, last, started, serving, kept)

    def _recover(self, staging: LocalPostgres, target: datetime | None, progress: Progress) -> datetime | None:
        repository = self.repository(pgdata=staging.pgdata)
        options = [f"--pg1-path={staging.pgdata}", "--target-action=promote"] if target else [f"--pg1-path={staging.pgdata}"]
        if target is not None:
            options += ["--type=time", f"--target={target.isoformat(sep=' ')}", "--target-exclusive"]
        progress(f"restoring the backup into {staging.pgdata}")
        repository.run(*options, "restore", key=self.key)
        progress("replaying the archived WAL (recovery) on a port of its own")
        recovering = LocalPostgres(staging.data_dir, archive=repository.archive_settings(staging.pgdata), stop_at_exit=False, start_timeout=3600)
        try:
            recovering.start()
            asyncio.run(_wait_promoted(recovering.url))
        except (Exception, asyncpg.InterfaceError) as error:  # the server's own words are in its log
            raise BackupError(_recovery_failed(error, log_tail(recovering.log_path))) from error
        recovering.stop()
        return last_transaction(recovering.log_path)

    def _archive_until_now(self, progress: Progress) -> None:
        """With the live server up and the services paused, closes its current WAL segment and waits
        for it offsite: a target up to this moment is then reachable, not only what a full segment
        or archive_timeout (60 s) sent. A server down (the data directory lost) has nothing more."""
        if not self.postgres.is_running():
            return
        progress("archiving the live server's current WAL segment (everything committed until now)")
        try:
            asyncio.run(self.switch_wal(within=self.archive_wait))
        except BackupError as error:
            progress(f"warning: {error}; the restore reaches only what was archived before")

    def _refuse_writers(self, paused: set[str]) -> None:
        """Sessions of the paused processes are idle (a service's application_name is
        `<service>@<replica id>[ <part>]`, its pid file `<replica id>.pid`); any other may write."""
        if not self.postgres.is_running():
            return
        sessions = [
            who for who in asyncio.run(_client_sessions(self.postgres.url))
            if who.split("@", 1)[-1].split(" ", 1)[0] not in paused or "@" not in who
        ]
        if sessions:
            raise BackupError(
                f"restore refused: sessions are connected and may be writing ({', '.join(sessions)});"
                " stop those clients (or the suite: ./dev down) first; nothing was changed"
            )

    # -- replay ------------------------------------------------------------------------------

    async def replay(
        self, since: datetime, database_url: str | None = None, *, connect: Callable[[str], Awaitable[asyncpg.Connection]] = asyncpg.connect
    ) -> dict[str, int]:
        """Marks every service's outbox rows created since `since` unsent: the relays publish them
        again, and consumers' inboxes drop what they already applied (replay is always safe).
        Refuses a time in the future, as restore does: nothing was written after it."""
        from livecommerce.runtime import outbox

        if since > datetime.now(UTC):
            raise BackupError(
                f"replay refused: --since {since.isoformat()}: in the future (now {datetime.now(UTC).isoformat(timespec='seconds')});"
                " no event was written after it; nothing was changed"
            )
        conn = await connect(database_url or self.postgres.url)
        try:
            schemas = [r["table_schema"] for r in await conn.fetch(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1"
            )]  # fmt: skip
            counts = {}
            for schema in schemas:
                await conn.execute(f"SET search_path TO {quote_identifier(schema)}")
                counts[schema] = await outbox.republish(conn, since=since)
            return counts
        finally:
            await conn.close()


def parse_time(text: str) -> datetime:
    """An ISO-8601 time; one without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise BackupError(f"--to/--since: not a time: {text!r} (ISO 8601, e.g. 2026-12-01T20:15:00+00:00, or latest)") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_LAST_TRANSACTION = re.compile(r"last completed transaction was at log time (\S+ \S+)")


def last_transaction(log_path: Path) -> datetime | None:
    found = _LAST_TRANSACTION.findall(log_path.read_text(errors="replace")) if log_path.exists() else []
    return datetime.fromisoformat(found[-1]) if found else None


async def _archiving(url: str) -> bool:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SHOW archive_mode") == "on"
    finally:
        await conn.close()


def _recovery_failed(error: BaseException, log: str) -> str:
    said = f"{error}" if log.strip() in f"{error}" else f"{error}\n{log}"
    hint = (
        "\nthe target is later than the archived WAL: a segment is archived when full, after archive_timeout (60 s),"
        " or by `lc restore` itself while the live server is up; `lc backups` lists what is kept"
        if "recovery ended before configured recovery target was reached" in said else ""
    )
    return f"recovery failed; the running site is untouched:\n{said}{hint}"


async def _wait_promoted(url: str, within: float = 3600) -> None:
    conn = await asyncpg.connect(url)
    try:
        deadline = time.monotonic() + within
        while await conn.fetchval("SELECT pg_is_in_recovery()"):
            if time.monotonic() > deadline:
                raise BackupError("recovery did not finish")
            await asyncio.sleep(0.1)
    finally:
        await conn.close()


async def _client_sessions(url: str) -> list[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT coalesce(nullif(application_name, ''), usename || '@' || coalesce(client_addr::text, 'socket')) AS who"
            " FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY 1"
        )
        return [r["who"] for r in rows]
    finally:
        await conn.close()
