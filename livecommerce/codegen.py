"""Regenerates every protobuf/gRPC module from protos/ (style.md: generated code is generated).

Run `python -m livecommerce.codegen`; `--check` exits non-zero when the committed code is stale.
Output goes next to the hand-written code under livecommerce/, so generated imports
(`from livecommerce.common.v1 import envelope_pb2`) resolve without path fixing.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def proto_files() -> list[Path]:
    return sorted(PROTOS.rglob("*.proto"))


def generate(out_dir: Path) -> None:
    """Runs protoc over every proto into out_dir; raises if protoc reports an error."""
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTOS}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *(str(p) for p in proto_files()),
    ]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed; see the messages above")
    for package_dir in {p.parent for p in out_dir.rglob("*_pb2.py")}:
        # Regular packages, so setuptools and type checkers see the generated modules.
        for parent in [package_dir, *package_dir.parents]:
            if parent == out_dir or out_dir not in parent.parents:
                break
            init = parent / "__init__.py"
            if not init.exists():
                init.write_text("")


def generated_files(root: Path) -> set[Path]:
    return {
        p.relative_to(root)
        for p in (root / "livecommerce").rglob("*")
        if p.name.endswith(GENERATED_SUFFIXES)
    }


def stale_files() -> list[str]:
    """Names every generated file that differs from what protoc produces now."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh)
        expected, actual = generated_files(fresh), generated_files(ROOT)
        stale = sorted(str(p) for p in expected ^ actual)
        stale += sorted(
            str(p) for p in expected & actual if not filecmp.cmp(fresh / p, ROOT / p, shallow=False)
        )
        return stale


def write() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh)
        for old in generated_files(ROOT) - generated_files(fresh):
            (ROOT / old).unlink()
        for rel in sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()):
            target = ROOT / rel
            if target.name == "__init__.py" and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh / rel, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when generated code is stale")
    if parser.parse_args().check:
        stale = stale_files()
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if stale else 0
    write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
