"""The datastores a benchmark runs against: DATABASE_URL / NATS_URL when set, else a private
PostgreSQL and NATS in a directory the benchmark owns (stopped when it is done)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from livecommerce.devstack import ensure_local_stack


@contextlib.contextmanager
def datastores(root: Path) -> Iterator[tuple[str, str]]:
    if os.environ.get("DATABASE_URL") and os.environ.get("NATS_URL"):
        yield os.environ["DATABASE_URL"], os.environ["NATS_URL"]
        return
    stack = ensure_local_stack(root)
    try:
        yield stack.database_url, stack.nats_url
    finally:
        stack.stop()
