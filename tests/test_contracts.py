"""The contracts in protos/: lint-clean, the committed generated code is what protoc makes now, and
every write names its request, so the gateway's one retry on UNAVAILABLE is harmless."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.resources import request_id_numbers
from livecommerce import codegen
from livecommerce.runtime import contracts

ROOT = Path(__file__).resolve().parent.parent


def test_generated_code_is_not_stale():
    assert codegen.stale_files() == [], "run: .venv/bin/python -m livecommerce.codegen"


def test_buf_lint_passes():
    buf = shutil.which("buf", path=str(Path(sys.executable).parent))
    if buf is None:
        pytest.fail("buf not installed (the buf-bin package of the dev extras)")
    result = subprocess.run([buf, "lint"], cwd=ROOT / "protos", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


READ_PREFIXES = ("Get", "List", "Check", "Export", "Search", "Watch", "Verify", "Resolve")
"""An RPC named so only reads; every other RPC is a write."""
NOT_YET_SERVED: set[str] = set()
"""Writes of a contract no server serves yet may wait for their request_id until it is served."""


def _writes_without_request_id() -> list[str]:
    missing = []
    for service in contracts.services():
        for method in service.methods:
            if method.name.startswith(READ_PREFIXES):
                continue
            # The gateway's own reading: the RPCs whose request carries a `request_id` string field.
            if f"/{service.full_name}/{method.name}" not in request_id_numbers():
                missing.append(f"{service.full_name}/{method.name}")
    return sorted(missing)


def test_every_write_rpc_has_a_request_id_string_field():
    """The gateway (gateway/resources.py::retry_is_safe) treats a request without a `request_id`
    field as a read and retries it once on UNAVAILABLE: a write without one would take effect twice."""
    missing = _writes_without_request_id()
    assert [m for m in missing if m not in NOT_YET_SERVED] == [], "add a required `string request_id` to these writes"
    assert sorted(NOT_YET_SERVED) == [m for m in missing if m in NOT_YET_SERVED], "a write got its request_id: drop it from NOT_YET_SERVED"


def test_reads_by_name_carry_no_request_id():
    """A method named as a read that carried a request_id would be a write in disguise: name it as one."""
    reads = [f"/{s.full_name}/{m.name}" for s in contracts.services() for m in s.methods if m.name.startswith(READ_PREFIXES)]
    assert "/livecommerce.anchor.v1.AnchorService/CheckGoLiveEligibility" in reads
    assert "/livecommerce.product.v1.ProductService/ResolveProductLink" in reads
    assert [r for r in reads if r in request_id_numbers()] == []
