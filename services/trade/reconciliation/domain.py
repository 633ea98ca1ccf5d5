"""PLT-01, pure: docked orders against a platform's own figures, per session (order by order) and
per platform over a period (session by session). Exact means the counts and amounts agree and so
does every order (session); otherwise every differing one is listed. The sums and the matching of
orders happen in the database (`store`); this module only judges what they found."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from livecommerce.runtime.errors import FieldViolation, InvalidArgument
from livecommerce.runtime.formats import ID_TOKEN, ID_TOKEN_RULE

RULE = "PLT-01"


class Kind(enum.Enum):
    MISSING_HERE = "missing_here"
    MISSING_ON_PLATFORM = "missing_on_platform"
    AMOUNT_DIFFERS = "amount_differs"


@dataclass(frozen=True)
class Difference:
    external_order_id: str
    kind: Kind
    docked_amount_fen: int
    platform_amount_fen: int


@dataclass(frozen=True)
class Report:
    docked_count: int
    docked_amount_fen: int
    platform_count: int
    platform_amount_fen: int
    differences: tuple[Difference, ...]
    platform_totals_inconsistent: bool
    reconciled_at: datetime

    @property
    def exact(self) -> bool:
        return (
            not self.differences and not self.platform_totals_inconsistent
            and (self.docked_count, self.docked_amount_fen) == (self.platform_count, self.platform_amount_fen)
        )

    def to_json(self) -> str:
        """The report as a request's stored outcome, read back by `from_json` for a retry."""
        data = asdict(self)
        data["reconciled_at"] = self.reconciled_at.isoformat()
        data["differences"] = [{**d, "kind": d["kind"].value} for d in data["differences"]]
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Report:
        data = json.loads(text)
        data["reconciled_at"] = datetime.fromisoformat(data["reconciled_at"])
        data["differences"] = tuple(Difference(**{**d, "kind": Kind(d["kind"])}) for d in data["differences"])
        return cls(**data)


def platform_amounts(orders: Sequence[tuple[str, int]]) -> dict[str, int]:
    """The platform's list as a mapping; an id listed twice or a negative amount is refused."""
    amounts: dict[str, int] = {}
    for index, (external_order_id, amount_fen) in enumerate(orders):
        if not external_order_id:
            raise InvalidArgument([FieldViolation(f"orders[{index}].external_order_id", "is required", rule=RULE)])
        if external_order_id in amounts:
            raise InvalidArgument([FieldViolation(f"orders[{index}].external_order_id", "is listed twice", rule=RULE)])
        if amount_fen < 0:
            raise InvalidArgument([FieldViolation(f"orders[{index}].amount_fen", "must not be negative", rule=RULE)])
        amounts[external_order_id] = amount_fen
    return amounts


def reconcile(
    *, docked_count: int, docked_amount_fen: int, differing: Sequence[tuple[str, int | None, int | None]],
    platform_count: int, platform_amount_fen: int, listed: tuple[int, int], at: datetime,
) -> Report:
    """`differing`: (external order id, our amount or None, theirs or None) of every order whose
    amounts differ or that one side lacks; `listed`: the count and sum of the platform's own list."""
    differences = []
    for external_order_id, ours, theirs in sorted(differing):
        if ours is None:
            differences.append(Difference(external_order_id, Kind.MISSING_HERE, 0, theirs or 0))
        elif theirs is None:
            differences.append(Difference(external_order_id, Kind.MISSING_ON_PLATFORM, ours, 0))
        else:
            differences.append(Difference(external_order_id, Kind.AMOUNT_DIFFERS, ours, theirs))
    return Report(
        docked_count=docked_count, docked_amount_fen=docked_amount_fen,
        platform_count=platform_count, platform_amount_fen=platform_amount_fen,
        differences=tuple(differences),
        platform_totals_inconsistent=listed != (platform_count, platform_amount_fen),
        reconciled_at=at,
    )


Figures = tuple[int, int]
"""(order count, amount in fen) of a session's orders that are not cancelled."""


@dataclass(frozen=True)
class SessionDifference:
    session_id: str
    docked: Figures
    platform: Figures


@dataclass(frozen=True)
class PlatformReport:
    docked: Figures
    platform: Figures
    differences: tuple[SessionDifference, ...]
    platform_totals_inconsistent: bool
    reconciled_at: datetime

    @property
    def exact(self) -> bool:
        return not self.differences and not self.platform_totals_inconsistent and self.docked == self.platform

    def to_json(self) -> str:
        data = asdict(self)
        data["reconciled_at"] = self.reconciled_at.isoformat()
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> PlatformReport:
        data = json.loads(text)
        return cls(
            docked=tuple(data["docked"]), platform=tuple(data["platform"]),
            differences=tuple(
                SessionDifference(d["session_id"], tuple(d["docked"]), tuple(d["platform"]))
                for d in data["differences"]
            ),
            platform_totals_inconsistent=data["platform_totals_inconsistent"],
            reconciled_at=datetime.fromisoformat(data["reconciled_at"]),
        )


def session_figures(sessions: Sequence[tuple[str, int, int]]) -> dict[str, Figures]:
    """The platform's figures per session as a mapping; a session given twice or a negative figure
    is refused."""
    figures: dict[str, Figures] = {}
    for index, (session_id, count, amount) in enumerate(sessions):
        if not ID_TOKEN.match(session_id):
            raise InvalidArgument([FieldViolation(f"sessions[{index}].session_id", ID_TOKEN_RULE, rule=RULE)])
        if session_id in figures:
            raise InvalidArgument([FieldViolation(f"sessions[{index}].session_id", "is given twice", rule=RULE)])
        if count < 0 or amount < 0:
            field = "order_count" if count < 0 else "amount_fen"
            raise InvalidArgument([FieldViolation(f"sessions[{index}].{field}", "must not be negative", rule=RULE)])
        figures[session_id] = (count, amount)
    return figures


def reconcile_platform(
    docked: Mapping[str, Figures], platform: Mapping[str, Figures], *, platform_totals: Figures, at: datetime
) -> PlatformReport:
    """A platform's sessions over a period: `docked` from the database's sums, `platform` as given."""
    differences = tuple(
        SessionDifference(session_id, docked.get(session_id, (0, 0)), platform.get(session_id, (0, 0)))
        for session_id in sorted(docked.keys() | platform.keys())
        if docked.get(session_id, (0, 0)) != platform.get(session_id, (0, 0))
    )
    listed = (sum(c for c, _ in platform.values()), sum(a for _, a in platform.values()))
    return PlatformReport(
        docked=(sum(c for c, _ in docked.values()), sum(a for _, a in docked.values())), platform=platform_totals,
        differences=differences, platform_totals_inconsistent=listed != platform_totals, reconciled_at=at,
    )
