"""The session service's rules as configuration: whether a grade-a patrol hit stops the stream by
itself or waits for an officer (SES-05); how viewers are counted (SES-08). Read once at start-up from the TOML file named by
RULES_FILE; `rules.toml` beside this module holds the defaults, and a test keeps it equal to the code's."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from livecommerce.runtime.rules_file import section

DEFAULTS_FILE = Path(__file__).with_name("rules.toml")
GRADE_A_STOPS = ("automatic", "officer")


@dataclasses.dataclass(frozen=True)
class PatrolRules:
    grade_a_stop: str = "automatic"
    """SES-05 a: "automatic" stops the stream on a grade-a hit in anchor speech; "officer" keeps the
    hit for an officer's StopStream."""

    @property
    def stops_automatically(self) -> bool:
        return self.grade_a_stop == "automatic"


@dataclasses.dataclass(frozen=True)
class AudienceRules:
    """SES-08: how viewers are counted (services/session/audience)."""

    heartbeat_seconds: int = 10
    """How often edge servers send each viewer's heartbeat: after a failover, counts are exact again
    this long after the new active replica took over."""
    timeout_seconds: int = 30
    """A viewer not heard from for longer than this stops counting."""
    max_batch: int = 10_000
    """Viewer ids one ReportViewers message may carry (joins + heartbeats + leaves)."""
    tick_seconds: float = 1.0
    """How often the counter sweeps the silent, checkpoints risen peaks and pushes to watchers."""


@dataclasses.dataclass(frozen=True)
class SessionRules:
    patrol: PatrolRules = dataclasses.field(default_factory=PatrolRules)
    audience: AudienceRules = dataclasses.field(default_factory=AudienceRules)


def parse(text: str) -> SessionRules:
    """Every section is optional; a missing key keeps its default; an unknown one is an error."""
    document = tomllib.loads(text)
    unknown = sorted(set(document) - {"patrol", "audience"})
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)}")
    patrol = section(PatrolRules, "patrol", dict(document.get("patrol", {})))
    if patrol.grade_a_stop not in GRADE_A_STOPS:
        raise ValueError(f"[patrol] grade_a_stop must be one of {', '.join(GRADE_A_STOPS)}, not {patrol.grade_a_stop!r}")
    audience = section(AudienceRules, "audience", dict(document.get("audience", {})))
    if not 0 < audience.heartbeat_seconds < audience.timeout_seconds:
        raise ValueError("[audience] needs 0 < heartbeat_seconds < timeout_seconds")
    if audience.max_batch < 1 or audience.tick_seconds <= 0:
        raise ValueError("[audience] max_batch must be at least 1 and tick_seconds positive")
    return SessionRules(patrol=patrol, audience=audience)


def load(path: Path | None) -> SessionRules:
    """The rules in `path`, or the defaults when no file is configured."""
    return parse(path.read_text(encoding="utf-8")) if path else SessionRules()
