"""The image (Dockerfile) installs the project's runtime dependencies exactly as pinned: the list
comes from pyproject.toml (deploy/image-requirements.py), every install is constrained by
constraints.txt, and constraints.txt pins not only those but everything they pull in; the image
runs as the non-root user the manifests name, from a base pinned to an exact tag, with no build
tools in the final stage. Building needs a container engine (deploy/build-image); these checks
need none."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement

from tests.deploy.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    return {canonical(name): version for name, version in (line.split("==") for line in (ROOT / "constraints.txt").read_text().split())}


def stages() -> list[str]:
    """The Dockerfile's stages, each from its FROM to the next (continuation lines joined)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return ["FROM" + part for part in re.split(r"^FROM", joined, flags=re.MULTILINE)[1:]]


def runtime_requirements() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def test_the_image_requirements_are_pyprojects_runtime_dependencies_and_no_dev_tool():
    printed = subprocess.run([sys.executable, str(ROOT / "deploy" / "image-requirements.py")], capture_output=True, text=True, check=True)
    assert printed.stdout.split() == runtime_requirements()
    names = {canonical(Requirement(line).name) for line in printed.stdout.split()}
    assert not names & {"pytest", "mypy", "ruff", "hypothesis", "mutmut"}


def test_every_pip_install_in_the_image_is_constrained_by_constraints_txt_from_that_list():
    build, final = stages()
    installs = re.findall(r"pip install [^\n&]*", build)
    assert installs, "the build stage installs nothing"
    for install in installs:
        assert "-c constraints.txt" in install, install
        assert "--only-binary=:all:" in install, f"{install}: nothing may be compiled"
    assert "deploy/image-requirements.py > /tmp/requirements.txt" in build and "-r /tmp/requirements.txt" in installs[0]
    assert "COPY pyproject.toml constraints.txt" in build
    assert "python -m livecommerce.codegen" in build, "the protobuf code is generated in the build stage"
    assert "pip install" not in final and "apt-get" not in final, "the final stage copies; it installs nothing"
    assert "COPY --from=build /opt/venv /opt/venv" in final


def test_constraints_pin_every_package_the_image_installs_not_only_the_direct_ones():
    """Walks the installed runtime dependencies' own requirements (this virtualenv was installed
    from the same constraints): a package pip would pull in without a pin fails here."""
    pinned, seen, unpinned = pins(), set(), []
    queue = [Requirement(r) for r in runtime_requirements()]
    while queue:
        requirement = queue.pop()
        name = canonical(requirement.name)
        if name in seen or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        if name not in pinned:
            unpinned.append(name)
        for child in importlib.metadata.requires(requirement.name) or []:
            parsed = Requirement(child)
            if not parsed.marker or parsed.marker.evaluate({"extra": ""}):
                queue.append(parsed)
    assert not unpinned, f"constraints.txt does not pin {unpinned}: the image would install whatever is newest"
    assert {"grpcio", "protobuf", "asyncpg"} <= seen


def test_the_image_is_a_pinned_base_and_runs_as_a_fixed_unprivileged_user():
    build, final = stages()
    bases = re.findall(r"^FROM (\S+)", DOCKERFILE, re.MULTILINE)
    assert len(bases) == 2 and bases[0] == bases[1], "both stages on one base, so the virtualenv runs where it was built"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", bases[0]), "an exact 3.11 slim tag"
    assert build.startswith(f"FROM {bases[0]} AS build")
    user = re.search(r"^USER (\d+):(\d+)$", final, re.MULTILINE)
    assert user and int(user.group(1)) >= 10000, "a numeric UID, so runAsNonRoot can verify it"
    assert f"--uid {user.group(1)}" in final


def test_dockerignore_sends_what_the_dockerfile_copies_and_no_generated_code():
    patterns = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    assert patterns[0] == "*", "deny by default: local state (.venv, .data, keys) never reaches the build"
    copied = [
        source
        for line in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, re.MULTILINE)
        for source in line.split()[:-1]
    ]
    assert copied
    for source in copied:
        assert f"!{source}" in patterns, f".dockerignore keeps {source} out, the Dockerfile copies it"
    assert {"**/*_pb2.py", "**/*_pb2_grpc.py"} <= set(patterns), "generated code is made in the build stage"
