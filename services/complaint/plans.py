"""Emergency plans (CMP-06): the steps to follow for each incident type, pure rules and the
reviewed seed data (`emergency_plans.toml`, version 1 of each type). A plan is data compliance
officers review and publish; each publication is a new version, and an incident keeps the version
it was opened under, so a plan changed mid-incident never changes the steps already agreed."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from livecommerce.runtime.errors import FieldViolation, InvalidArgument

SEED_FILE = Path(__file__).with_name("emergency_plans.toml")
INCIDENT_TYPE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
INCIDENT_TYPE_RULE = "must be 2-40 lower-case letters, digits or _ (e.g. data_leak)"
MAX_STEPS = 30
MAX_TEXT = 2000


@dataclass(frozen=True)
class Step:
    title: str
    instructions: str


@dataclass(frozen=True)
class Seed:
    reviewed: str
    plans: Mapping[str, tuple[Step, ...]]


def check_steps(steps: Sequence[Step]) -> None:
    """A plan has 1-30 steps, each with a title (CMP-06)."""
    if not steps:
        raise InvalidArgument([FieldViolation("steps", "a plan has at least one step", "CMP-06")])
    if len(steps) > MAX_STEPS:
        raise InvalidArgument([FieldViolation("steps", f"a plan has at most {MAX_STEPS} steps", "CMP-06")])
    faults = []
    for i, step in enumerate(steps):
        if not step.title.strip() or len(step.title) > 200:
            faults.append(FieldViolation(f"steps[{i}].title", "must be 1-200 characters", "CMP-06"))
        if len(step.instructions) > MAX_TEXT:
            faults.append(FieldViolation(f"steps[{i}].instructions", f"must be at most {MAX_TEXT} characters", "CMP-06"))
    if faults:
        raise InvalidArgument(faults)


def check_type(incident_type: str) -> None:
    if not INCIDENT_TYPE.match(incident_type):
        raise InvalidArgument([FieldViolation("incident_type", INCIDENT_TYPE_RULE, "CMP-06")])


def load_seed(path: Path = SEED_FILE) -> Seed:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    plans: dict[str, tuple[Step, ...]] = {}
    for entry in document.get("plan", []):
        check_type(entry["incident_type"])
        steps = tuple(Step(s["title"], s.get("instructions", "")) for s in entry["steps"])
        check_steps(steps)
        if entry["incident_type"] in plans:
            raise ValueError(f"{path.name}: incident type {entry['incident_type']} twice")
        plans[entry["incident_type"]] = steps
    return Seed(document["reviewed"], MappingProxyType(plans))


def next_step(done: Sequence[bool]) -> int | None:
    """The index of the plan's first step not done yet; None when every step is done."""
    return next((i for i, d in enumerate(done) if not d), None)
