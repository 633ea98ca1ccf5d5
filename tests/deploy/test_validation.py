"""The rendered manifests (base, dev, prod) are valid before any cluster sees them: Kubernetes'
own kinds against Kubernetes' schemas (kubernetes-validate, strict: an unknown field fails), the
custom resources against their operators' CRDs shipped in deploy/k8s/crds/ (jsonschema, strict the
same way), and checkov's policy scan with zero failed checks, of the manifests and of the
Dockerfile (its skips are annotations in deploy/k8s/base/kustomization.yaml and a comment in the
Dockerfile, each with its reason). The tools run from their own
virtualenv (deploy/requirements.txt), as subprocesses, started together once per session."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.conftest import ROOT, Rendered

pytestmark = pytest.mark.timeout(900)

# The oldest Kubernetes the manifests support (PodDisruptionBudget.unhealthyPodEvictionPolicy is
# GA from 1.31; deploy/k8s/README.md) and the newest the validator knows.
KUBERNETES_VERSIONS = ("1.32", "1.37")
VALIDATOR = ROOT / "deploy" / "validate_manifests.py"

# One mistake per object: proof that the validation can fail, each reported by name.
MISTAKES = """apiVersion: cert-manager.io/v1
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

# A pod with none of the hardening: proof that checkov's scan can fail.
CARELESS_POD = """apiVersion: v1
kind: Pod
metadata: {name: careless, namespace: livecommerce}
spec:
  containers:
    - {name: c, image: "livecommerce:0.1.0"}
"""


@pytest.fixture(scope="session")
def tool_runs(rendered: dict[str, Rendered], tools_python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Starts every validation and the checkov scan at once; returns their results by name."""
    work = tmp_path_factory.mktemp("deploy-tools")
    (work / "mistakes.yaml").write_text(MISTAKES)
    scan = work / "scan"
    scan.mkdir()
    for name, r in rendered.items():
        shutil.copy(r.yaml_file, scan / f"{name}.yaml")
    (scan / "careless.yaml").write_text(CARELESS_POD)
    shutil.copy(ROOT / "Dockerfile", scan / "Dockerfile")
    versions = [arg for version in KUBERNETES_VERSIONS for arg in ("--kubernetes", version)]
    commands = {name: [str(tools_python), str(VALIDATOR), str(r.yaml_file), *versions] for name, r in rendered.items()}
    commands["mistakes"] = [str(tools_python), str(VALIDATOR), str(work / "mistakes.yaml"), *versions]
    commands["checkov"] = [
        str(tools_python.parent / "checkov"), "--directory", str(scan), "--framework", "kubernetes", "dockerfile",
        "--output", "json", "--compact", "--skip-download",
    ]
    # checkov offline: no Prisma Cloud guidelines (--skip-download), no version check, its own HOME
    checkov_env = {"PATH": f"{tools_python.parent}:/usr/bin:/bin", "CHECKOV_SKIP_VERSION_CHECK": "true", "HOME": str(work)}
    running = {
        name: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=checkov_env if name == "checkov" else None)
        for name, command in commands.items()
    }
    return {name: (process, *process.communicate(timeout=600)) for name, process in running.items()}


def test_every_rendered_object_is_valid_against_kubernetes_and_its_crd(each: Rendered, tool_runs: dict[str, Any]):
    process, stdout, stderr = tool_runs[each.name]
    assert process.returncode == 0, f"{each.name}:\n{stdout}{stderr}"
    assert f"{len(each.objects)} objects, 0 problems" in stdout
    kinds = {obj["kind"] for obj in each.objects}
    # the custom resources are among what was checked, not skipped
    assert {"Cluster", "ScheduledBackup", "ObjectStore", "Issuer", "Certificate", "ServiceMonitor"} <= kinds


def test_the_validator_rejects_misspelt_fields_bad_values_and_unknown_kinds(tool_runs: dict[str, Any]):
    process, stdout, _ = tool_runs["mistakes"]
    assert process.returncode == 1
    reported = {line.split(":", 1)[0] for line in stdout.splitlines() if ": " in line}
    assert reported == {
        "Certificate/misspelt", "Cluster/bad-enum", "StatefulSet/bad-type", "Service/unknown-field", "Widget/no-schema", "ServiceMonitor/nested",
    }, stdout
    assert "'dnsName' was unexpected" in stdout and "'intervall' was unexpected" in stdout


def checkov_report(tool_runs: dict[str, Any], check_type: str = "kubernetes") -> dict[str, Any]:
    _, stdout, stderr = tool_runs["checkov"]
    assert stdout.strip(), stderr[-4000:]
    reports = json.loads(stdout)
    [report] = [r for r in (reports if isinstance(reports, list) else [reports]) if r["check_type"] == check_type]
    return report


def test_checkov_finds_no_failed_check_and_every_skip_says_why(tool_runs: dict[str, Any]):
    results = checkov_report(tool_runs)["results"]

    def ours(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [c for c in checks if not c["file_path"].endswith("/careless.yaml")]

    passed, failed, skipped = ours(results["passed_checks"]), ours(results["failed_checks"]), ours(results["skipped_checks"])
    print(f"checkov (base, dev, prod): Passed checks: {len(passed)}, Failed checks: {len(failed)}, Skipped checks: {len(skipped)}")
    assert not failed, "\n".join(f"{c['check_id']} {c['resource']} ({c['file_path']})" for c in failed)
    assert len(passed) > 100 and not results.get("parsing_errors")
    assert {c["file_path"].rsplit("/", 1)[-1] for c in passed} == {"base.yaml", "dev.yaml", "prod.yaml"}
    for check in skipped:
        assert check["check_id"] in {"CKV_K8S_43", "CKV_K8S_35"}, f"an unreviewed skip: {check['check_id']}"
        reason = check["check_result"].get("suppress_comment") or ""
        assert len(reason) > 20, f"{check['check_id']} is skipped for {check['resource']} without a reason"


def test_checkov_finds_no_failed_check_in_the_dockerfile(tool_runs: dict[str, Any]):
    report = checkov_report(tool_runs, "dockerfile")
    print(f"checkov (Dockerfile): Passed checks: {report['summary']['passed']}, Failed checks: {report['summary']['failed']}, Skipped checks: {report['summary']['skipped']}")
    assert report["summary"]["failed"] == 0, [c["check_id"] for c in report["results"]["failed_checks"]]
    assert report["summary"]["passed"] > 10
    # the one skip is the HEALTHCHECK, with its reason beside it in the Dockerfile
    assert [c["check_id"] for c in report["results"]["skipped_checks"]] == ["CKV_DOCKER_2"]


def test_checkov_fails_a_pod_without_the_hardening(tool_runs: dict[str, Any]):
    """Proof the scan above can fail: the same run, a pod with none of the hardening."""
    results = checkov_report(tool_runs)["results"]
    failed = {c["check_id"] for c in results["failed_checks"] if c["file_path"].endswith("/careless.yaml")}
    assert {"CKV_K8S_20", "CKV_K8S_22", "CKV_K8S_23", "CKV_K8S_28", "CKV_K8S_8", "CKV_K8S_9"} <= failed, failed
