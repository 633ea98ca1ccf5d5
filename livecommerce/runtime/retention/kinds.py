"""What a service declares about keeping its records (SES-07, TRD-02, PLT-02): one `RecordKind`
per table, and the SQL the purge, the status and the DELETE guard derive from it.

A kind names its table and primary key, the moment its age counts from (`since`, an SQL
expression over the row `r` and any joined tables; NULL means "not started counting": never
purged), its minimum age as a PostgreSQL interval (the rule's default; settings may lengthen it,
never shorten it) and how a row maps to the scopes a legal hold can name. A kind the rules keep
for good is `kept(...)`: never purged, any DELETE refused. The purge query and the database's
guard are built here from the same expressions, so what the purge deletes is exactly what the
guard lets through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from livecommerce.runtime.db import quote_identifier

SCOPES = ("session", "anchor", "merchant")
"""What a legal hold can cover (the issue's scopes); each kind maps its rows to these ids."""


@dataclass(frozen=True)
class RecordKind:
    name: str
    """The kind's name in the API, settings and audit, e.g. "room_updates"."""
    table: str
    rule: str
    """The rules.md ID that sets its retention, named in every refusal."""
    key: tuple[str, ...] = ()
    """The table's primary key columns: the purge deletes by them."""
    since: str = ""
    """SQL: the moment the age counts from, over `r` (the row) and the joined tables."""
    counted_from: str = ""
    """The same in words, for the status and the docs."""
    minimum: str = ""
    """The rule's minimum age as a PostgreSQL interval, e.g. "60 days", "3 years"."""
    joins: str = ""
    """SQL joined to `r` for `since` and `scopes`, e.g. "LEFT JOIN sessions s ON ...". A join
    must not multiply rows (join on the other table's key)."""
    scopes: Mapping[str, str] = field(default_factory=dict)
    """Scope ("session", "anchor", "merchant") -> SQL of the row's id in that scope, as text."""
    kept: bool = False
    """Kept for good: never purged, a purge request refused naming `rule`."""
    dependents: tuple[str, ...] = ()
    """Kinds whose rows reference this kind's (foreign keys) and whose age counts from this
    kind's (`since` through a join to it): purged first, up to the same cutoff, so a purge of
    this kind is never stopped by a row still pointing at it."""

    def __post_init__(self) -> None:
        for name in (self.table, *self.key):
            quote_identifier(name)
        unknown = set(self.scopes) - set(SCOPES)
        if unknown:
            raise ValueError(f"{self.name}: unknown scopes {sorted(unknown)}")
        if not self.kept and not (self.key and self.since and self.minimum):
            raise ValueError(f"{self.name}: a purgeable kind needs key, since and minimum")


def kept(name: str, table: str, rule: str) -> RecordKind:
    """A kind kept for good (PLT-02: full history; ANC-12: history is kept, not erased)."""
    return RecordKind(name=name, table=table, rule=rule, kept=True, counted_from="kept for good, never purged")


def held(kind: RecordKind) -> str:
    """SQL, true when a legal hold in force covers the row `r` (an index probe per scope)."""
    if not kind.scopes:
        return "false"
    pairs = ", ".join(f"('{scope}', {expression})" for scope, expression in kind.scopes.items())
    return (
        "EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL"
        f" AND (h.scope_kind, h.scope_id) IN ({pairs}))"
    )


def guard_sql(kind: RecordKind) -> str:
    """The DELETE guard's question (runtime migration 0006): how many deleted rows must not go?
    $1 is the cutoff (now minus the minimum); the rows are the statement's transition table."""
    if kind.kept:
        return "SELECT count(*) FROM retention_deleted"
    return (
        f"SELECT count(*) FROM retention_deleted r {kind.joins}"
        f" WHERE ({kind.since}) IS NULL OR ({kind.since}) > $1 OR {held(kind)}"
    )


def purge_sql(kind: RecordKind) -> str:
    """One bounded batch: deletes at most $2 rows whose age counts from at or before $1 and that
    no hold covers, oldest first; returns each row's key (as text) and moment. Rows another
    transaction has locked are skipped (the next batch takes them)."""
    keys = ", ".join(f"r.{k}" for k in kind.key)
    match = " AND ".join(f"d.{k} = doomed.{k}" for k in kind.key)
    returned = " || '/' || ".join(f"d.{k}::text" for k in kind.key)
    return (
        f"WITH doomed AS (SELECT {keys}, ({kind.since}) AS since_at FROM {kind.table} r {kind.joins}"
        f" WHERE ({kind.since}) <= $1 AND NOT {held(kind)}"
        f" ORDER BY since_at, {keys} LIMIT $2 FOR UPDATE OF r SKIP LOCKED)"
        f" DELETE FROM {kind.table} d USING doomed WHERE {match}"
        f" RETURNING {returned} AS key, doomed.since_at"
    )


def status_sql(kind: RecordKind) -> tuple[str, str]:
    """(oldest row's moment; rows past the cutoff $1 not held and held). The first walks the
    `since` index from its start; the second reads only rows past the cutoff."""
    oldest = (
        f"SELECT ({kind.since}) FROM {kind.table} r {kind.joins} WHERE ({kind.since}) IS NOT NULL"
        f" ORDER BY ({kind.since}) LIMIT 1"
    )
    counts = (
        f"SELECT count(*) FILTER (WHERE NOT {held(kind)}) AS past, count(*) FILTER (WHERE {held(kind)}) AS held"
        f" FROM {kind.table} r {kind.joins} WHERE ({kind.since}) <= $1"
    )
    return oldest, counts


def by_name(kinds: Sequence[RecordKind]) -> dict[str, RecordKind]:
    named = {k.name: k for k in kinds}
    if len(named) != len(kinds):
        raise ValueError("record kind names must be unique")
    return named
