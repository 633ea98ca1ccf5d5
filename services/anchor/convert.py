"""Conversions the anchor service's sub-domains share: proto enums <-> domain enums, who acted
(the `Caller` as a stored JSON column and as an `Actor` message), credit subjects, and violation
reports with their evidence (the discipline API and the session service's events carry the same
`ViolationReport`). A conversion used by one module only stays in that module; times go through
`livecommerce.runtime.timestamps`.
"""

from __future__ import annotations

import uuid

from livecommerce.anchor.v1 import credit_pb2, discipline_pb2
from livecommerce.common.v1 import conduct_pb2
from livecommerce.runtime.actors import actor_json, actor_pb
from livecommerce.runtime.formats import parse_uuid
from livecommerce.runtime.timestamps import read
from services.anchor.discipline.domain import Evidence, ViolationReport
from services.anchor.vocabulary import RiskLevel, Severity, SubjectKind, ViolationCategory

__all__ = ["actor_json", "actor_pb"]  # re-exported: the anchor stores and APIs import them from here


def _reverse(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}


# Domain value (its text form) -> proto enum number.
CATEGORIES_PB = {
    name.removeprefix("VIOLATION_CATEGORY_").lower(): number for name, number in conduct_pb2.ViolationCategory.items() if number
}
SEVERITIES_PB = {
    name.removeprefix("VIOLATION_SEVERITY_").lower(): number for name, number in conduct_pb2.ViolationSeverity.items() if number
}
LEVELS_PB = {"low": credit_pb2.RISK_LEVEL_LOW, "medium": credit_pb2.RISK_LEVEL_MEDIUM, "high": credit_pb2.RISK_LEVEL_HIGH}
SUBJECT_KINDS_PB = {"anchor": credit_pb2.SUBJECT_KIND_ANCHOR, "agency": credit_pb2.SUBJECT_KIND_AGENCY}
STANDINGS_PB = {
    "good": discipline_pb2.STANDING_GOOD,
    "suspended": discipline_pb2.STANDING_SUSPENDED,
    "banned": discipline_pb2.STANDING_BANNED,
    "terminated": discipline_pb2.STANDING_TERMINATED,
    "blacklisted": discipline_pb2.STANDING_BLACKLISTED,
}
CHOICES_PB = {
    None: discipline_pb2.ESCALATION_CHOICE_UNSPECIFIED,
    "ban": discipline_pb2.ESCALATION_CHOICE_BAN_SIX_MONTHS,
    "terminate": discipline_pb2.ESCALATION_CHOICE_TERMINATE_CONTRACT,
}

# Proto enum number -> domain value; an unknown number reads as None and the domain refuses it.
CATEGORIES = {number: ViolationCategory(name) for name, number in CATEGORIES_PB.items()}
SEVERITIES = {number: Severity(name) for name, number in SEVERITIES_PB.items()}
LEVELS = {number: RiskLevel(name) for name, number in LEVELS_PB.items()}
SUBJECT_KINDS = {number: SubjectKind(name) for name, number in SUBJECT_KINDS_PB.items()}


# -- ids and subjects

def parse_anchor_id(text: str, field: str = "anchor_id") -> uuid.UUID:
    return parse_uuid(text, field)


def subject_pb(kind: str, subject_id: str) -> credit_pb2.CreditSubject:
    return credit_pb2.CreditSubject(kind=SUBJECT_KINDS_PB[kind], id=subject_id)


# -- violations (ANC-06)

def violation_report(message: conduct_pb2.ViolationReport) -> ViolationReport:
    return ViolationReport(
        category=CATEGORIES.get(message.category),
        severity=SEVERITIES.get(message.severity),
        description=message.description,
        evidence=tuple(Evidence(e.uri, e.sha256, e.description) for e in message.evidence),
        occurred_at=read(message, "occurred_at"),
    )


def evidence_pb(evidence: tuple[Evidence, ...]) -> list[conduct_pb2.EvidenceRef]:
    return [conduct_pb2.EvidenceRef(uri=e.uri, sha256=e.sha256, description=e.description) for e in evidence]

