"""Proto builders for anchor tests."""

from __future__ import annotations

import uuid
from datetime import date

from livecommerce.anchor.v1 import anchor_pb2 as pb
from tests.support import digest, resident_id


def rid() -> str:
    """A fresh request id: every write of the anchor service names its request."""
    return f"req-{uuid.uuid4().hex[:16]}"


def profile(born: date = date(1995, 5, 17), *, number: str | None = None, agency_id: str = "ag-1", **changes) -> pb.AnchorProfile:
    message = pb.AnchorProfile(
        identity=pb.PersonIdentity(
            legal_name="张三",
            document_type=pb.IDENTITY_DOCUMENT_TYPE_RESIDENT_ID_CARD,
            document_number=number or resident_id(born),
        ),
        display_name="小张带货",
        address="北京市朝阳区建国路88号院3号楼",
        phone="13812345678",
        agency_id=agency_id,
        documents=[pb.DocumentRef(kind=pb.DOCUMENT_KIND_IDENTITY_FRONT, uri="s3://kyc/front.jpg", sha256=digest("front"))],
    )
    for key, value in changes.items():
        setattr(message, key, value)
    return message


def with_guardian(message: pb.AnchorProfile) -> pb.AnchorProfile:
    message.guardian.CopyFrom(
        pb.Guardian(
            identity=pb.PersonIdentity(
                legal_name="张父",
                document_type=pb.IDENTITY_DOCUMENT_TYPE_RESIDENT_ID_CARD,
                document_number=resident_id(date(1975, 3, 3)),
            ),
            relationship="father",
            phone="13900001111",
        )
    )
    message.documents.append(pb.DocumentRef(kind=pb.DOCUMENT_KIND_GUARDIAN_CONSENT, uri="s3://kyc/consent.pdf", sha256=digest("consent")))
    return message


# Agencies the tests' anchors sign with (and the development certificates' "ag-demo").
AGENCIES = ("ag-1", "ag-2", "ag-demo", "ag-other")


async def seed_agencies(database_url: str) -> None:
    """Registers the test agencies in a database the anchor service has migrated (ANC-01:
    an anchor names a registered agency)."""
    import asyncpg

    from tests.support import credit_code

    conn = await asyncpg.connect(database_url, server_settings={"search_path": "anchor"})
    try:
        for n, agency_id in enumerate(AGENCIES):
            await conn.execute(
                "INSERT INTO agencies (agency_id, legal_name, credit_code, registered_at, registered_by)"
                " VALUES ($1, $2, $3, now(), '{}'::jsonb) ON CONFLICT DO NOTHING",
                agency_id, f"{agency_id} 直播营销服务有限公司", credit_code(n),
            )
    finally:
        await conn.close()
