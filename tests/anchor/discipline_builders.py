"""Builders for discipline tests: an anchor who may go live, violation reports, session outcomes."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from google.protobuf import timestamp_pb2

from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import discipline_pb2 as dpb
from livecommerce.common.v1 import conduct_pb2
from tests.anchor.builders import profile, rid
from tests.support import digest


def stamp(moment: datetime) -> timestamp_pb2.Timestamp:
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


async def eligible_anchor(anchors, officer, **changes) -> str:
    """Registered (as agency ag-1), approved and trained: may go live."""
    anchor = (await anchors.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(**changes)))).anchor
    await officer.ReviewAnchorFile(
        pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, version=1, decision=pb.REVIEW_DECISION_APPROVE)
    )
    await officer.RecordTraining(
        pb.RecordTrainingRequest(
            request_id=rid(), anchor_id=anchor.anchor_id, kind=pb.TRAINING_KIND_ONBOARDING, course_id="law-2026", passed=True,
            completed_at=stamp(datetime(2026, 1, 5)),
        )
    )
    return anchor.anchor_id


def report(now: datetime, *, category=conduct_pb2.VIOLATION_CATEGORY_ABSOLUTE_TERMS, severity=conduct_pb2.VIOLATION_SEVERITY_MAJOR) -> conduct_pb2.ViolationReport:
    return conduct_pb2.ViolationReport(
        category=category, severity=severity, description="said 国家级 about a face cream",
        evidence=[conduct_pb2.EvidenceRef(uri="s3://evidence/clip.mp4", sha256=digest("clip"), description="clip")],
        occurred_at=stamp(now - timedelta(minutes=30)),
    )


def outcome(anchor_id: str, now: datetime, *, violations=(), session_id: str | None = None, **fields) -> dpb.RecordSessionOutcomeRequest:
    return dpb.RecordSessionOutcomeRequest(
        session_id=session_id or f"s-{uuid.uuid4().hex[:12]}", anchor_id=anchor_id,
        started_at=stamp(now - timedelta(hours=2)), ended_at=stamp(now - timedelta(minutes=1)),
        violations=list(violations), **{"request_id": rid(), **fields},
    )
