"""The anchor API over real mutual TLS against real PostgreSQL: ANC-01..05, PLT-02, PLT-06."""

from __future__ import annotations

from datetime import date, timedelta

import asyncpg
import grpc
import pytest
from google.protobuf import timestamp_pb2

from livecommerce.anchor.v1 import anchor_pb2 as pb
from tests.anchor.builders import profile, rid, with_guardian
from tests.support import rich_error, with_bad_check_digit


async def register(stub, message=None, request_id=None):
    response = await stub.RegisterAnchor(pb.RegisterAnchorRequest(request_id=request_id or rid(), profile=message or profile()))
    return response.anchor


async def count(database_url: str, table: str) -> int:
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "anchor"})
    try:
        return await conn.fetchval(f"SELECT count(*) FROM {table}")
    finally:
        await conn.close()


async def test_ANC_01_register_and_read_back(stub_for):
    agency = stub_for("agency", "ag-1")
    anchor = await register(agency)
    assert anchor.latest_version == 1
    assert anchor.latest_version_status == pb.FILE_VERSION_STATUS_PENDING_REVIEW
    assert anchor.approved_version == 0
    officer = stub_for("compliance_officer")
    read = (await officer.GetAnchor(pb.GetAnchorRequest(anchor_id=anchor.anchor_id))).anchor
    assert read.profile.display_name == "小张带货"
    assert read.profile.identity.nationality == "CHN"
    assert read.date_of_birth == "1995-05-17"


async def test_PLT_06_personal_information_is_masked_unless_the_role_needs_it(stub_for, database_url):
    message = profile()
    number = message.identity.document_number
    anchor = await register(stub_for("agency", "ag-1"), message)
    as_agency = (await stub_for("agency", "ag-1").GetAnchor(pb.GetAnchorRequest(anchor_id=anchor.anchor_id))).anchor
    assert not as_agency.pii_visible
    assert as_agency.profile.identity.document_number == number[:6] + "********" + number[-4:]
    assert as_agency.profile.phone == "138****5678"
    assert "建国路" not in as_agency.profile.address
    assert as_agency.date_of_birth == ""
    as_officer = (await stub_for("compliance_officer").GetAnchor(pb.GetAnchorRequest(anchor_id=anchor.anchor_id))).anchor
    assert as_officer.pii_visible and as_officer.profile.identity.document_number == number
    as_self = (await stub_for("anchor", anchor.anchor_id).GetAnchor(pb.GetAnchorRequest(anchor_id=anchor.anchor_id))).anchor
    assert as_self.pii_visible
    # Access audited: the two clear-text reads are logged, the masked one is not.
    assert await count(database_url, "pii_access_log") == 2


async def test_PLT_06_personal_information_is_ciphertext_at_rest(stub_for, database_url):
    message = profile()
    await register(stub_for("agency", "ag-1"), message)
    secrets = [message.identity.document_number, message.phone, "建国路", "张三"]
    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = 'anchor'")
        dump = ""
        for table in tables:
            rows = await conn.fetch(f'SELECT * FROM anchor."{table["table_name"]}"')
            dump += "".join(repr(dict(r)) for r in rows)
            for row in rows:
                for value in row.values():
                    if isinstance(value, bytes):
                        dump += value.decode("utf-8", "replace")
    finally:
        await conn.close()
    assert "小张带货" in dump  # the dump did read the rows
    for secret in secrets:
        assert secret not in dump


async def test_ANC_01_bad_check_digit_is_refused_and_nothing_is_written(stub_for, database_url):
    message = profile()
    message.identity.document_number = with_bad_check_digit(message.identity.document_number)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(stub_for("agency", "ag-1"), message)
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert "profile.identity.document_number" in error["fields"]
    assert "ANC-01" in error["fields"]["profile.identity.document_number"]
    assert await count(database_url, "anchors") == 0
    assert await count(database_url, "outbox") == 0


async def test_unknown_enum_values_are_refused(stub_for):
    message = profile()
    message.identity.document_type = 99
    message.documents[0].kind = 42
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(stub_for("agency", "ag-1"), message)
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert {"profile.identity.document_type", "profile.documents[0].kind"} <= set(error["fields"])


async def test_ANC_01_duplicate_registration_is_refused_but_a_retry_is_harmless(stub_for, database_url):
    agency = stub_for("agency", "ag-1")
    message = profile()
    first = await register(agency, message, request_id="req-1")
    again = await register(agency, message, request_id="req-1")
    assert again.anchor_id == first.anchor_id
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(agency, message, request_id="req-2")
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "ANC-01" in refused.value.details()
    assert await count(database_url, "anchors") == 1
    assert await count(database_url, "outbox") == 1


async def test_ANC_03_under_16_is_refused(stub_for, clock, database_url):
    today = clock.now().date()
    born = today.replace(year=today.year - 16) + timedelta(days=1)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(stub_for("agency", "ag-1"), profile(born))
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.FAILED_PRECONDITION
    assert error["rules"] == ["ANC-03"]
    assert error["fields"].keys() == {"profile.identity.document_number"}  # the caller sent no date of birth
    assert await count(database_url, "anchors") == 0


async def test_ANC_03_refusal_names_the_date_of_birth_when_the_caller_sent_one(stub_for, clock):
    today = clock.now().date()
    born = today.replace(year=today.year - 16) + timedelta(days=1)
    message = profile(born)
    message.identity.CopyFrom(
        pb.PersonIdentity(
            legal_name="John Doe", document_type=pb.IDENTITY_DOCUMENT_TYPE_PASSPORT, document_number="E12345678",
            date_of_birth=born.isoformat(), nationality="GBR",
        )
    )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(stub_for("agency", "ag-1"), message)
    error = rich_error(refused.value)
    assert error["rules"] == ["ANC-03"] and error["fields"].keys() == {"profile.identity.date_of_birth"}


async def test_ANC_04_minor_needs_guardian_and_consent(stub_for):
    born = date(2009, 6, 1)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await register(stub_for("agency", "ag-1"), profile(born))
    error = rich_error(refused.value)
    assert error["code"] == grpc.StatusCode.INVALID_ARGUMENT
    assert "ANC-04" in error["fields"]["profile.guardian"]
    anchor = await register(stub_for("agency", "ag-1"), with_guardian(profile(born)))
    assert anchor.latest_version == 1


async def review(stub, anchor_id, version, approve=True, reason="ok"):
    decision = pb.REVIEW_DECISION_APPROVE if approve else pb.REVIEW_DECISION_REJECT
    request = pb.ReviewAnchorFileRequest(request_id=rid(), anchor_id=anchor_id, version=version, decision=decision, reason=reason)
    return (await stub.ReviewAnchorFile(request)).anchor


async def test_ANC_02_approved_file_is_immutable_and_changes_create_versions(stub_for, database_url):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer", principal="officer-li")
    message = profile()
    anchor = await register(agency, message)
    approved = await review(officer, anchor.anchor_id, 1)
    assert approved.approved_version == 1
    with pytest.raises(grpc.aio.AioRpcError) as again:
        await review(officer, anchor.anchor_id, 1)
    assert rich_error(again.value)["rules"] == ["ANC-02"]

    message.address = "上海市浦东新区世纪大道100号"
    revised = (
        await agency.ReviseAnchorFile(
            pb.ReviseAnchorFileRequest(anchor_id=anchor.anchor_id, expected_latest_version=1, profile=message, request_id="rev-1")
        )
    ).anchor
    assert (revised.latest_version, revised.approved_version) == (2, 1)
    assert revised.latest_version_status == pb.FILE_VERSION_STATUS_PENDING_REVIEW

    versions = (await officer.ListAnchorFileVersions(pb.ListAnchorFileVersionsRequest(anchor_id=anchor.anchor_id))).versions
    assert [(v.version, v.status) for v in versions] == [(1, pb.FILE_VERSION_STATUS_APPROVED), (2, pb.FILE_VERSION_STATUS_PENDING_REVIEW)]
    assert versions[0].profile.address == "北京市朝阳区建国路88号院3号楼"
    assert versions[0].reviewed_by.principal == "officer-li"

    # The database itself refuses to alter an approved version, whatever code path tries.
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "anchor"})
    try:
        with pytest.raises(asyncpg.RaiseError, match="ANC-02"):
            await conn.execute("UPDATE anchor_file_versions SET review_reason = 'x' WHERE version = 1")
    finally:
        await conn.close()


async def test_ANC_02_only_compliance_officers_approve(stub_for):
    agency = stub_for("agency", "ag-1")
    anchor = await register(agency)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await review(stub_for("platform_admin"), anchor.anchor_id, 1)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "ANC-02" in refused.value.details()


async def test_ANC_02_stale_revision_is_refused(stub_for):
    agency = stub_for("agency", "ag-1")
    message = profile()
    anchor = await register(agency, message)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await agency.ReviseAnchorFile(pb.ReviseAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, expected_latest_version=3, profile=message))
    assert refused.value.code() == grpc.StatusCode.ABORTED


async def test_PLT_02_history_records_who_changed_what(stub_for):
    agency, officer = stub_for("agency", "ag-1", principal="agent-wu"), stub_for("compliance_officer", principal="officer-li")
    message = profile()
    anchor = await register(agency, message)
    await review(officer, anchor.anchor_id, 1, approve=False, reason="证件照片不清晰")
    message.phone = "13700000000"
    await agency.ReviseAnchorFile(pb.ReviseAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, expected_latest_version=1, profile=message))
    history = (await officer.GetAnchorHistory(pb.GetAnchorHistoryRequest(anchor_id=anchor.anchor_id))).records
    assert [(r.action, r.actor.principal, r.version) for r in history] == [
        ("registered", "agent-wu", 1),
        ("rejected", "officer-li", 1),
        ("revised", "agent-wu", 2),
    ]
    assert history[1].reason == "证件照片不清晰"
    assert [(c.field, c.old_value, c.new_value) for c in history[2].changes] == [("phone", "138****5678", "137****0000")]


async def test_PLT_02_history_pages(stub_for):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer")
    message = profile()
    anchor = await register(agency, message)
    for version in range(1, 4):
        message.display_name = f"名字{version}"
        await agency.ReviseAnchorFile(pb.ReviseAnchorFileRequest(request_id=rid(), anchor_id=anchor.anchor_id, expected_latest_version=version, profile=message))
    first = await officer.GetAnchorHistory(pb.GetAnchorHistoryRequest(anchor_id=anchor.anchor_id, page={"page_size": 3}))
    second = await officer.GetAnchorHistory(
        pb.GetAnchorHistoryRequest(anchor_id=anchor.anchor_id, page={"page_size": 3, "page_token": first.page.next_page_token})
    )
    assert len(first.records) == 3 and len(second.records) == 1 and not second.page.next_page_token
    sequences = [r.sequence for r in [*first.records, *second.records]]
    assert sequences == sorted(set(sequences))


async def test_tenancy_an_agency_sees_only_its_own_anchors(stub_for):
    anchor = await register(stub_for("agency", "ag-1"))
    other = stub_for("agency", "ag-2")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await other.GetAnchor(pb.GetAnchorRequest(anchor_id=anchor.anchor_id))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND  # PLT-04: as for a missing one
    listed = (await other.ListAnchors(pb.ListAnchorsRequest())).anchors
    assert listed == []
    with pytest.raises(grpc.aio.AioRpcError) as hijack:
        await register(other, profile(agency_id="ag-1"))
    assert hijack.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_list_pages_newest_first(stub_for, clock):
    agency = stub_for("agency", "ag-1")
    ids = []
    for _ in range(5):
        ids.append((await register(agency)).anchor_id)
        clock.advance(timedelta(seconds=1))
    first = await agency.ListAnchors(pb.ListAnchorsRequest(page={"page_size": 2}))
    rest = await agency.ListAnchors(pb.ListAnchorsRequest(page={"page_size": 10, "page_token": first.page.next_page_token}))
    assert [a.anchor_id for a in first.anchors] + [a.anchor_id for a in rest.anchors] == ids[::-1]
    from livecommerce.runtime.paging import encode_token

    for forged in ("not-a-token", encode_token({"at": "yesterday"}), encode_token({"x": 1})):
        with pytest.raises(grpc.aio.AioRpcError) as bad:
            await agency.ListAnchors(pb.ListAnchorsRequest(page={"page_token": forged}))
        assert rich_error(bad.value)["fields"].keys() == {"page.page_token"}


async def test_ANC_05_go_live_needs_approval_and_onboarding_training(stub_for, clock):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer")
    anchor = await register(agency)
    check = await officer.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id))
    assert not check.eligible
    assert [b.rule_id for b in check.blocks] == ["ANC-02", "ANC-05"]
    await review(officer, anchor.anchor_id, 1)
    completed = timestamp_pb2.Timestamp()
    completed.FromDatetime(clock.now() - timedelta(hours=1))
    training = pb.RecordTrainingRequest(
        anchor_id=anchor.anchor_id, kind=pb.TRAINING_KIND_ONBOARDING, course_id="live-commerce-law-2026",
        completed_at=completed, passed=True, request_id="train-1",
        certificate=pb.DocumentRef(kind=pb.DOCUMENT_KIND_TRAINING_CERTIFICATE, uri="s3://kyc/cert.pdf", sha256="a" * 64),
    )
    without_kind = pb.RecordTrainingRequest()
    without_kind.CopyFrom(training)
    without_kind.certificate.kind = pb.DOCUMENT_KIND_UNSPECIFIED
    with pytest.raises(grpc.aio.AioRpcError) as refused:  # refused whole: nothing recorded under its request id
        await agency.RecordTraining(without_kind)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "certificate.kind" in refused.value.details()
    assert "ANC-05" in refused.value.details()
    assert [b.rule_id for b in (await officer.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id))).blocks] == ["ANC-05"]
    first = (await agency.RecordTraining(training)).training
    again = (await agency.RecordTraining(training)).training
    assert first.training_id == again.training_id
    assert again.certificate.uri == "s3://kyc/cert.pdf"  # a retry answers with what was stored
    check = await officer.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id))
    assert check.eligible and not check.blocks


async def test_ANC_05_failed_training_does_not_count(stub_for, clock):
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer")
    anchor = await register(agency)
    await review(officer, anchor.anchor_id, 1)
    completed = timestamp_pb2.Timestamp()
    completed.FromDatetime(clock.now())
    await agency.RecordTraining(
        pb.RecordTrainingRequest(request_id=rid(), anchor_id=anchor.anchor_id, kind=pb.TRAINING_KIND_ONBOARDING, course_id="law", completed_at=completed, passed=False)
    )
    check = await officer.CheckGoLiveEligibility(pb.CheckGoLiveEligibilityRequest(anchor_id=anchor.anchor_id))
    assert [b.rule_id for b in check.blocks] == ["ANC-05"]


async def test_ANC_03_a_16_year_old_registered_in_time_is_eligible_until_rules_change(stub_for, clock):
    """Age is checked again on the day of approval: a registration cannot outrun ANC-03."""
    agency, officer = stub_for("agency", "ag-1"), stub_for("compliance_officer")
    born = clock.now().date().replace(year=clock.now().year - 16)
    anchor = await register(agency, with_guardian(profile(born)))
    approved = await review(officer, anchor.anchor_id, 1)
    assert approved.approved_version == 1


async def test_malformed_anchor_id_names_the_field(stub_for):
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub_for("compliance_officer").GetAnchor(pb.GetAnchorRequest(anchor_id="nope"))
    assert rich_error(refused.value)["fields"].keys() == {"anchor_id"}


async def test_PLT_05_a_direct_caller_is_who_its_certificate_says_whatever_its_headers_claim(anchor_service, pki):
    from livecommerce.anchor.v1 import anchor_pb2_grpc
    from livecommerce.runtime.client import secure_channel
    from livecommerce.runtime.identity import Caller
    from tests.conftest import client_tls, server_tls

    target = f"127.0.0.1:{anchor_service.port}"
    forged = Caller(principal="mallory", role="compliance_officer")
    async with secure_channel(target, client_tls(pki, "merchant"), caller=forged) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await anchor_pb2_grpc.AnchorServiceStub(channel).ListAnchors(pb.ListAnchorsRequest())
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED  # a merchant, as its certificate says
    async with secure_channel(target, server_tls(pki, "product")) as channel:  # a certificate with no role
        with pytest.raises(grpc.aio.AioRpcError) as anonymous:
            await anchor_pb2_grpc.AnchorServiceStub(channel).ListAnchors(pb.ListAnchorsRequest())
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
    async with secure_channel(target, server_tls(pki, "gateway")) as channel:  # the gateway must state one
        with pytest.raises(grpc.aio.AioRpcError) as unstated:
            await anchor_pb2_grpc.AnchorServiceStub(channel).ListAnchors(pb.ListAnchorsRequest())
    assert unstated.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_reflection_and_health_let_generic_tools_discover_the_api(anchor_service, pki):
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    from livecommerce.runtime.client import secure_channel
    from tests.conftest import client_tls

    async with secure_channel(f"127.0.0.1:{anchor_service.port}", client_tls(pki, "sre")) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
        names = [s.name async for r in responses for s in r.list_services_response.service]
    assert "livecommerce.anchor.v1.AnchorService" in names and "grpc.health.v1.Health" in names
