"""What the gateway reads from a request without deserializing it: the resource a call names, for
the audit log (PLT-05), and its `request_id`, which decides whether a retry is safe.

The gateway forwards payloads as bytes. To record a resource id it only walks the protobuf wire
format down field paths known from the method's descriptor: the request's first `*_id` string
field (not `request_id`), or else the first one set of a message field's (`subject.id`;
`inspection.product_id` when the service assigns `inspection.inspection_id`). Anything the walk
does not understand yields no resource; the service behind still judges the request in full.
"""

from __future__ import annotations

import functools

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from livecommerce.runtime import contracts, wire


def _names_resource(field: FieldDescriptor) -> bool:
    return field.type == FieldDescriptor.TYPE_STRING and (field.name == "id" or field.name.endswith("_id")) and field.name != "request_id"


def resource_candidates(request: Descriptor) -> tuple[tuple[int, ...], ...]:
    """Field-number paths that may lead to the request's resource id, in the order tried: the
    first top-level id; else each id of the first message field that has ids. () names none."""
    for field in request.fields:
        if _names_resource(field):
            return ((field.number,),)
    for field in request.fields:
        if field.type == FieldDescriptor.TYPE_MESSAGE and not field.is_repeated:
            inner = [(field.number, f.number) for f in field.message_type.fields if _names_resource(f)]
            if inner:
                return tuple(inner)
    return ()


@functools.cache
def resource_paths() -> dict[str, tuple[tuple[int, ...], ...]]:
    """"/package.Service/Method" -> its candidate resource paths, for every RPC that names a resource."""
    paths = {}
    for service in contracts.services():
        for method in service.methods:
            candidates = resource_candidates(method.input_type)
            if candidates and not method.client_streaming:
                paths[f"/{service.full_name}/{method.name}"] = candidates
    return paths


def resource_of(method: str, payload: bytes) -> str:
    """The resource id in a serialized request of `method`: the first candidate set, or ""."""
    for path in resource_paths().get(method, ()):
        found = _walk(payload, path)
        if found:
            return found
    return ""


def _walk(payload: bytes, path: tuple[int, ...]) -> str:
    found: bytes | None = payload
    for number in path:
        found = _length_delimited_field(found, number) if found is not None else None
    if found is None:
        return ""
    try:
        return found.decode()
    except UnicodeDecodeError:
        return ""


def _length_delimited_field(data: bytes, number: int) -> bytes | None:
    """The last occurrence of field `number` (last wins, as protobuf parsing does), if well formed."""
    found = None
    try:
        for field_number, value in wire.length_delimited(data):
            if field_number == number:
                found = value
    except wire.Malformed:
        return None
    return found


@functools.cache
def request_id_numbers() -> dict[str, int]:
    """"/package.Service/Method" -> field number of its request's `request_id`, for every RPC
    whose request has one (the writes the service dedupes by it)."""
    numbers = {}
    for service in contracts.services():
        for method in service.methods:
            field = method.input_type.fields_by_name.get("request_id")
            if field is not None and field.type == FieldDescriptor.TYPE_STRING:
                numbers[f"/{service.full_name}/{method.name}"] = field.number
    return numbers


def retry_is_safe(method: str, payload: bytes) -> bool:
    """Whether sending this request twice is harmless: its message has no `request_id` (a read),
    or the forwarded bytes carry a non-empty one (the service answers a repeat from its record)."""
    number = request_id_numbers().get(method)
    return number is None or bool(_length_delimited_field(payload, number))
