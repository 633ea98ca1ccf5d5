"""deploy/k8s/ deploys what livecommerce/services.py lists (PLT-03): one manifest per service in
the kustomization, two replicas the gateway names as that service's upstreams; and the whole
kustomization builds (with `kubectl kustomize`, where kubectl is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from livecommerce.services import SERVICES

K8S = Path(__file__).resolve().parent.parent / "deploy" / "k8s"


def gateway_upstreams() -> dict[str, list[str]]:
    found = re.search(r'name: GATEWAY_UPSTREAMS, value: "([^"]+)"', (K8S / "gateway.yaml").read_text())
    assert found, "gateway.yaml sets no GATEWAY_UPSTREAMS"
    return {name: targets.split("|") for name, targets in (part.split("=", 1) for part in found.group(1).split(","))}


def test_PLT_03_every_deployed_service_has_a_manifest_two_replicas_and_a_gateway_upstream():
    resources = re.findall(r"^\s*-\s*(\S+)\s*$", (K8S / "kustomization.yaml").read_text(), re.MULTILINE)
    upstreams = gateway_upstreams()
    for service in SERVICES:
        manifest = K8S / f"{service.name}.yaml"
        assert manifest.name in resources, f"kustomization.yaml does not list {manifest.name}"
        text = manifest.read_text()
        for kind in ("Certificate", "StatefulSet", "PodDisruptionBudget", "Service", "NetworkPolicy"):
            assert f"kind: {kind}\n" in text, f"{manifest.name} has no {kind}"
        assert f"command: [python, -m, {service.module}]" in text
        assert "replicas: 2" in text and f"serviceName: {service.name}\n" in text
        assert f'"*.{service.name}"' in text  # the certificate names each replica the gateway dials
        assert upstreams.get(service.name) == [f"{service.name}-{i}.{service.name}:50051" for i in range(2)]
    assert set(upstreams) == {service.name for service in SERVICES}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_the_kustomization_builds_with_every_service():
    built = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60)
    assert built.returncode == 0, built.stderr
    for service in SERVICES:
        assert re.search(rf"^kind: StatefulSet\nmetadata:\n(?:  .*\n)*?  name: {service.name}\n", built.stdout, re.MULTILINE), service
