"""PLT-06, pure: who sees an anchor's personal information in clear, what everyone else sees, and
the change history's view of a file (field paths, masked values, only what changed)."""

from __future__ import annotations

from datetime import date

import pytest

from livecommerce.runtime.identity import Caller
from services.anchor.files.domain import Document, DocumentKind, DocumentType, Guardian, Identity, Profile
from services.anchor.files.privacy import diff, flatten, masked, may_see_pii
from tests.support import digest, resident_id

NUMBER = resident_id(date(1995, 5, 17))


def make_profile(**changes) -> Profile:
    fields = dict(
        identity=Identity("张三丰", DocumentType.RESIDENT_ID_CARD, NUMBER, "1995-05-17", "CHN"),
        display_name="小张带货",
        address="北京市朝阳区建国路88号院3号楼",
        phone="13812345678",
        documents=(Document(DocumentKind.IDENTITY_FRONT, "s3://kyc/front.jpg", digest("front")),),
    )
    return Profile(**(fields | changes))


@pytest.mark.parametrize(
    ("role", "tenant", "visible"),
    [
        ("compliance_officer", "", True),
        ("regulator", "", True),
        ("anchor", "anchor-1", True),
        ("anchor", "anchor-2", False),
        ("agency", "anchor-1", False),
        ("platform_admin", "", False),
        ("customer_service", "", False),
    ],
)
def test_PLT_06_only_roles_that_need_it_and_the_anchor_themself_see_pii(role, tenant, visible):
    assert may_see_pii(Caller(principal="p", role=role, tenant=tenant), "anchor-1") is visible


def test_PLT_06_masked_profile_hides_names_numbers_phones_and_addresses_guardian_included():
    guardian = Guardian(Identity("张父", DocumentType.RESIDENT_ID_CARD, NUMBER), "father", "13900001111")
    shown = masked(make_profile(guardian=guardian))
    assert shown.identity.legal_name == "张**"
    assert shown.identity.document_number == NUMBER[:6] + "********" + NUMBER[-4:]
    assert shown.phone == "138****5678" and "建国路" not in shown.address
    assert shown.guardian == Guardian(Identity("张*", DocumentType.RESIDENT_ID_CARD, NUMBER[:6] + "********" + NUMBER[-4:]),
                                      "father", "139****1111")
    assert (shown.display_name, shown.identity.date_of_birth, shown.identity.nationality) == ("小张带货", "1995-05-17", "CHN")
    assert masked(make_profile()).guardian is None


def test_PLT_02_flatten_names_every_field_by_its_path():
    flat = flatten(make_profile())
    assert flat["identity.legal_name"] == "张三丰"
    assert flat["documents[0].kind"] == "identity_front" and flat["documents[0].uri"] == "s3://kyc/front.jpg"
    assert flat["digital_human"] == "False"
    assert "guardian" not in flat and not any(key.startswith("guardian") for key in flat)
    assert flatten(None) == {}


def test_PLT_02_diff_lists_only_what_changed_in_field_order():
    old = make_profile()
    new = make_profile(phone="13700000000", display_name="新名字", documents=())
    assert diff(old, new) == [
        ("display_name", "小张带货", "新名字"),
        ("documents[0].kind", "identity_front", ""),
        ("documents[0].sha256", digest("front"), ""),
        ("documents[0].uri", "s3://kyc/front.jpg", ""),
        ("phone", "13812345678", "13700000000"),
    ]
    assert diff(None, old)[0] == ("address", "", old.address)
    assert diff(old, old) == []
