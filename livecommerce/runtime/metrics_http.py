"""The ops port (issue 17): plaintext HTTP beside the gRPC port, for Prometheus and Kubernetes probes.

- `/metrics`: the process's registry in Prometheus' text format, after the scrape-time refreshers ran;
- `/livez`: 200 whenever the event loop answers: a wedged loop (a blocking call, a deadlock) does
  not answer, so the probe times out and the kubelet restarts the process. It says nothing about
  leadership: a healthy standby is alive;
- `/readyz`: 200 only while the process serves (a service: the active replica, the same truth as its
  gRPC health; 503 on a standby and while draining), so Kubernetes routes only to the active pod.

It is served from the event loop (asyncio.start_server), not from prometheus_client's own thread:
a thread would answer `/livez` while the loop is wedged, which is the one thing liveness must
catch; and the scrape-time queries (outbox backlog, consumer info) use the loop's asyncpg pool
and NATS connection, which belong to the loop. A scrape costs the loop well under a millisecond
beside those queries, at Prometheus' pace (every 15-30 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST

from livecommerce.runtime.metrics import Metrics

log = logging.getLogger(__name__)

READ_REQUEST_SECONDS = 5.0


@dataclass
class OpsServer:
    server: asyncio.Server
    port: int

    async def stop(self) -> None:
        self.server.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2):
                await self.server.wait_closed()


async def start_ops_server(metrics: Metrics, *, ready: Callable[[], bool], host: str, port: int) -> OpsServer:
    """`ready()` says whether this process serves now (a service: its lease and gRPC health)."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(READ_REQUEST_SECONDS):
                request_line = await reader.readline()
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # headers: nothing here depends on them
            parts = request_line.decode("latin-1").split()
            method, path = (parts[0], parts[1].split("?", 1)[0]) if len(parts) >= 2 else ("", "")
            if method not in ("GET", "HEAD"):
                status, body, content_type = "405 Method Not Allowed", b"GET only\n", "text/plain"
            elif path == "/metrics":
                await metrics.refresh()
                status, body, content_type = "200 OK", metrics.exposition(), CONTENT_TYPE_LATEST
            elif path == "/livez":
                status, body, content_type = "200 OK", b"alive\n", "text/plain"
            elif path == "/readyz":
                serving = ready()
                status = "200 OK" if serving else "503 Service Unavailable"
                body, content_type = (b"serving\n" if serving else b"not serving (standby or draining)\n"), "text/plain"
            else:
                status, body, content_type = "404 Not Found", b"/metrics, /livez, /readyz\n", "text/plain"
            head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            writer.write(head.encode("latin-1") + (b"" if method == "HEAD" else body))
            await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeDecodeError):
            pass  # a client that sends nothing useful gets nothing
        except Exception:
            log.exception("ops port: answering a request failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(answer, host, port, reuse_address=True)
    bound = server.sockets[0].getsockname()[1]
    log.info("ops port (metrics, livez, readyz) listening", extra={"address": f"http://{host}:{bound}/metrics"})
    return OpsServer(server=server, port=bound)
