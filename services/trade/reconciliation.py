"""PLT-01, pure: one session's docked orders against the platform's own figures. Exact means the
counts and amounts agree and so does every order; otherwise every differing order is listed."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from livecommerce.runtime.errors import FieldViolation, InvalidArgument

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
    docked: Mapping[str, int], platform: Mapping[str, int], *, platform_count: int, platform_amount_fen: int, at: datetime
) -> Report:
    differences = []
    for external_order_id in sorted(docked.keys() | platform.keys()):
        ours, theirs = docked.get(external_order_id), platform.get(external_order_id)
        if ours is None:
            differences.append(Difference(external_order_id, Kind.MISSING_HERE, 0, theirs or 0))
        elif theirs is None:
            differences.append(Difference(external_order_id, Kind.MISSING_ON_PLATFORM, ours, 0))
        elif ours != theirs:
            differences.append(Difference(external_order_id, Kind.AMOUNT_DIFFERS, ours, theirs))
    return Report(
        docked_count=len(docked), docked_amount_fen=sum(docked.values()),
        platform_count=platform_count, platform_amount_fen=platform_amount_fen,
        differences=tuple(differences),
        platform_totals_inconsistent=(len(platform), sum(platform.values())) != (platform_count, platform_amount_fen),
        reconciled_at=at,
    )
