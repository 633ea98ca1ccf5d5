"""Fixtures of the deploy tests: the tools virtualenv (deploy/tools-venv, made once per machine
and reused) and deploy/k8s rendered with it, once per test session, for the base and each overlay."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUSTOMIZATIONS = {"base": K8S / "base", "dev": K8S / "overlays" / "dev", "prod": K8S / "overlays" / "prod"}


@dataclass(frozen=True)
class Rendered:
    name: str
    yaml_file: Path
    objects: list[dict[str, Any]]

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj["kind"] == kind]

    def one(self, kind: str, name: str) -> dict[str, Any]:
        found = [obj for obj in self.all(kind) if obj["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.name}: {len(found)} {kind} named {name}"
        return found[0]


@pytest.fixture(scope="session")
def tools_python() -> Path:
    """The tools virtualenv's Python; the first run on a machine installs it (about a minute)."""
    made = subprocess.run([str(ROOT / "deploy" / "tools-venv")], capture_output=True, text=True, timeout=840)
    assert made.returncode == 0, made.stderr[-4000:]
    return ROOT / made.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def rendered(tools_python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("k8s-rendered")
    # the three renders at once: each is mostly kubectl's start-up
    running = {
        name: subprocess.Popen(
            [str(tools_python), str(ROOT / "deploy" / "render.py"), str(kustomization), str(out / name)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name, kustomization in KUSTOMIZATIONS.items()
    }
    result = {}
    for name, process in running.items():
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, f"{name} does not render: {stderr}"
        result[name] = Rendered(name, out / f"{name}.yaml", json.loads((out / f"{name}.json").read_text()))
    return result


@pytest.fixture(params=sorted(KUSTOMIZATIONS))
def each(request: pytest.FixtureRequest, rendered: dict[str, Rendered]) -> Rendered:
    """The base and each overlay, rendered: a test taking it runs once for each."""
    return rendered[request.param]
