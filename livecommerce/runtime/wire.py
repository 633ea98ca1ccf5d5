"""Which field of a request that does not decode holds invalid UTF-8.

protobuf refuses the whole message ("String field had bad UTF-8") without naming the field, and a
caller with a big request deserves to know which one. This walks the wire format (varint, fixed
64/32, length-delimited) alongside the message's descriptor, into nested messages, and names the
first string field whose bytes are not UTF-8: `profile.identity.legal_name`, `documents[1].uri`.
Anything it cannot walk answers None; the caller then names the request as a whole.
"""

from __future__ import annotations

from google.protobuf.descriptor import Descriptor, FieldDescriptor

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5
_MAX_DEPTH = 32


class _Malformed(Exception):
    pass


def bad_utf8_field(descriptor: Descriptor, data: bytes) -> str | None:
    try:
        return _walk(descriptor, memoryview(data), depth=0)
    except _Malformed:
        return None


def _walk(descriptor: Descriptor, data: memoryview, depth: int) -> str | None:
    if depth > _MAX_DEPTH:
        raise _Malformed
    seen: dict[int, int] = {}
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            _, position = _varint(data, position)
        elif wire_type == _FIXED64:
            position += 8
        elif wire_type == _FIXED32:
            position += 4
        elif wire_type == _LENGTH:
            size, position = _varint(data, position)
            value, position = data[position : position + size], position + size
            if position > len(data):
                raise _Malformed
            field = descriptor.fields_by_number.get(number)
            if field is None:
                continue  # unknown fields are kept as bytes, never decoded
            index = seen.get(number, 0)
            seen[number] = index + 1
            name = f"{field.name}[{index}]" if field.is_repeated else field.name
            if field.type == FieldDescriptor.TYPE_STRING:
                try:
                    str(value, "utf-8")
                except UnicodeDecodeError:
                    return name
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                inner = _walk(field.message_type, value, depth + 1)
                if inner is not None:
                    return f"{name}.{inner}"
        else:
            raise _Malformed
    if position != len(data):
        raise _Malformed
    return None


def _varint(data: memoryview, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise _Malformed
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
