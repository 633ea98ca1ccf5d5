"""Active/standby for the complaint service (PLT-03), with the shared replica support
(tests/replicas.py): a standby's intake never commits, the new leader takes the retried request
once; `python -m services.complaint` replica processes serve intake behind a real gateway."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest

from livecommerce.complaint.v1 import complaint_pb2 as pb
from livecommerce.complaint.v1 import complaint_pb2_grpc
from livecommerce.runtime.identity import Caller
from services.complaint.service import DEFINITION
from tests.complaint.messages import phone_complaint
from tests.replicas import (
    ProcessReplicas,
    as_the_gateway,
    assert_fenced,
    gateway_to,
    in_process_replicas,
    process_env,
    replica_processes,
    split,
    stop_renewing,
    wait_for_takeover,
)

STAFF = Caller("cs-wang", "customer_service")


@pytest.fixture
async def replicas(settings, clock):
    async with in_process_replicas(DEFINITION, settings, clock=clock) as pair:
        yield pair


async def file_on(replica, pki, request: pb.FileComplaintRequest) -> pb.Complaint:
    async with as_the_gateway(replica, pki, STAFF) as channel:
        return (await complaint_pb2_grpc.ComplaintServiceStub(channel).FileComplaint(request)).complaint


async def complaint_count(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval("SELECT count(*) FROM complaint.complaints")
    finally:
        await conn.close()


async def test_PLT_03_CMP_01_a_standby_files_nothing_and_the_new_leader_takes_the_retry_once(replicas, pki, settings):
    active, [standby] = split(replicas)
    first = await file_on(active, pki, phone_complaint())
    retried = phone_complaint()
    await assert_fenced(file_on(standby, pki, retried))
    assert await complaint_count(settings.database_url) == 1
    stop_renewing(active)
    await wait_for_takeover([standby], pki)
    await assert_fenced(file_on(active, pki, retried))  # the deposed leader believes it leads
    taken = await file_on(standby, pki, retried)
    again = await file_on(standby, pki, retried)
    assert taken.complaint_id == again.complaint_id != first.complaint_id
    assert await complaint_count(settings.database_url) == 2


@pytest.fixture
def complaint_replicas(database_url, datastores, subject_root, pki, tmp_path) -> Iterator[ProcessReplicas]:
    env = process_env("complaint", pki, database_url=database_url, nats_url=datastores.nats_url, subject_root=subject_root)
    with replica_processes("complaint", env, tmp_path / "logs", database_url=database_url) as replicas:
        yield replicas


async def test_PLT_03_complaint_replica_processes_serve_intake_behind_the_gateway(complaint_replicas, database_url, pki, tmp_path):
    async with gateway_to("complaint", complaint_replicas.addresses, pki, tmp_path / "audit.log") as gateway:
        staff = complaint_pb2_grpc.ComplaintServiceStub(gateway.channel("customer_service"))
        filed = (await staff.FileComplaint(phone_complaint())).complaint
        read = (await staff.GetComplaint(pb.GetComplaintRequest(complaint_id=filed.complaint_id))).complaint
    assert read.status == pb.COMPLAINT_STATUS_RECEIVED and read.contact.phone == "13800138000"
    assert await complaint_count(database_url) == 1
    assert await complaint_replicas.holder() in {"complaint-a", "complaint-b"}
