"""The contracts in protos/: lint-clean, and the committed generated code is what protoc makes now."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from livecommerce import codegen

ROOT = Path(__file__).resolve().parent.parent


def test_generated_code_is_not_stale():
    assert codegen.stale_files() == [], "run: .venv/bin/python -m livecommerce.codegen"


def test_buf_lint_passes():
    buf = shutil.which("buf", path=str(Path(sys.executable).parent))
    if buf is None:
        pytest.fail("buf not installed (the buf-bin package of the dev extras)")
    result = subprocess.run([buf, "lint"], cwd=ROOT / "protos", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
