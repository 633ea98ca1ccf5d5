"""The pgBackRest repository that stands for the offsite site (PLT-03, OPS §4.3): its configuration,
and the engine's commands run as the PostgreSQL server's account.

pgBackRest does the work (full and differential backups, continuous WAL archiving, AES-256
encryption, checksums, retention, verify); this module only writes its configuration and turns its
failures into refusals that name what is wrong: the file that fails its checksum, a key that does
not open the repository.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livecommerce.devstack.postgres import Account, process_options

STANZA = "livecommerce"
RETENTION_FULL = 2
"""Full backups kept (PLT-03): the older one is the restore window's start; WAL before it expires."""


class BackupError(Exception):
    """A backup command refused: the message names what is wrong and what to do."""


@dataclass(frozen=True)
class Repository:
    """pgBackRest configured for one PostgreSQL cluster (`pgdata`) and one repository (`path`)."""

    binary: Path
    config: Path
    path: Path
    pgdata: Path
    port: int
    socket_dir: Path | None
    cipher_pass: str
    account: Account | None
    work_dir: Path
    """Logs, locks and spool of pgBackRest (the site's, not the repository's)."""

    def write_config(self) -> None:
        """The configuration the server's archive_command reads too, so it carries the key (0600,
        owned by the server's account); the CLI's own commands pass the key they were given."""
        lines = [
            "[global]",
            f"repo1-path={self.path}",
            "repo1-cipher-type=aes-256-cbc",
            f"repo1-cipher-pass={self.cipher_pass}",
            f"repo1-retention-full={RETENTION_FULL}",
            "repo1-retention-full-type=count",
            "compress-type=lz4",
            "start-fast=y",
            "process-max=2",
            f"log-path={self.work_dir / 'log'}",
            f"lock-path={self.work_dir / 'lock'}",
            f"spool-path={self.work_dir / 'spool'}",
            "log-level-console=warn",
            "log-level-file=info",
            "",
            f"[{STANZA}]",
            f"pg1-path={self.pgdata}",
            f"pg1-port={self.port}",
            "pg1-user=postgres",
        ]
        if self.socket_dir is not None:
            lines.append(f"pg1-socket-path={self.socket_dir}")
        for directory in (self.path, self.work_dir, self.config.parent, *(self.work_dir / d for d in ("log", "lock", "spool"))):
            directory.mkdir(parents=True, exist_ok=True)
            self._own(directory)
        self.config.write_text("\n".join(lines) + "\n")
        self.config.chmod(0o600)
        self._own(self.config)

    def archive_settings(self, pgdata: Path | None = None) -> dict[str, str]:
        """PostgreSQL settings archiving every WAL segment to the repository (PITR's other half)."""
        override = f" --pg1-path={pgdata}" if pgdata else ""
        return {
            "archive_mode": "on",
            "archive_command": f"{self.binary} --config={self.config}{override} --stanza={STANZA} archive-push %p",
            "archive_timeout": "60",
            "wal_level": "replica",
        }

    def run(self, *args: str, key: str | None = None, timeout: float = 3600) -> str:
        """One pgBackRest command as the server's account; its stdout. A failure raises BackupError
        with pgBackRest's own message, made specific where it has a known cause."""
        command = [str(self.binary), f"--config={self.config}", f"--stanza={STANZA}", *args]
        options = process_options(self.account, self.work_dir)
        options["env"]["PGBACKREST_REPO1_CIPHER_PASS"] = self.cipher_pass if key is None else key
        try:
            answer = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout, **options)
        except subprocess.TimeoutExpired as error:
            raise BackupError(f"pgbackrest {args[-1]} did not finish within {timeout:.0f}s") from error
        if answer.returncode != 0:
            raise BackupError(explain(args[-1], answer.stdout + answer.stderr))
        return answer.stdout

    def stanza_create(self) -> None:
        self.run("stanza-create")

    def info(self, key: str | None = None) -> dict[str, Any]:
        """The stanza's entry of `pgbackrest info --output=json` (backups, archive range, status)."""
        output = self.run("--output=json", "info", key=key)
        try:
            [stanza] = json.loads(output)
        except ValueError as error:  # a wrong key: wrongly decrypted bytes land in the JSON's message
            raise BackupError(explain("info", self.run("info", key=key))) from error
        code = stanza.get("status", {}).get("code", 0)
        if code not in (0, 2):  # 2: no backup yet, which is a state, not a fault
            raise BackupError(explain("info", self.run("info", key=key)))  # the text form says why
        return stanza

    def verify(self, key: str | None = None) -> None:
        """Reads every file of the repository back and checks its checksum (`pgbackrest verify`):
        a tampered or missing file fails naming it. pgBackRest reports those and still exits 0,
        so its report is read here."""
        report = self.run("--log-level-console=detail", "verify", key=key)
        if "is or was the repo encrypted" in report:
            raise BackupError("verify: the encryption key does not open the repository (wrong BACKUP_CIPHER_PASS?)")
        damaged = [f"{self.path / 'backup' / STANZA / name} ({problem})" for problem, name in _DAMAGED_FILE.findall(report)]
        if damaged or re.search(r"^\s*status: error", report, re.MULTILINE):
            summary = "; ".join(line.strip() for line in report.splitlines() if re.search(r"status: invalid|missing: |invalid: ", line))
            raise BackupError(f"the repository is damaged: {', '.join(damaged) or summary} -- {summary}")

    def _own(self, path: Path) -> None:
        if self.account is not None:
            os.chown(path, self.account.uid, self.account.gid)


_DAMAGED_FILE = re.compile(r"INFO: (invalid checksum|invalid size|file missing|invalid \w+) '([^']+)'")
_UNPRINTABLE = re.compile(r"[^\x20-\x7e\n]+")


def explain(command: str, output: str) -> str:
    """pgBackRest's failure as a refusal: a wrong key named as such; undecryptable bytes dropped."""
    text = "\n".join(line.strip()[:300] for line in _UNPRINTABLE.sub("?", output).splitlines()
                     if line.strip() and line.count("?") < 10)  # wrongly decrypted bytes say nothing
    if "unable to load info file" in text and "checksum" not in text.lower():
        return (
            f"{command}: the encryption key does not open the repository (wrong BACKUP_CIPHER_PASS?),"
            f" or its info files are damaged:\n{text}"
        )
    if "unable to find backup set with stop time less than" in text:
        return f"{command}: no backup ends before that time: it is before the oldest restorable point (`lc backups`)\n{text}"
    return f"{command} failed:\n{text}"
