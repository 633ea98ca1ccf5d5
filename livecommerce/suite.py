"""`./dev up`: the whole suite on one machine, for a newcomer's laptop and for demos.

Starts PostgreSQL (archiving its WAL to the pgBackRest repository in `offsite/` unless BACKUP=off)
and NATS in the data directory unless DATABASE_URL / NATS_URL are set, issues
a development CA with service and per-role client certificates, runs every service listed in
`services.py` twice (the replicas the active/standby machinery will choose between) and the
gateway, each on a port kept in the data directory, writes `suite.json` for the CLI and prints
commands to try. A process that dies, the datastores included, is restarted on its port
(`supervisor.py`). Ctrl-C, or `./dev down` for a suite started in the background
(`./dev up --detach`), stops the services and the datastores with them. A suite that died (kill -9)
leaves them running: `./dev down` stops them all the same, and `./dev up` stops its processes
before starting its own on their ports.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import shlex
import signal
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import grpc
from google.protobuf import json_format

from livecommerce.anchor.v1 import agency_pb2, agency_pb2_grpc
from livecommerce.complaint import examples as complaint_examples
from livecommerce.devstack import LocalNats, LocalPostgres, broker_users, ensure_local_stack, nats_server_tls
from livecommerce.devstack.ca import DEMO_TENANTS, ensure_dev_pki
from livecommerce.devstack.ports import read_port, remembered_port
from livecommerce.product import examples
from livecommerce.runtime.backoff import Backoff
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.clock import PLATFORM_TZ
from livecommerce.runtime.identity import ROLES
from livecommerce.runtime.resident_id import check_character
from livecommerce.runtime.settings import DEFAULT_LEASE_TTL_SECONDS
from livecommerce.runtime.tls import TlsFiles
from livecommerce.services import SERVICES, names, replica_env
from livecommerce.supervisor import (
    UP_LINE,
    DatastoreWatch,
    Supervisor,
    claim_pid_file,
    detach,
    down,
    leftover_processes,
    release_pid_file,
    stop_leftovers,
)

ROOT = Path(__file__).resolve().parent.parent
REPLICAS = ("a", "b")
DEMO_CREDIT_CODE = "91350100M000100Y43"  # a well-formed GB 32100 code for the demo agency


def stable_port(data_dir: Path, name: str) -> int:
    """The port `name` had at the last start, so addresses in notes and scripts stay valid."""
    return remembered_port(data_dir / "ports" / f"{name}.port", None)


def stop_orphans(data_dir: Path) -> list[str]:
    """Stops the replicas and the gateway a suite that died on `data_dir` left running (those
    `run/*.pid` names and whose command line proves them ours); what it stopped, as "name (pid N)"."""
    modules = {f"{service.name}-{replica}": service.module for service in SERVICES for replica in REPLICAS}
    modules["gateway"] = "gateway"
    ports = {name: read_port(data_dir / "ports" / f"{name}.port") for name in modules}
    leftovers = leftover_processes(data_dir / "run", modules, ports)
    stop_leftovers(data_dir / "run", leftovers)
    return [f"{name} (pid {pid})" for name, pid in leftovers.items()]


def stop_orphaned_datastores(data_dir: Path) -> list[str]:
    """Stops the PostgreSQL and NATS of `data_dir` (a restore's PostgreSQL excepted); those it stopped."""
    from livecommerce.backup.pause import restore_owner

    stopped = []
    postgres = LocalPostgres(data_dir / "postgres", stop_at_exit=False)
    if postgres.is_running() and restore_owner(data_dir) is None:
        postgres.stop()
        stopped.append(f"PostgreSQL (data {postgres.pgdata})")
    pki_dir = data_dir / "pki"
    if not (pki_dir / "ca.crt").exists():  # no CA, so no NATS of ours ever ran here
        return stopped
    pki = ensure_dev_pki(pki_dir, roles=ROLES, services=names())  # the suite's own, as `up` made it
    nats = LocalNats(data_dir / "nats", tls=nats_server_tls(pki), users=broker_users(names()), stop_at_exit=False)
    pid = nats.server_pid()
    if nats.is_running():
        nats.stop()
        stopped.append(f"NATS (pid {pid})")
    return stopped


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def pii_key(data_dir: Path) -> str:
    """One development key per data dir, kept so restarts can read what earlier runs stored."""
    path = data_dir / "pii.key"
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def example_registration(data_dir: Path) -> Path:
    """A fresh, valid registration request (a new resident ID number each time)."""
    born = date(1980, 1, 1) + timedelta(days=secrets.randbelow(20 * 365))
    body = f"110105{born:%Y%m%d}{secrets.randbelow(1000):03d}"
    request = {
        "request_id": f"demo-{secrets.token_hex(4)}",
        "profile": {
            "identity": {
                "legal_name": "张三",
                "document_type": "IDENTITY_DOCUMENT_TYPE_RESIDENT_ID_CARD",
                "document_number": body + check_character(body),
            },
            "display_name": "小张带货",
            "address": "北京市朝阳区建国路88号",
            "phone": "13812345678",
            "documents": [
                {"kind": "DOCUMENT_KIND_IDENTITY_FRONT", "uri": "s3://kyc/demo/front.jpg", "sha256": "0" * 64}
            ],
        },
    }
    path = data_dir / "examples" / "register-anchor.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(request, ensure_ascii=False, indent=2))
    return path


LICENCE_PLACEHOLDER = "LICENCE_ID"
"""Stands in the product example for the id RecordLicence assigns; the printed command fills it in."""


def _as_json(message) -> dict:
    """A request part as `lc call` reads it: proto field names, enums by name."""
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def example_product(data_dir: Path) -> tuple[Path, Path]:
    """A fresh food business licence (PRD-02) and a rice product relying on it (docs/products.md):
    a new licence number and goods title each time, since a merchant files each licence and each
    goods once."""
    now, tag = datetime.now(PLATFORM_TZ), secrets.token_hex(2)
    licence = {
        "request_id": f"demo-{secrets.token_hex(4)}",
        "licence": _as_json(examples.food_licence(
            number=f"JY{secrets.randbelow(10**14):014d}", valid_from=now - timedelta(days=30), valid_until=now + timedelta(days=5 * 365),
        )),
    }
    product = {
        "request_id": f"demo-{secrets.token_hex(4)}",
        "details": _as_json(examples.rice(
            licence_ids=[LICENCE_PLACEHOLDER], expiry_date=now.date() + timedelta(days=300), title=f"{examples.RICE_TITLE} 演示{tag}",
        )),
    }
    paths = data_dir / "examples" / "record-licence.json", data_dir / "examples" / "submit-product.json"
    for path, request in zip(paths, (licence, product)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(request, ensure_ascii=False, indent=2))
    return paths


def example_complaint(data_dir: Path) -> Path:
    """A phone complaint as service staff file it (docs/complaints.md), a new request id each time."""
    path = data_dir / "examples" / "file-complaint.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_as_json(complaint_examples.phone_complaint(request_id=f"demo-{secrets.token_hex(4)}")), ensure_ascii=False, indent=2))
    return path


async def seed_demo_agency(gateway: str, pki_dir: Path) -> None:
    """The demo agency the agency certificate acts for, registered by the platform admin through
    the gateway (anchors name a registered agency). Its request id never changes, so a restart's
    registration answers with the agency already there; a data dir seeded before request ids
    were required holds it without one, and is refused ALREADY_EXISTS."""
    admin = pki_dir / "clients" / "platform_admin"
    tls = TlsFiles(cert=admin.with_suffix(".crt"), key=admin.with_suffix(".key"), ca=pki_dir / "ca.crt")
    request = agency_pb2.RegisterAgencyRequest(
        request_id="demo-agency", agency_id=DEMO_TENANTS["agency"], legal_name="演示直播营销服务有限公司", credit_code=DEMO_CREDIT_CODE,
        contact_email="compliance@agency.example",
    )
    async with secure_channel(gateway, tls) as channel:
        try:
            await agency_pb2_grpc.AgencyServiceStub(channel).RegisterAgency(request, timeout=10)
        except grpc.aio.AioRpcError as error:
            if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise


def how_to_call(data_dir: Path) -> str:
    cli = f"{shlex.quote(sys.executable)} -m livecommerce.cli"
    data = f"--data-dir {shlex.quote(str(data_dir))}"
    example = example_registration(data_dir)
    licence, product = example_product(data_dir)
    complaint = example_complaint(data_dir)
    return (
        "Register an anchor (as agency ag-demo) and read it back (as a compliance officer), through the gateway:\n\n"
        f"  ID=$({cli} call anchor RegisterAnchor @{shlex.quote(str(example))} --role agency"
        f" --field anchor.anchor_id {data}) && echo \"registered $ID\" &&"
        f" {cli} call anchor GetAnchor \"{{\\\"anchor_id\\\": \\\"$ID\\\"}}\" --role compliance_officer {data}\n\n"
        "Submit a product (as merchant m-demo): file its food business licence, then the product relying on it;"
        " a compliance officer reviews it next (docs/products.md):\n\n"
        f"  LIC=$({cli} call product RecordLicence @{shlex.quote(str(licence))} --role merchant --field licence.licence_id {data})"
        f" && echo \"licence $LIC\" && {cli} call product SubmitProduct"
        f" \"$(sed \"s/{LICENCE_PLACEHOLDER}/$LIC/\" {shlex.quote(str(product))})\" --role merchant {data}\n\n"
        "File a complaint by phone (as service staff) and acknowledge it; the workflow, whistle-blowers and incidents"
        " are in docs/complaints.md:\n\n"
        f"  CID=$({cli} call complaint FileComplaint @{shlex.quote(str(complaint))} --role customer_service"
        f" --field complaint.complaint_id {data}) && echo \"complaint $CID\" && {cli} call complaint AdvanceComplaint"
        f" \"{{\\\"request_id\\\": \\\"ack-$CID\\\", \\\"complaint_id\\\": \\\"$CID\\\", \\\"to\\\": \\\"COMPLAINT_STATUS_ACKNOWLEDGED\\\"}}\""
        f" --role customer_service {data}\n\n"
        f"Check the audit chain: {shlex.quote(sys.executable)} -m gateway.audit verify {shlex.quote(str(data_dir / 'gateway' / 'audit.log'))}\n"
    )


def up(data_dir: Path) -> int:
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_dir = data_dir / "logs"
    log_dir.mkdir(exist_ok=True)
    claim_pid_file(data_dir)
    stopped = stop_orphans(data_dir)
    if stopped:
        print(f"a suite that died on {data_dir} left running: {', '.join(stopped)}; stopped them", flush=True)
    # SIGTERM (`./dev down`) ends the suite as Ctrl-C does, at any moment, start-up included.
    signal.signal(signal.SIGTERM, _interrupt)
    # The start command is an entry point: it reads the environment and hands settings on as env.
    database_url, nats_url = os.environ.get("DATABASE_URL"), os.environ.get("NATS_URL")
    stack = None
    supervisor = Supervisor(log_dir, data_dir / "run")
    datastores = DatastoreWatch(data_dir, {})  # none of its own when DATABASE_URL and NATS_URL are given
    try:
        # the CA first: the local NATS requires certificates from it
        pki_dir = data_dir / "pki"
        pki = ensure_dev_pki(pki_dir, roles=ROLES, services=names())
        if not (database_url and nats_url):
            archiving = None
            if os.environ.get("BACKUP", "on") != "off":
                # PLT-03: WAL archiving to the encrypted repository in <data dir>/offsite (fetching
                # pgBackRest on first use), the stanza created at the first start; BACKUP=off skips it
                from livecommerce.backup.site import BackupSite

                archiving = BackupSite(data_dir).enable()
                print(f"backup: WAL archived to {data_dir / 'offsite'} (pgBackRest, aes-256-cbc); `lc backup` takes one", flush=True)
            stack = ensure_local_stack(data_dir, pki, broker_users(names()))  # the services alone
            database_url, nats_url = stack.database_url, stack.nats_url
            # a restart goes through the archiving server: its start writes the archive settings
            datastores = DatastoreWatch(data_dir, {"PostgreSQL": archiving or stack.postgres, "NATS": stack.nats})
        base_env = {**os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url, "PII_KEY": pii_key(data_dir)}
        addresses: dict[str, list[str]] = {}
        metrics: dict[str, str] = {}
        """Each process's ops port (issue 17): /metrics, /livez, /readyz, kept across restarts."""

        def ops_env(name: str, env: dict[str, str]) -> dict[str, str]:
            port = stable_port(data_dir, f"{name}-metrics")
            metrics[name] = f"http://127.0.0.1:{port}/metrics"
            return {**env, "METRICS_PORT": str(port)}

        # A killed replica comes back (with its replica id) only after its lease expired, so the
        # standby takes over as in a real failover instead of the newcomer resuming the old lease.
        lease_ttl = float(os.environ.get("LEASE_TTL_SECONDS", DEFAULT_LEASE_TTL_SECONDS))
        for service in SERVICES:  # livecommerce/services.py: one entry per deployed service
            env = replica_env(service.name, pki, base_env)
            for replica in REPLICAS:
                name = f"{service.name}-{replica}"
                child = supervisor.start(
                    name, service.module, ops_env(name, env), port=stable_port(data_dir, name),
                    backoff=Backoff(initial=2 * lease_ttl, maximum=30.0),
                )
                addresses.setdefault(service.name, []).append(f"127.0.0.1:{child.port}")
        for name in list(supervisor.children):
            supervisor.wait_ready(name)
        gateway_tls = pki["servers"]["gateway"]
        gateway_env = {
            **os.environ,
            "GATEWAY_UPSTREAMS": ",".join(f"{service}={'|'.join(targets)}" for service, targets in addresses.items()),
            "TLS_CERT_FILE": str(gateway_tls["cert"]),
            "TLS_KEY_FILE": str(gateway_tls["key"]),
            "TLS_CA_FILE": str(pki["ca_cert"]),
            "CRL_FILE": str(pki["crl"]),
            "AUDIT_FILE": str(data_dir / "gateway" / "audit.log"),
        }
        gateway_port = supervisor.start("gateway", "gateway", ops_env("gateway", gateway_env), port=stable_port(data_dir, "gateway")).port
        supervisor.wait_ready("gateway")
        state = {
            "gateway": f"127.0.0.1:{gateway_port}",
            "services": addresses,
            "metrics": metrics,
            "pki_dir": str(pki_dir),
            "database_url": database_url,
            "nats_url": nats_url,
        }
        (data_dir / "suite.json").write_text(json.dumps(state, indent=2))
        asyncio.run(seed_demo_agency(f"127.0.0.1:{gateway_port}", pki_dir))
        print(f"livecommerce is up. Data and logs: {data_dir}")
        print(f"  gateway: 127.0.0.1:{gateway_port} (mutual TLS; audit log {data_dir / 'gateway' / 'audit.log'})")
        for name, targets in addresses.items():
            print(f"  {name}: {', '.join(targets)} (mutual TLS; CA {pki['ca_cert']})")
        print("  metrics (Prometheus text; /livez and /readyz beside it; only the active replica is ready):")
        for name, url in metrics.items():
            print(f"    {name}: {url}")
        print(f"  PostgreSQL: {database_url}\n  NATS: {nats_url}\n")
        print(how_to_call(data_dir))
        print(f"A replica, the gateway or a datastore that dies is restarted on its port (process ids: {data_dir / 'run'}).")
        print(UP_LINE, flush=True)
        while True:
            supervisor.check()
            datastores.check()
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second `down` must not cut the clean-up short
        supervisor.stop()
        if stack is not None:
            stack.stop()
        release_pid_file(data_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start the suite")
    up_parser.add_argument("--data-dir", type=Path, default=ROOT / ".data")
    up_parser.add_argument("--detach", action="store_true", help="run in the background; `./dev down` stops it")
    down_parser = commands.add_parser("down", help="stop a suite running in the background")
    down_parser.add_argument("--data-dir", type=Path, default=ROOT / ".data")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    if args.command == "down":
        return down(data_dir, clean_up=lambda: stop_orphans(data_dir) + stop_orphaned_datastores(data_dir))
    return detach(data_dir) if args.detach else up(data_dir)


if __name__ == "__main__":
    raise SystemExit(main())
