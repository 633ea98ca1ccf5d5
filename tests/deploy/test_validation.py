"""The rendered manifests (base, dev, prod) are valid before any cluster sees them: Kubernetes'
own kinds against Kubernetes' schemas (kubernetes-validate, strict: an unknown field fails), the
custom resources against their operators' CRDs shipped in deploy/k8s/crds/ (jsonschema, strict the
same way), and checkov's policy scan with zero failed checks (its skips are annotations in
deploy/k8s/base/kustomization.yaml, each with its reason). The tools run from their own
virtualenv (deploy/requirements.txt), as subprocesses."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, Rendered

pytestmark = pytest.mark.timeout(900)

# The oldest Kubernetes the manifests support (PodDisruptionBudget.unhealthyPodEvictionPolicy is
# GA from 1.31; deploy/k8s/README.md) and the newest the validator knows.
KUBERNETES_VERSIONS = ("1.32", "1.37")
VALIDATOR = ROOT / "deploy" / "validate_manifests.py"


def validate(tools_python: Path, manifest: Path) -> subprocess.CompletedProcess[str]:
    versions = [arg for version in KUBERNETES_VERSIONS for arg in ("--kubernetes", version)]
    return subprocess.run([str(tools_python), str(VALIDATOR), str(manifest), *versions], capture_output=True, text=True, timeout=300)


def test_every_rendered_object_is_valid_against_kubernetes_and_its_crd(each: Rendered, tools_python: Path):
    result = validate(tools_python, each.yaml_file)
    assert result.returncode == 0, f"{each.name}:\n{result.stdout}{result.stderr}"
    assert f"{len(each.objects)} objects, 0 problems" in result.stdout
    kinds = {obj["kind"] for obj in each.objects}
    # the custom resources are among what was checked, not skipped
    assert {"Cluster", "ScheduledBackup", "ObjectStore", "Issuer", "Certificate", "ServiceMonitor"} <= kinds


def test_the_validator_rejects_misspelt_fields_bad_values_and_unknown_kinds(tools_python: Path, tmp_path: Path):
    """Proof the check above can fail: one mistake per object, each reported by name."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        """apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: misspelt}
spec: {secretName: a, issuerRef: {name: x}, dnsName: [a]}
---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: bad-enum}
spec: {instances: 3, postgresql: {synchronous: {method: all, number: 1}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: bad-type}
spec: {replicas: two, serviceName: c, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: unknown-field}
spec: {clusterIp: None, ports: [{port: 1}]}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: no-schema}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: nested}
spec: {selector: {}, endpoints: [{port: metrics, intervall: 15s}]}
"""
    )
    result = validate(tools_python, bad)
    assert result.returncode == 1
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines() if ": " in line}
    assert reported == {
        "Certificate/misspelt", "Cluster/bad-enum", "StatefulSet/bad-type", "Service/unknown-field", "Widget/no-schema", "ServiceMonitor/nested",
    }, result.stdout
    assert "'dnsName' was unexpected" in result.stdout and "'intervall' was unexpected" in result.stdout


def checkov(tools_python: Path, directory: Path) -> dict:
    result = subprocess.run(
        [str(tools_python.parent / "checkov"), "--directory", str(directory), "--framework", "kubernetes",
         "--output", "json", "--compact", "--skip-download"],
        capture_output=True, text=True, timeout=300,
        # offline: no Prisma Cloud guidelines, no version check
        env={"PATH": str(tools_python.parent) + ":/usr/bin:/bin", "CHECKOV_SKIP_VERSION_CHECK": "true", "HOME": str(directory)},
    )
    assert result.stdout.strip(), result.stderr[-4000:]
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_finds_no_failed_check_and_every_skip_says_why(rendered: dict[str, Rendered], tools_python: Path, tmp_path: Path):
    for name, r in rendered.items():
        shutil.copy(r.yaml_file, tmp_path / f"{name}.yaml")
    report = checkov(tools_python, tmp_path)
    summary = report["summary"]
    print(f"checkov: Passed checks: {summary['passed']}, Failed checks: {summary['failed']}, Skipped checks: {summary['skipped']}")
    failed = [f"{c['check_id']} {c['resource']} ({c['file_path']})" for c in report["results"]["failed_checks"]]
    assert summary["failed"] == 0, "\n".join(failed)
    assert summary["passed"] > 100 and summary["parsing_errors"] == 0
    for skipped in report["results"]["skipped_checks"]:
        assert skipped["check_id"] in {"CKV_K8S_43", "CKV_K8S_35"}, f"an unreviewed skip: {skipped['check_id']}"
        reason = skipped["check_result"].get("suppress_comment") or ""
        assert len(reason) > 20, f"{skipped['check_id']} is skipped for {skipped['resource']} without a reason"


def test_checkov_would_fail_a_pod_that_runs_as_root(tools_python: Path, tmp_path: Path):
    """Proof the scan above can fail: the same tool, a pod with none of the hardening."""
    (tmp_path / "root.yaml").write_text(
        """apiVersion: v1
kind: Pod
metadata: {name: careless, namespace: livecommerce}
spec:
  containers:
    - {name: c, image: "livecommerce:0.1.0"}
"""
    )
    report = checkov(tools_python, tmp_path)
    failed = {c["check_id"] for c in report["results"]["failed_checks"]}
    assert {"CKV_K8S_20", "CKV_K8S_22", "CKV_K8S_23", "CKV_K8S_28", "CKV_K8S_8", "CKV_K8S_9"} <= failed, failed
