"""The complaint service's rules as configuration: what intake accepts (CMP-01), the promised
feedback time per channel and category (CMP-02) and how often overdue complaints are looked for.
Read once at start-up from the TOML file named by RULES_FILE; `rules.toml` beside this module holds
the defaults, and a test keeps it equal to the code's."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

from livecommerce.runtime.rules_file import section

DEFAULTS_FILE = Path(__file__).with_name("rules.toml")
CHANNELS = ("phone", "online", "email", "regulator")


@dataclasses.dataclass(frozen=True)
class IntakeRules:
    categories: tuple[str, ...] = (
        "product_quality", "false_advertising", "after_sales", "anchor_conduct", "counterfeit", "privacy", "other",
    )
    """CMP-01: the categories a complaint may name."""
    max_attachments: int = 10
    max_attachment_bytes: int = 20 * 1024 * 1024
    max_description_chars: int = 4000


_DEFAULT_HOURS: Mapping[str, Mapping[str, int]] = {
    "phone": {"default": 48, "product_quality": 24, "counterfeit": 24},
    "online": {"default": 48, "counterfeit": 24},
    "email": {"default": 72},
    "regulator": {"default": 24},
}


@dataclasses.dataclass(frozen=True)
class PromisedTimes:
    """CMP-02: channel -> category (or "default") -> hours."""

    hours: Mapping[str, Mapping[str, int]] = dataclasses.field(default_factory=lambda: MappingProxyType(dict(_DEFAULT_HOURS)))

    def promised(self, channel: str, category: str) -> timedelta:
        table = self.hours[channel]
        return timedelta(hours=table.get(category, table["default"]))


@dataclasses.dataclass(frozen=True)
class EscalationRules:
    check_seconds: float = 60.0
    """How often the active replica escalates complaints past their promised time."""


@dataclasses.dataclass(frozen=True)
class ComplaintRules:
    intake: IntakeRules = dataclasses.field(default_factory=IntakeRules)
    promised: PromisedTimes = dataclasses.field(default_factory=PromisedTimes)
    escalation: EscalationRules = dataclasses.field(default_factory=EscalationRules)


def parse(text: str) -> ComplaintRules:
    """Every section is optional; a missing key keeps its default; an unknown one is an error."""
    document = tomllib.loads(text)
    unknown = sorted(set(document) - {"intake", "promised_hours", "escalation"})
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(unknown)}")
    given = dict(document.get("intake", {}))
    categories = tuple(given.pop("categories", IntakeRules.categories))
    intake = section(IntakeRules, "intake", given, categories=categories)
    if "other" not in intake.categories:
        raise ValueError("[intake] categories must include \"other\" (an email names none)")
    for name in ("max_attachments", "max_attachment_bytes", "max_description_chars"):
        if getattr(intake, name) < 1:
            raise ValueError(f"[intake] {name} must be at least 1")
    promised = _promised(document.get("promised_hours", {}), intake.categories)
    escalation = section(EscalationRules, "escalation", dict(document.get("escalation", {})))
    if escalation.check_seconds <= 0:
        raise ValueError("[escalation] check_seconds must be positive")
    return ComplaintRules(intake=intake, promised=promised, escalation=escalation)


def _promised(given: dict, categories: tuple[str, ...]) -> PromisedTimes:
    unknown = sorted(set(given) - set(CHANNELS))
    if unknown:
        raise ValueError(f"[promised_hours] unknown channels: {', '.join(unknown)}")
    hours: dict[str, Mapping[str, int]] = {}
    for channel in CHANNELS:
        table = dict(given.get(channel, _DEFAULT_HOURS[channel]))
        if "default" not in table:
            raise ValueError(f"[promised_hours.{channel}] needs a default")
        strangers = sorted(set(table) - {"default", *categories})
        if strangers:
            raise ValueError(f"[promised_hours.{channel}] names unknown categories: {', '.join(strangers)}")
        if any(not isinstance(h, int) or h < 1 for h in table.values()):
            raise ValueError(f"[promised_hours.{channel}] hours must be whole numbers of at least 1")
        hours[channel] = MappingProxyType(table)
    return PromisedTimes(MappingProxyType(hours))


def load(path: Path | None) -> ComplaintRules:
    """The rules in `path`, or the defaults when no file is configured."""
    return parse(path.read_text(encoding="utf-8")) if path else ComplaintRules()
