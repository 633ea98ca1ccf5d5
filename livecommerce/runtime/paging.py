"""Keyset paging shared by every List RPC: page sizes, and one opaque token format for positions.

A listing is ordered by a unique key (a sequence number, or a time with an id to break ties);
the token carries the last row's key, so the next page starts after it with one indexed query and
stays stable under inserts (an offset would skip or repeat rows). `Keyset` declares the key's
types once per listing; the encoding of positions lives only here.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from livecommerce.runtime.errors import FieldViolation, InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
TOKEN_FIELD = "page.page_token"
R = TypeVar("R")

# How each key type becomes text in a token and back.
_CODECS: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    int: (int, int),
    str: (str, str),
    uuid.UUID: (str, uuid.UUID),
    datetime: (datetime.isoformat, datetime.fromisoformat),
}


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument([FieldViolation("page.page_size", "must not be negative")])
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_token(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_json(token: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


class Keyset:
    """The key one listing is ordered by, e.g. `Keyset(datetime, uuid.UUID)` or `Keyset(int)`."""

    def __init__(self, *types: type) -> None:
        unknown = [t for t in types if t not in _CODECS]
        if not types or unknown:
            raise TypeError(f"keyset types must be among {sorted(t.__name__ for t in _CODECS)}")
        self._types = types

    def encode(self, key: tuple) -> str:
        return encode_token([_CODECS[t][0](v) for t, v in zip(self._types, key, strict=True)])

    def decode(self, token: str) -> tuple | None:
        """The key a token carries; a token this service did not issue is INVALID_ARGUMENT."""
        if not token:
            return None
        try:
            values = _decode_json(token)
            if not isinstance(values, list) or len(values) != len(self._types):
                raise ValueError("wrong shape")
            key = tuple(_CODECS[t][1](v) for t, v in zip(self._types, values))
        except (binascii.Error, ValueError, UnicodeDecodeError, TypeError):
            raise InvalidArgument([FieldViolation(TOKEN_FIELD, "is not a token this service issued")]) from None
        if any(isinstance(v, datetime) and v.tzinfo is None for v in key):
            raise InvalidArgument([FieldViolation(TOKEN_FIELD, "is not a token this service issued")])
        return key

    async def page(
        self, *, token: str, size: int, fetch: Callable[[tuple | None, int], Awaitable[Sequence[R]]], key: Callable[[R], tuple]
    ) -> tuple[list[R], str]:
        """One page: `fetch(after, limit)` returns rows after the key in order; one extra row tells
        whether there is a next page, so the call is one query."""
        after, limit = self.decode(token), page_size(size)
        rows = list(await fetch(after, limit + 1))
        page = rows[:limit]
        return page, self.encode(key(page[-1])) if len(rows) > limit else ""


def newest_first(
    *, table: str, columns: str, order: tuple[str, str], filters: dict[str, object], after: tuple | None, limit: int
) -> tuple[str, list]:
    """The query of one page of `table` ordered by (time, id) descending, rows equal to every
    non-None value of `filters` only, after the key `after`: (sql, arguments) for `conn.fetch`."""
    conditions, args = [], []
    for column, value in filters.items():
        if value is not None:
            args.append(value)
            conditions.append(f"{column} = ${len(args)}")
    if after is not None:
        args += list(after)
        conditions.append(f"({order[0]}, {order[1]}) < (${len(args) - 1}, ${len(args)})")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    args.append(limit)
    sql = f"SELECT {columns} FROM {table}{where} ORDER BY {order[0]} DESC, {order[1]} DESC LIMIT ${len(args)}"
    return sql, args
