# syntax=docker/dockerfile:1
# The livecommerce image: every service and the gateway, one image; the Kubernetes manifests
# choose what a container runs (`python -m services.anchor`, `python -m gateway`, ...).
# Build with `deploy/build-image` (docs/operations.md, "The image").
#
# Two stages: the build stage resolves the pinned dependencies into a virtualenv and generates the
# protobuf code; the final stage copies only the virtualenv and the source, so no build tool
# (protoc, pip's build backends, a compiler) is left in the image that runs.

# Both stages: one exact tag, never a floating one (3.11 = pyproject's requires-python and CI's
# interpreter); tests/deploy/test_image.py keeps the two FROM lines equal. To pin the digest too,
# append @sha256:<digest> to both once your registry mirror has resolved it.
FROM python:3.11.14-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies before the source: this layer is rebuilt only when the pins change.
# deploy/image-requirements.py lists pyproject.toml's runtime dependencies (not the dev extras);
# constraints.txt pins every one of them and everything they pull in (tests/deploy/ checks
# both). Wheels only: nothing is compiled, so no compiler is needed in either stage.
COPY pyproject.toml constraints.txt ./
COPY deploy/image-requirements.py deploy/
RUN python deploy/image-requirements.py > /tmp/requirements.txt \
 && pip install --only-binary=:all: -c constraints.txt -r /tmp/requirements.txt
COPY protos/ protos/
COPY livecommerce/ livecommerce/
COPY services/ services/
COPY gateway/ gateway/
# The generated protobuf/gRPC modules are made here from protos/ (.dockerignore keeps the
# committed copies out, so the image never carries code generated from other protos).
RUN python -m livecommerce.codegen \
 && python -m compileall -q livecommerce services gateway

FROM python:3.11.14-slim-bookworm
# A fixed, unprivileged UID/GID (10001) that the manifests' securityContext names (runAsUser).
RUN groupadd --system --gid 10001 livecommerce \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin livecommerce
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/livecommerce /app/livecommerce
COPY --from=build /src/services /app/services
COPY --from=build /src/gateway /app/gateway
# Read-only root filesystem on Kubernetes: no byte-code writes at run time (compiled above), and
# Python's output unbuffered so that JSON log lines leave at once.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
USER 10001:10001
EXPOSE 50051 8443 9464
# No HEALTHCHECK: Kubernetes ignores it and probes /livez and /readyz on the metrics port
# (deploy/k8s); the checkov scan in tests/deploy reads this skip:
# checkov:skip=CKV_DOCKER_2: Kubernetes probes the metrics port; a HEALTHCHECK would be ignored there
CMD ["python", "-m", "gateway"]
