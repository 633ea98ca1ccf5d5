"""Protobuf `Timestamp` <-> aware `datetime`, the one conversion every service uses.

A `Timestamp` has no time zone and an unset message field reads as the epoch, so each service
converting by hand ends up with naive datetimes or 1970 where "not given" was meant. Here an
absent moment is `None` both ways: `stamp(None)` leaves the field unset when passed to a message
constructor, and `read(message, "field")` is `None` when the caller did not set it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf import timestamp_pb2
from google.protobuf.message import Message


def stamp(moment: datetime | None) -> timestamp_pb2.Timestamp | None:
    """The moment as a Timestamp; None stays None, so `Message(field=stamp(x))` leaves it unset."""
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        # FromDatetime would read a naive time as UTC, whatever zone it was meant in.
        raise ValueError(f"a timestamp needs an aware datetime, got {moment!r}")
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


def moment(value: timestamp_pb2.Timestamp) -> datetime:
    """The Timestamp as an aware UTC datetime."""
    return value.ToDatetime(tzinfo=UTC)


def read(message: Message, field: str) -> datetime | None:
    """An optional timestamp field of `message`: None when the sender left it unset."""
    return moment(getattr(message, field)) if message.HasField(field) else None
