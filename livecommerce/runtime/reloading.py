"""A file whose parsed value follows the file without a restart (the gateway's policy, the CRL).

Operators change such files in place (an editor, `cli revoke`) or by swapping them (a Kubernetes
ConfigMap or Secret volume replaces a symlink), so a change is noticed by the file's identity and
shape, (mtime, size, inode), not by its mtime alone: a swap within the same clock tick, or a copy
that preserves the mtime, is still seen. A new version that fails to parse never replaces the
last good value: the error is logged and kept in `last_error` until a good version arrives, so a
broken edit cannot open or close the gateway by accident. Checks are rate-limited, because a
`stat` per call would cost more than the decision the value serves.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


class ReloadingFile(Generic[T]):
    """`parse(bytes) -> T` applied to `path` now and whenever the file changes.

    The first load must succeed (a process must not start on a broken file); later failures,
    `ValueError` (which parse errors derive from) or `OSError` (the file is missing or unreadable
    for a moment), keep the last good value.
    """

    def __init__(
        self,
        path: Path,
        parse: Callable[[bytes], T],
        *,
        check_every: float = 0.5,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path, self._parse, self._check_every, self._monotonic = path, parse, check_every, monotonic
        self._stamp = _stamp(path.stat())
        self.value: T = parse(path.read_bytes())
        self.last_error = ""
        self._checked = monotonic()

    def current(self) -> T:
        """The value of the latest good version of the file (checked at most every `check_every`)."""
        now = self._monotonic()
        if now - self._checked >= self._check_every:
            self._checked = now
            self._reload_if_changed()
        return self.value

    def _reload_if_changed(self) -> None:
        try:
            stamp = _stamp(self.path.stat())
            if stamp == self._stamp:
                return
            self._stamp = stamp
            self.value = self._parse(self.path.read_bytes())
        except (OSError, ValueError) as error:
            if str(error) != self.last_error:  # once per broken version, not once per check
                log.error("%s: keeping the last good version: %s", self.path, error, extra={"file": str(self.path)})
            self.last_error = str(error)
            return
        log.info("%s: reloaded", self.path, extra={"file": str(self.path)})
        self.last_error = ""
