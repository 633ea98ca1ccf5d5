"""pgBackRest for the laptop suite and the tests: find it, or fetch it without root.

The offsite backup (PLT-03, docs/operations.md "Backup and restore") uses pgBackRest, an existing
engine, never a home-made one. On a fresh machine it is rarely installed, so, as for PostgreSQL's
binaries (`postgres.find_bindir`), `find_pgbackrest` looks on PATH, then in the project's tools
directory (`.tools/pgbackrest/`), and otherwise unpacks the distribution's package there with
`apt-get download` + `dpkg -x` (no root needed); only when that fails and we are root does it fall
back to `apt-get install -y pgbackrest`. Only what needs a backup calls this, lazily: the test
suite's shared PostgreSQL never archives.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from livecommerce.devstack.ports import DevstackError

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
TOOLS_DIR = ROOT / ".tools"
PACKAGE = "pgbackrest"


def find_pgbackrest(tools_dir: Path | None = None, *, install: bool = True) -> Path:
    """The pgbackrest binary: on PATH, else unpacked under `tools_dir/pgbackrest`, else fetched."""
    tools_dir = Path(tools_dir or os.environ.get("LC_TOOLS_DIR") or TOOLS_DIR)
    on_path = shutil.which("pgbackrest")
    if on_path:
        return Path(on_path).resolve()
    unpacked = tools_dir / PACKAGE / "usr" / "bin" / "pgbackrest"
    if unpacked.exists() and not _missing_libraries(unpacked):
        return unpacked
    if not install:
        raise DevstackError(f"pgbackrest not found on PATH nor in {unpacked}")
    try:
        return _unpack_package(tools_dir)
    except DevstackError as error:
        if os.geteuid() != 0:
            raise DevstackError(f"{error}\ninstall it with: sudo apt-get install -y pgbackrest") from error
        log.warning("%s; installing the package system-wide instead", error)
        _checked(["apt-get", "install", "-y", "--no-install-recommends", PACKAGE], "apt-get install pgbackrest")
        found = shutil.which("pgbackrest")
        if not found:
            raise DevstackError("apt-get installed pgbackrest but it is not on PATH") from error
        return Path(found).resolve()


def _unpack_package(tools_dir: Path) -> Path:
    """`apt-get download` + `dpkg -x` into `tools_dir/pgbackrest`: the distribution's own build,
    matching this machine's libraries, installed without root."""
    if not (shutil.which("apt-get") and shutil.which("dpkg")):
        raise DevstackError("pgbackrest is not installed and this machine has no apt-get/dpkg to fetch it")
    tools_dir.mkdir(parents=True, exist_ok=True)
    target = tools_dir / PACKAGE
    with tempfile.TemporaryDirectory(dir=tools_dir) as scratch:
        # the download runs in the scratch directory; apt's sandbox user may not write there (a warning only)
        _checked(["apt-get", "download", PACKAGE], "apt-get download pgbackrest", cwd=scratch)
        debs = sorted(Path(scratch).glob(f"{PACKAGE}_*.deb"))
        if not debs:
            raise DevstackError("apt-get download pgbackrest left no .deb")
        staging = Path(scratch) / "root"
        _checked(["dpkg", "-x", str(debs[-1]), str(staging)], "dpkg -x pgbackrest")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    binary = target / "usr" / "bin" / "pgbackrest"
    missing = _missing_libraries(binary)
    if missing:
        raise DevstackError(f"pgbackrest unpacked in {target} but shared libraries are missing: {', '.join(missing)}")
    # a server running as another account (root runs PostgreSQL as `postgres`) calls it from archive_command
    for path in [tools_dir, target, *target.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | (0o055 if path.is_dir() else 0o044))
    log.info("pgbackrest unpacked in %s", target)
    return binary


def _missing_libraries(binary: Path) -> list[str]:
    if not shutil.which("ldd"):
        return []
    answer = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    return [line.split()[0] for line in answer.stdout.splitlines() if "not found" in line]


def _checked(command: list[str], what: str, cwd: str | None = None) -> None:
    try:
        subprocess.run(command, capture_output=True, text=True, check=True, timeout=300, cwd=cwd)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        detail = getattr(error, "stderr", "") or str(error)
        raise DevstackError(f"{what} failed: {detail.strip()}") from error
