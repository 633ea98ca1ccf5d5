"""The anchor service's rules as configuration: sanction ladder lengths, the credit score
formula, warning thresholds, the repair observation period and the risk window (ANC-07..12,
RSK-01). Read once at start-up from the TOML file named by RULES_FILE; `rules.toml` beside this
module holds the defaults, and a test keeps it equal to the code's."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from types import MappingProxyType

from livecommerce.runtime.rules_file import section
from services.anchor.credit.archives import CreditRules
from services.anchor.credit.domain import ScoreConfig, WarningConfig
from services.anchor.discipline.ladder import EscalationChoice, LadderPolicy
from services.anchor.vocabulary import Severity

DEFAULTS_FILE = Path(__file__).with_name("rules.toml")


@dataclasses.dataclass(frozen=True)
class AnchorRules:
    ladder: LadderPolicy = dataclasses.field(default_factory=LadderPolicy)
    credit: CreditRules = dataclasses.field(default_factory=CreditRules)



def parse(text: str) -> AnchorRules:
    """Every section is optional; a missing key keeps its default; an unknown one is an error."""
    document = tomllib.loads(text)
    unknown = sorted(set(document) - {"ladder", "score", "warnings", "repair", "risk"})
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)}")
    ladder = dict(document.get("ladder", {}))
    score = dict(document.get("score", {}))
    weights = score.pop("violation_weights", None)
    repair, risk = dict(document.get("repair", {})), dict(document.get("risk", {}))
    for name, values, key in (("repair", repair, "observation_days"), ("risk", risk, "window_days")):
        if set(values) - {key}:
            raise ValueError(f"[{name}] has unknown keys: {', '.join(sorted(set(values) - {key}))}")
    extra = {}
    if "default_escalation" in ladder:
        extra["default_escalation"] = EscalationChoice(ladder["default_escalation"])
    weight_overrides = {}
    if weights is not None:
        weight_overrides["violation_weights"] = MappingProxyType({Severity(k): float(v) for k, v in weights.items()})
    defaults = CreditRules()
    return AnchorRules(
        ladder=section(LadderPolicy, "ladder", ladder, **extra),
        credit=CreditRules(
            score=section(ScoreConfig, "score", score, **weight_overrides),
            warnings=section(WarningConfig, "warnings", dict(document.get("warnings", {}))),
            repair_observation_days=int(repair.get("observation_days", defaults.repair_observation_days)),
            risk_window_days=int(risk.get("window_days", defaults.risk_window_days)),
        ),
    )


def load(path: Path | None) -> AnchorRules:
    """The rules in `path`, or the defaults when no file is configured."""
    return parse(path.read_text(encoding="utf-8")) if path else AnchorRules()
