"""The protobuf wire format read without a message class: one walker for the places that look
into a request's bytes without decoding it.

- The gateway forwards payloads as bytes and reads only the resource id a call names
  (`gateway/resources.py`).
- A request that does not decode because a string field holds invalid UTF-8: protobuf refuses the
  whole message ("String field had bad UTF-8") without naming the field, and a caller with a big
  request deserves to know which one. `bad_utf8_field` walks the bytes beside the message's
  descriptor, into nested messages, and names the first such field: `profile.identity.legal_name`,
  `documents[1].uri`; None where it cannot walk (the caller then names the request as a whole).
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf.descriptor import Descriptor, FieldDescriptor

_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5
_MAX_DEPTH = 32


class Malformed(ValueError):
    """The bytes are not well-framed protobuf (or use groups, which no contract of ours does)."""


def length_delimited(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(field number, value) of each length-delimited field (strings, bytes, messages) in order;
    the other wire types are skipped. Raises Malformed where the framing breaks."""
    position, end = 0, len(data)
    while position < end:
        key, position = _varint(data, position)
        wire_type = key & 7
        if wire_type == _VARINT:
            _, position = _varint(data, position)
        elif wire_type == _FIXED64:
            position += 8
        elif wire_type == _FIXED32:
            position += 4
        elif wire_type == _LENGTH_DELIMITED:
            length, position = _varint(data, position)
            if position + length > end:
                raise Malformed("a length beyond the end")
            yield key >> 3, data[position : position + length]
            position += length
        else:
            raise Malformed(f"wire type {wire_type}")
    if position != end:
        raise Malformed("a fixed-width value beyond the end")


def bad_utf8_field(descriptor: Descriptor, data: bytes) -> str | None:
    try:
        return _bad_utf8_field(descriptor, data, depth=0)
    except Malformed:
        return None


def _bad_utf8_field(descriptor: Descriptor, data: bytes, depth: int) -> str | None:
    if depth > _MAX_DEPTH:
        raise Malformed("nested too deep")
    seen: dict[int, int] = {}
    for number, value in length_delimited(data):
        field = descriptor.fields_by_number.get(number)
        if field is None:
            continue  # unknown fields are kept as bytes, never decoded
        index = seen[number] = seen.get(number, -1) + 1
        name = f"{field.name}[{index}]" if field.is_repeated else field.name
        if field.type == FieldDescriptor.TYPE_STRING:
            try:
                str(value, "utf-8")
            except UnicodeDecodeError:
                return name
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            inner = _bad_utf8_field(field.message_type, value, depth + 1)
            if inner is not None:
                return f"{name}.{inner}"
    return None


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise Malformed("a varint cut short or too long")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
