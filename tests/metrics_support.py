"""Scraping a process's ops port in tests: plain HTTP over a real socket, parsed with
prometheus_client's own parser, so a family that does not parse fails the test."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

from prometheus_client.parser import text_string_to_metric_families


async def get(port: int, path: str) -> tuple[int, str]:
    """(status, body) of GET http://127.0.0.1:<port><path>."""
    async with asyncio.timeout(5.0):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            response = await reader.read()
        finally:
            writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


class Scrape:
    """One /metrics answer: its families and samples."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.families = {family.name: family for family in text_string_to_metric_families(text)}

    def value(self, sample: str, **labels: str) -> float | None:
        """The sample's value whose labels include `labels`; the sum when several match; None when none."""
        found = [
            s.value for family in self.families.values() for s in family.samples
            if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items())
        ]  # fmt: skip
        return sum(found) if found else None

    def exported_names(self) -> set[str]:
        """Every name a query may use: family names as exposed, with their series' suffixes."""
        names: set[str] = set()
        for family in self.families.values():
            names.add(family.name)
            names.update(sample.name for sample in family.samples)
            if family.type == "counter":
                names.add(family.name + "_total")
            if family.type == "histogram":
                names.update(family.name + suffix for suffix in ("_bucket", "_sum", "_count"))
        return names


async def scrape(port: int) -> Scrape:
    status, body = await get(port, "/metrics")
    assert status == 200, body
    return Scrape(body)


METRIC_NAME = re.compile(r"\blivecommerce_[a-z0-9_]+")


def metric_names_in(expressions: Iterable[str]) -> set[str]:
    """The suite's metric names a PromQL expression uses."""
    return {name for expression in expressions for name in METRIC_NAME.findall(expression)}
