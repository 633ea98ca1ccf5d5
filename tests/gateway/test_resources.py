"""The audit's resource id, read from forwarded bytes without deserializing them (PLT-05)."""

from __future__ import annotations

from gateway.resources import resource_of
from livecommerce.anchor.v1 import anchor_pb2 as pb
from livecommerce.anchor.v1 import credit_pb2


def test_PLT_05_a_top_level_id_field_is_the_resource():
    payload = pb.GetAnchorRequest(anchor_id="a-42").SerializeToString()
    assert resource_of("/livecommerce.anchor.v1.AnchorService/GetAnchor", payload) == "a-42"


def test_PLT_05_an_id_one_message_down_is_the_resource():
    request = credit_pb2.GetCreditArchiveRequest(subject=credit_pb2.CreditSubject(kind=credit_pb2.SUBJECT_KIND_AGENCY, id="ag-7"))
    assert resource_of("/livecommerce.anchor.v1.CreditService/GetCreditArchive", request.SerializeToString()) == "ag-7"


def test_fields_before_the_id_are_skipped_and_the_last_occurrence_wins():
    payload = pb.ReviewAnchorFileRequest(anchor_id="first", version=3, reason="r" * 300).SerializeToString()
    payload += pb.ReviewAnchorFileRequest(anchor_id="second").SerializeToString()
    assert resource_of("/livecommerce.anchor.v1.AnchorService/ReviewAnchorFile", payload) == "second"


def test_a_method_without_a_resource_or_bytes_that_do_not_parse_give_none():
    assert resource_of("/livecommerce.anchor.v1.AnchorService/RegisterAnchor", b"\x0a\x03abc") == ""
    get = "/livecommerce.anchor.v1.AnchorService/GetAnchor"
    assert resource_of(get, b"") == ""
    assert resource_of(get, b"\x0a\x09abc") == ""  # length runs past the end
    assert resource_of(get, b"\x0a\x02\xff\xfe") == ""  # not UTF-8
    assert resource_of(get, b"\xff" * 12) == ""  # a varint that never ends
    assert resource_of("/no.Such/Method", b"\x0a\x01a") == ""


def test_PLT_05_a_nested_request_names_the_first_id_its_client_set():
    """RecordInspection's inspection_id is the service's to assign: the audit names the product."""
    from livecommerce.product.v1 import product_pb2

    request = product_pb2.RecordInspectionRequest(request_id="r-1", inspection=product_pb2.Inspection(product_id="p-9", lab="lab"))
    assert resource_of("/livecommerce.product.v1.ProductService/RecordInspection", request.SerializeToString()) == "p-9"
    request.inspection.inspection_id = "i-1"
    assert resource_of("/livecommerce.product.v1.ProductService/RecordInspection", request.SerializeToString()) == "i-1"
