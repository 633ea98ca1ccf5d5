"""Validates rendered Kubernetes manifests offline; run by tests/deploy/ with the tools
virtualenv's Python (deploy/requirements.txt), never the app's:

    $(deploy/tools-venv) deploy/validate_manifests.py RENDERED.yaml [--kubernetes 1.32 ...]

Kubernetes' own kinds are checked with `kubernetes-validate` in strict mode (an unknown field is
an error) against each given Kubernetes version's schemas. Custom resources are checked with
`jsonschema` against their CRD's openAPIV3Schema, shipped in deploy/k8s/crds/, made strict the same
way: an object schema that lists its properties and neither allows others nor preserves unknown
fields rejects a field it does not list (the API server would drop it silently, which is how a
misspelt field goes unnoticed). A kind found in neither is an error. CEL rules
(x-kubernetes-validations) are not evaluated.

Prints one line per problem (`Kind/name: message`) and exits 1 if there is any."""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate.utils as kv
import yaml

CRDS = Path(__file__).resolve().parent / "k8s" / "crds"


def strict(schema: Any) -> Any:
    """The schema with additionalProperties: false wherever Kubernetes would prune unknown fields."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def crd_schemas(directory: Path = CRDS) -> dict[tuple[str, str], dict[str, Any]]:
    """{(apiVersion, kind): strict openAPIV3Schema} for every served version of every CRD file."""
    schemas: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(directory.glob("*.yaml")):
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if version.get("served", True):
                    schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
                    schemas[(f"{group}/{version['name']}", kind)] = strict(schema)
    return schemas


def name_of(obj: dict[str, Any]) -> str:
    return f"{obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"


def problems(objects: list[dict[str, Any]], versions: list[str], crds: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for obj in objects:
        key = (obj.get("apiVersion", ""), obj.get("kind", ""))
        if key in crds:
            validator = jsonschema.Draft7Validator(crds[key])
            for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path)):
                where = ".".join(str(p) for p in error.absolute_path) or "(root)"
                found.append(f"{name_of(obj)}: {where}: {error.message} (CRD {key[0]})")
            continue
        for version in versions:
            try:
                kv.validate(obj, version, strict=True)
            except kv.SchemaNotFoundError:
                found.append(f"{name_of(obj)}: no schema for {key[0]} {key[1]}, neither in Kubernetes {version} nor in {CRDS}")
                break
            except kv.ValidationError as error:
                where = ".".join(str(p) for p in error.absolute_path) or "(root)"
                found.append(f"{name_of(obj)}: {where}: {error.message} (Kubernetes {version})")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rendered", type=Path, help="multi-document YAML, e.g. `kubectl kustomize` output")
    parser.add_argument("--kubernetes", action="append", help="a Kubernetes version to validate against (repeatable)")
    args = parser.parse_args()
    objects = [obj for obj in yaml.safe_load_all(args.rendered.read_text()) if obj]
    if not objects:
        print(f"{args.rendered}: no objects", file=sys.stderr)
        return 1
    found = problems(objects, args.kubernetes or [kv.latest_version()], crd_schemas())
    for line in found:
        print(line)
    print(f"{len(objects)} objects, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
