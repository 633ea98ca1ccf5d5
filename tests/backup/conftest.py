"""A site with WAL archiving to an encrypted pgBackRest repository, in a temporary directory of
its own: the suite's shared PostgreSQL never archives, so only these tests pay for it."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from livecommerce import cli
from livecommerce.backup.site import BackupSite


@contextlib.contextmanager
def archiving_site(root: Path) -> Iterator[BackupSite]:
    site = BackupSite(root)
    site.enable()
    try:
        yield site
    finally:
        site.postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[BackupSite]:
    with archiving_site(tmp_path_factory.mktemp("site")) as made:
        yield made


def lc(site: BackupSite, *args: str) -> int:
    """`lc <args> --data-dir <site>`, as an SRE types it."""
    return cli.main([*args, "--data-dir", str(site.data_dir)])


async def sql(url: str, statement: str, *args):
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(statement, *args)
    finally:
        await conn.close()


def run(coro):
    """For sync tests: the session loop is not running in them."""
    return asyncio.run(coro)
