"""`lc`: call any livecommerce RPC from a terminal with JSON in and JSON out.

    python -m livecommerce.cli call anchor RegisterAnchor @request.json --role agency
    python -m livecommerce.cli call anchor GetAnchor '{"anchor_id": "..."}' --role compliance_officer

The target service's address and the certificates come from the running suite's state file
(`<data dir>/suite.json`, written by `./dev up`); `--target` and `--cert-dir` override them.
Who you are is the certificate you present (`<cert dir>/clients/<role>.crt`): its role, tenant
and principal are what the service sees. SRE commands read the database (`--database-url`, else
the suite's): `status` (leaders, outbox backlog, stuck rows, dead letters), `switchover`,
`lease-history`, `dead-letters [replay]`, and the offsite backup: `backup [full|diff]`, `backups`,
`restore --to TIME|latest`, `replay --since TIME`; `issue-cert` and `revoke` work on the development CA.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import MethodDescriptor

from livecommerce.runtime import contracts
from livecommerce.runtime.client import secure_channel
from livecommerce.runtime.tls import TlsFiles

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / ".data"


def find_method(service: str, method: str) -> MethodDescriptor:
    """`anchor RegisterAnchor`, `patrol CheckChunk` or a full
    `livecommerce.anchor.v1.AnchorService RegisterAnchor`. A short name is a service's package
    (`product` finds ProductService and ProhibitedGoodsService) or a service's own name (`patrol`
    finds livecommerce.session.v1.PatrolService); the one of them that has the method is meant."""
    declared = list(contracts.services())
    if "." in service:
        candidates = [s for s in declared if s.full_name == service]
    else:
        short = service.lower()
        candidates = [s for s in declared if s.full_name.startswith(f"livecommerce.{short}.v1.") or s.name.lower() == f"{short}service"]
    found = [s.methods_by_name[method] for s in candidates if method in s.methods_by_name]
    if len(found) != 1:
        names = ", ".join(sorted(s.full_name for s in candidates)) or "no service"
        raise SystemExit(f"unknown method {service} {method} (looked in {names})")
    return found[0]


def _request_json(text: str) -> str:
    return Path(text[1:]).read_text() if text.startswith("@") else text


async def call(args: argparse.Namespace) -> int:
    method = find_method(args.service, args.method)
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    request = json_format.Parse(_request_json(args.request), request_class())
    state = _suite_state(args.data_dir)
    # Through the gateway when the suite runs one; straight to the service otherwise.
    owner = method.containing_service.full_name.split(".")[1]  # the service process serving it: "session" for PatrolService
    target = args.target or state.get("gateway") or state.get("services", {}).get(owner, [None])[0]
    if not target:
        raise SystemExit(f"no address for {owner}: start the suite (./dev up) or pass --target")
    cert_dir = args.cert_dir or Path(state.get("pki_dir", args.data_dir / "pki"))
    client = cert_dir / "clients" / args.role
    tls = TlsFiles(cert=client.with_suffix(".crt"), key=client.with_suffix(".key"), ca=cert_dir / "ca.crt")
    path = f"/{method.containing_service.full_name}/{method.name}"
    async with secure_channel(target, tls) as channel:
        if method.server_streaming or method.client_streaming:
            return await _stream(channel, path, method, request, request_class, response_class, args)
        rpc = channel.unary_unary(path, request_serializer=request_class.SerializeToString, response_deserializer=response_class.FromString)
        try:
            response = await rpc(request, timeout=args.timeout)
        except grpc.aio.AioRpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
            return 1
    _print(response, args.field)
    return 0


def _print(response, field: str, *, one_line: bool = False) -> None:
    document = json_format.MessageToDict(response, preserving_proto_field_name=True)
    if field:
        for part in field.split("."):
            document = document.get(part, "") if isinstance(document, dict) else ""
    if field and not isinstance(document, (dict, list)):
        print(document, flush=True)  # a scalar as is, ready for a shell variable
    else:
        print(json.dumps(document, ensure_ascii=False, indent=None if one_line else 2), flush=True)


async def _stream(channel, path: str, method: MethodDescriptor, request, request_class, response_class, args: argparse.Namespace) -> int:
    """A streaming RPC: the request is sent once (a client stream of one message) and every response
    is printed on its own line as it arrives, until the server ends the stream or --timeout passes
    (WatchRoom never ends by itself: the timeout, or Ctrl-C, ends watching, and is no error)."""
    kinds = {"request_serializer": request_class.SerializeToString, "response_deserializer": response_class.FromString}
    if method.client_streaming:
        call = channel.stream_stream(path, **kinds)(iter([request]), timeout=args.timeout)
    else:
        call = channel.unary_stream(path, **kinds)(request, timeout=args.timeout)
    try:
        async for response in call:
            _print(response, args.field, one_line=True)
    except grpc.aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.DEADLINE_EXCEEDED and method.server_streaming and not method.client_streaming:
            return 0
        print(f"{error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    return 0


def revoke(args: argparse.Namespace) -> int:
    """Development CA only: adds serials to the revocation list the gateway re-reads."""
    from livecommerce.devstack.ca import CertificateAuthority
    from livecommerce.runtime.certificates import load_certificate

    pki_dir = args.cert_dir or args.data_dir / "pki"
    listed = pki_dir / "revoked.json"
    serials = set(json.loads(listed.read_text())) if listed.exists() else set()
    asked: dict[int, str] = {}  # serial -> subject ("" when given as a bare serial number)
    for item in args.certificates:
        if item.isdigit():
            asked.setdefault(int(item), "")
        else:
            certificate = load_certificate(Path(item).read_bytes())
            asked[certificate.serial_number] = certificate.subject.rfc4514_string()
    ca = CertificateAuthority.load(pki_dir)
    revoked = sorted(serials | set(asked))
    (pki_dir / "crl.pem").write_bytes(ca.revocation_list(revoked, next_update_days=365))
    listed.write_text(json.dumps(revoked))
    for serial, subject in asked.items():
        said = f"serial {serial}" + (f" ({subject})" if subject else "")
        print(f"{'already revoked' if serial in serials else 'revoked'}: {said}")
    print(f"the CRL now lists {len(revoked)} certificate(s); the gateway applies {pki_dir / 'crl.pem'} within half a second")
    return 0


def _suite_state(data_dir: Path) -> dict:
    path = data_dir / "suite.json"
    return json.loads(path.read_text()) if path.exists() else {}


_READS = {
    "status": "the lease and outbox tables",
    "switchover": "the lease table",
    "lease-history": "the lease history",
    "dead-letters": "the dead-letter tables",
    "replay": "every service's outbox",
}
"""What each SRE command reads in the database: named when it cannot be reached."""


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    query = "&".join(item for item in parts.query.split("&") if not item.lower().startswith("password="))
    netloc = parts.netloc if parts.password is None else f"{parts.username or ''}@{parts.netloc.rsplit('@', 1)[-1]}"
    return urlunsplit(parts._replace(netloc=netloc, query=query))


async def open_database(url: str, command: str):
    """The one place `lc` connects to PostgreSQL: a server down, starting up or refusing us ends
    the command with one line naming the URL (no password) and why, not a traceback."""
    import asyncpg

    try:
        return await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error) or type(error).__name__
        reads = f" (lc {command} reads {_READS[command]})" if command in _READS else ""
        if isinstance(error, (OSError, asyncpg.CannotConnectNowError)):  # down, starting up, shutting down
            said = f"database unreachable at {_without_password(url)}: {reason}; is PostgreSQL up?{reads}"
        else:  # up, but refusing us: a wrong password, no such database or role
            said = f"database at {_without_password(url)} refused the connection: {reason}{reads}"
        print(said, file=sys.stderr)
        raise SystemExit(1) from None


async def _connect(args: argparse.Namespace):
    """The database named by --database-url, else the running suite's; and the state file."""
    state = _suite_state(args.data_dir)
    database_url = args.database_url or state.get("database_url")
    if not database_url:
        raise SystemExit("no database: start the suite (./dev up) or pass --database-url")
    return await open_database(database_url, args.command), state


async def _service_schemas(conn, wanted: str | None) -> list[str]:
    """The services found in that database (schemas with a lease table), not in a state file,
    which may describe another deployment."""
    found = [r["table_schema"] for r in await conn.fetch(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'leadership' ORDER BY 1"
    )]  # fmt: skip
    if wanted is not None and wanted not in found:
        raise SystemExit(f"no service {wanted!r} in that database (found: {', '.join(found) or 'none'})")
    return [wanted] if wanted else found


async def leadership_command(args: argparse.Namespace) -> int:
    """SRE view of active/standby (PLT-03) and of the event path: status, planned switchover, lease history."""
    from livecommerce.runtime import dead_letters, leadership, outbox
    from livecommerce.runtime.db import quote_identifier

    conn, state = await _connect(args)
    try:
        for service in await _service_schemas(conn, getattr(args, "service", None)):
            await conn.execute(f"SET search_path TO {quote_identifier(service)}")
            if args.command == "status":
                lease = await leadership.status(conn)
                replicas = ", ".join(state.get("services", {}).get(service, [])) or "?"
                if lease is None:
                    print(f"{service:10} no lease yet              replicas: {replicas}")
                else:
                    health = _lease_health(lease)
                    print(
                        f"{service:10} {health:8} {lease['holder']:14} epoch {lease['epoch']:<4}"
                        f" held since {lease['acquired_at']:%Y-%m-%d %H:%M:%S}, renewed {lease['renewed_seconds_ago']:.1f}s ago"
                        f"   replicas: {replicas}"
                    )
                unsent, stuck = await outbox.backlog(conn)
                print(
                    f"{'':10} outbox backlog {unsent}, stuck {stuck} (refused > {outbox.STUCK_AFTER_ATTEMPTS} times);"
                    f" dead letters {await dead_letters.count_open(conn)}"
                )
            elif args.command == "switchover":
                stepped = await leadership.request_switchover(conn, hold_off_seconds=args.hold_off)
                print(f"{service}: {stepped or 'nobody'} steps down; a standby takes over within one renew period")
            else:
                for entry in await leadership.history(conn, limit=args.limit):
                    print(f"{service:10} epoch {entry['epoch']:<4} {entry['holder']:14} since {entry['acquired_at']:%Y-%m-%d %H:%M:%S.%f}")
    finally:
        await conn.close()
    return 0


def _lease_health(lease: dict) -> str:
    """ACTIVE; EXPIRED while a standby may still take over (within two lease TTLs); past that,
    nobody is renewing it: every replica down or paused."""
    if lease["live"]:
        return "ACTIVE"
    ttl = (lease["expires_at"] - lease["renewed_at"]).total_seconds()  # the TTL its holder renewed it for
    expired_for = float(lease["renewed_seconds_ago"]) - ttl
    if expired_for > 2 * ttl:
        return f"EXPIRED for {expired_for:.0f}s: no replica is renewing (all down or paused?)"
    return "EXPIRED (failover in progress)"


async def dead_letters_command(args: argparse.Namespace) -> int:
    """Lists consumers' dead letters, or asks the active replica's consumer to replay them."""
    from livecommerce.runtime import dead_letters
    from livecommerce.runtime.db import quote_identifier

    if args.action == "replay" and not (args.service and (args.ids or args.consumer)):
        raise SystemExit("replay needs --service and dead-letter ids or --consumer")
    conn, _ = await _connect(args)
    try:
        for service in await _service_schemas(conn, args.service):
            await conn.execute(f"SET search_path TO {quote_identifier(service)}")
            if args.action == "replay":
                queued = await dead_letters.request_replay(conn, ids=args.ids, consumer=args.consumer)
                print(f"{service}: {queued} dead letter(s) queued; the active replica's consumer replays them when idle")
                continue
            letters = await dead_letters.list_open(conn, consumer=args.consumer, include_replayed=args.all)
            if not letters:
                which = f" of consumer {args.consumer}" if args.consumer else ""
                print(f"{service:10} no {'' if args.all else 'open '}dead letters{which}")
            for letter in letters:
                state = f"replayed {letter.replayed_at:%Y-%m-%d %H:%M:%S}" if letter.replayed_at else (
                    "replay queued" if letter.replay_requested_at else "open")  # fmt: skip
                print(
                    f"{service:10} #{letter.id:<5} {letter.consumer:22} {str(letter.event_id or 'undecodable'):36} {letter.subject}"
                    f"  deliveries {letter.deliveries}, first {letter.first_seen:%Y-%m-%d %H:%M:%S},"
                    f" last {letter.last_seen:%Y-%m-%d %H:%M:%S}, {state}\n{'':17}{letter.last_error}"
                )
    finally:
        await conn.close()
    return 0


def issue_cert(args: argparse.Namespace) -> int:
    """Development CA only: a client certificate whose URI SAN carries role and tenant, CN the principal."""
    from livecommerce.devstack.ca import CertificateAuthority

    pki_dir = args.cert_dir or args.data_dir / "pki"
    ca = CertificateAuthority.load(pki_dir)
    issued = ca.issue_client(args.role, args.tenant or None, principal=args.principal, valid_days=args.days)
    stem = args.name or "-".join(part for part in (args.role, args.tenant or args.principal) if part)
    cert_path, key_path = issued.write(args.out or pki_dir / "clients", stem)
    print(f"issued {cert_path} and {key_path} (serial {issued.serial}); revoke with: lc revoke {cert_path}")
    return 0


def backup_command(args: argparse.Namespace) -> int:
    """The offsite backup (PLT-03): backup, backups, restore, replay (livecommerce/backup/site.py)."""
    import time

    from livecommerce.backup.repository import BackupError
    from livecommerce.backup.site import BackupSite, parse_time

    site = BackupSite(args.data_dir)
    try:
        if args.command == "replay":
            connect = functools.partial(open_database, command="replay")
            counts = asyncio.run(site.replay(parse_time(args.since), args.database_url or None, connect=connect))
            for schema, count in counts.items():
                print(f"{schema:10} {count} event(s) marked for re-publishing; consumers drop what they already applied")
            return 0
        if not site.configured:
            raise BackupError(f"no backup configured in {site.data_dir} (./dev up configures it; see docs/operations.md)")
        if args.command == "backup":
            print(f"taking a {args.type} backup into {site.repo_path} ...", flush=True)
            began = time.monotonic()
            made = site.backup(args.type)
            print(f"backup {made.label} ({made.kind}): database {_mb(made.size)}, stored {_mb(made.stored)}"
                  f" (compressed, encrypted), {time.monotonic() - began:.1f} s")
        elif args.command == "backups":
            found = site.backups(verify=not args.no_verify)
            for item in found:
                print(f"{item.label:20} {item.kind:5} {item.started:%Y-%m-%d %H:%M:%S}Z .. {item.stopped:%H:%M:%S}Z"
                      f"  database {_mb(item.size)}, stored {_mb(item.stored)}")
            oldest = f"{found[0].restorable_from.isoformat()}" if found else "none (no backup yet: take one with `lc backup`)"
            checked = "checksums not verified (--no-verify)" if args.no_verify else "every file's checksum verified"
            print(f"oldest restorable point: {oldest}; {checked}")
        else:
            done = site.restore(args.to, progress=lambda line: print(line, flush=True))
            restored = done.last_transaction.isoformat() if done.last_transaction else "unknown"
            rpo = f"{(datetime.now(UTC) - done.last_transaction).total_seconds():.1f} s" if done.last_transaction else "unknown"
            print(f"restored to {done.target}: last transaction {restored}; RPO {rpo} (now - last restored transaction);"
                  f" RTO {done.rto_seconds:.1f} s (restore start - database serving)")
            if done.kept_aside:
                print(f"the replaced data directory is kept in {done.kept_aside} (delete it once satisfied)")
            since = (done.last_transaction - timedelta(minutes=5)).isoformat() if done.last_transaction else "<the restore point - 5 min>"
            print(f"next: `lc backup full` (a new timeline begins), and `lc replay --since {since}` (docs/operations.md)")
    except BackupError as error:
        print(error, file=sys.stderr)  # each message says itself what was refused and why
        return 1
    return 0


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--database-url", default="", help="this database instead of the running suite's")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lc", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    call_parser = commands.add_parser("call", help="call one RPC")
    call_parser.add_argument("service", help='short name ("anchor") or full service name')
    call_parser.add_argument("method", help="RPC name, e.g. RegisterAnchor")
    call_parser.add_argument("request", nargs="?", default="{}", help="request as JSON, or @file")
    call_parser.add_argument("--role", required=True, help="the role whose development certificate to use")
    call_parser.add_argument("--target", default="", help="host:port (default: from the suite state file)")
    call_parser.add_argument("--cert-dir", type=Path, default=None)
    call_parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    call_parser.add_argument("--field", default="", help="print only this dotted field of the response")
    call_parser.add_argument("--timeout", type=float, default=10.0, help="seconds; a streaming call (WatchRoom) is watched this long")
    revoke_parser = commands.add_parser("revoke", help="revoke certificates of the development CA")
    revoke_parser.add_argument("certificates", nargs="+", help="certificate files or serial numbers")
    revoke_parser.add_argument("--cert-dir", type=Path, default=None)
    revoke_parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    for name, text in (("status", "per service: active replica, outbox backlog, stuck rows, dead letters"), ("switchover", "planned hand-over to a standby"), ("lease-history", "who led when")):
        sub = commands.add_parser(name, help=text)
        if name != "status":
            sub.add_argument("service", nargs="?" if name == "lease-history" else None)
        _database_options(sub)
        sub.add_argument("--hold-off", type=float, default=10.0, help="seconds the old leader stays out (switchover)")
        sub.add_argument("--limit", type=int, default=20)
    letters = commands.add_parser("dead-letters", help="list consumers' dead letters, or replay them")
    letters.add_argument("action", nargs="?", choices=("list", "replay"), default="list")
    letters.add_argument("ids", nargs="*", type=int, help="dead letters to replay (or --consumer for all of one consumer)")
    letters.add_argument("--service", default=None)
    letters.add_argument("--consumer", default=None)
    letters.add_argument("--all", action="store_true", help="list replayed ones too")
    _database_options(letters)
    issue = commands.add_parser("issue-cert", help="issue a client certificate from the development CA")
    issue.add_argument("role")
    issue.add_argument("--tenant", default="", help="the merchant, agency or anchor the caller acts for")
    issue.add_argument("--principal", required=True, help="who the caller is (the certificate's CN)")
    issue.add_argument("--days", type=int, default=365)
    issue.add_argument("--name", default="", help="file stem (default <role>-<tenant or principal>)")
    issue.add_argument("--out", type=Path, default=None, help="directory (default <cert dir>/clients)")
    issue.add_argument("--cert-dir", type=Path, default=None)
    issue.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    made = commands.add_parser("backup", help="take a backup into the offsite repository")
    made.add_argument("type", nargs="?", choices=("full", "diff"), default="full")
    listing = commands.add_parser("backups", help="the backups in the repository and the oldest restorable point (verified)")
    listing.add_argument("--no-verify", action="store_true", help="skip reading back every file's checksum")
    restoring = commands.add_parser("restore", help="restore the site into a fresh data directory and swap it in")
    restoring.add_argument("--to", required=True, help="latest, or a time (ISO 8601; UTC when no zone)")
    replaying = commands.add_parser("replay", help="re-publish every service's outbox events since a time")
    replaying.add_argument("--since", required=True, help="a time (ISO 8601; UTC when no zone)")
    for sub in (made, listing, restoring, replaying):
        _database_options(sub)
    args = parser.parse_args(argv)
    if args.command in ("backup", "backups", "restore", "replay"):
        return backup_command(args)
    if args.command == "revoke":
        return revoke(args)
    if args.command == "issue-cert":
        return issue_cert(args)
    if args.command == "dead-letters":
        return asyncio.run(dead_letters_command(args))
    if args.command in ("status", "switchover", "lease-history"):
        return asyncio.run(leadership_command(args))
    return asyncio.run(call(args))


if __name__ == "__main__":
    # `lc status | head -1`: a closed pipe ends the command quietly, as it would any Unix tool.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    raise SystemExit(main())
