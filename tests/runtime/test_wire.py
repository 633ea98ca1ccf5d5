"""Naming the field that holds invalid UTF-8 in a request protobuf refuses whole
(livecommerce/runtime/wire.py): nested, repeated, beside unknown fields; and None, never a wrong
name, for bytes it cannot walk."""

from __future__ import annotations

import pytest

from livecommerce.anchor.v1 import anchor_pb2
from livecommerce.runtime.wire import bad_utf8_field

REGISTER = anchor_pb2.RegisterAnchorRequest.DESCRIPTOR


def registration() -> bytes:
    request = anchor_pb2.RegisterAnchorRequest(request_id="REQ")
    request.profile.display_name = "DISPLAY"
    request.profile.identity.legal_name = "LEGAL"
    for uri in ("URI0", "URI1"):
        request.profile.documents.add(uri=uri)
    return request.SerializeToString()


@pytest.mark.parametrize(
    ("placeholder", "expected"),
    [
        (b"REQ", "request_id"),
        (b"DISPLAY", "profile.display_name"),
        (b"LEGAL", "profile.identity.legal_name"),
        (b"URI0", "profile.documents[0].uri"),
        (b"URI1", "profile.documents[1].uri"),
    ],
)
def test_the_field_with_bad_utf8_is_named_with_its_path(placeholder, expected):
    data = registration().replace(placeholder, b"\xff" + placeholder[1:])  # same length: the framing holds
    with pytest.raises(Exception, match="UTF-8"):
        anchor_pb2.RegisterAnchorRequest.FromString(data)
    assert bad_utf8_field(REGISTER, data) == expected


def test_a_valid_request_names_nothing():
    assert bad_utf8_field(REGISTER, registration()) is None


def test_an_unknown_field_with_any_bytes_is_not_named():
    unknown = bytes([(15 << 3) | 2, 2, 0xFF, 0xFE])  # field 15, length-delimited: kept as unknown bytes
    assert bad_utf8_field(REGISTER, registration() + unknown) is None


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xff\xff\xff",  # a varint that never ends
        b"\x08\x80",  # truncated varint
        b"\x0a\x09abc",  # a length beyond the end
        b"\x0b",  # wire type 3 (groups): not walked
    ],
    ids=["endless varint", "truncated varint", "length beyond the end", "group"],
)
def test_bytes_it_cannot_walk_name_nothing(data):
    assert bad_utf8_field(REGISTER, data) is None
