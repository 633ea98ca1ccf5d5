"""Renders a kustomization with `kubectl kustomize` (the kubectl of deploy/requirements.txt,
beside this interpreter) and writes the result twice: as YAML for checkov and the validator, and
as a JSON list of objects for tests/deploy/ (the app's virtualenv has no YAML parser).

    $(deploy/tools-venv) deploy/render.py deploy/k8s/overlays/prod OUT   # OUT.yaml, OUT.json"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml


def main() -> int:
    kustomization, out = Path(sys.argv[1]), Path(sys.argv[2])
    kubectl = Path(sys.executable).parent / "kubectl"
    built = subprocess.run([str(kubectl), "kustomize", str(kustomization)], capture_output=True, text=True, timeout=120)
    if built.returncode != 0:
        print(built.stderr, file=sys.stderr)
        return built.returncode
    out.with_suffix(".yaml").write_text(built.stdout)
    objects = [obj for obj in yaml.safe_load_all(built.stdout) if obj]
    out.with_suffix(".json").write_text(json.dumps(objects, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
