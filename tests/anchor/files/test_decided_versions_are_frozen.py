"""ANC-02 in the database: a decided version (approved, rejected, or superseded before review)
never changes and no version is ever deleted, whatever code path tries. Only a pending version
may still be decided."""

from __future__ import annotations

from datetime import date

import asyncpg
import pytest

from livecommerce.anchor.v1 import anchor_pb2 as pb
from tests.anchor.builders import profile, rid
from tests.support import resident_id


async def test_ANC_02_rejected_and_superseded_versions_are_frozen_by_the_database(stub_for, database_url):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer")
    number = resident_id(date(1995, 5, 17))
    anchor_id = (await agency.RegisterAnchor(pb.RegisterAnchorRequest(request_id=rid(), profile=profile(number=number)))).anchor.anchor_id
    await officer.ReviewAnchorFile(pb.ReviewAnchorFileRequest(
        request_id=rid(), anchor_id=anchor_id, version=1, decision=pb.REVIEW_DECISION_REJECT, reason="证件照片不清晰"))
    for latest in (1, 2):  # version 2 is replaced by version 3 before anyone reviews it
        await agency.ReviseAnchorFile(pb.ReviseAnchorFileRequest(
            request_id=rid(), anchor_id=anchor_id, expected_latest_version=latest, profile=profile(number=number)))
    versions = (await officer.ListAnchorFileVersions(pb.ListAnchorFileVersionsRequest(anchor_id=anchor_id))).versions
    assert [v.status for v in versions] == [
        pb.FILE_VERSION_STATUS_REJECTED, pb.FILE_VERSION_STATUS_SUPERSEDED, pb.FILE_VERSION_STATUS_PENDING_REVIEW]

    conn = await asyncpg.connect(database_url, server_settings={"search_path": "anchor"})
    try:
        for version in (1, 2):
            for statement in (
                "UPDATE anchor_file_versions SET status = 'approved' WHERE version = $1",
                "UPDATE anchor_file_versions SET review_reason = 'looked fine after all' WHERE version = $1",
                "DELETE FROM anchor_file_versions WHERE version = $1",
            ):
                with pytest.raises(asyncpg.RaiseError, match="ANC-02"):
                    await conn.execute(statement, version)
        rows = await conn.fetch("SELECT version, status, review_reason FROM anchor_file_versions ORDER BY version")
        assert [tuple(r) for r in rows] == [
            (1, "rejected", "证件照片不清晰"), (2, "superseded", ""), (3, "pending_review", "")]
        # The pending version is still open to its decision.
        await conn.execute("UPDATE anchor_file_versions SET status = 'rejected', review_reason = 'x' WHERE version = 3")
    finally:
        await conn.close()
