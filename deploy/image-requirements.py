"""Prints the image's requirements: pyproject.toml's runtime dependencies (never the dev or
mutation extras), one a line, for `pip install -c constraints.txt -r -` in the Dockerfile.

It refuses (exit 1) when constraints.txt pins none of them exactly: the image must install what the
virtualenv of `./dev setup` and CI test, not whatever is newest on the day of the build.
Standard library only: it runs in the build stage before anything is installed."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not found:
        raise ValueError(f"not a requirement: {requirement!r}")
    return canonical(found.group(1))


def runtime_requirements(root: Path = ROOT) -> list[str]:
    with (root / "pyproject.toml").open("rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def pins(root: Path = ROOT) -> dict[str, str]:
    """constraints.txt as {canonical name: exact version}."""
    found: dict[str, str] = {}
    for line in (root / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[canonical(name)] = version.strip()
    return found


def main() -> int:
    requirements, pinned = runtime_requirements(), pins()
    unpinned = [r for r in requirements if requirement_name(r) not in pinned]
    if unpinned:
        print(f"constraints.txt pins none of: {', '.join(unpinned)}", file=sys.stderr)
        return 1
    print("\n".join(requirements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
