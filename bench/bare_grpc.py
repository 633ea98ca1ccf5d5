"""The floor under the gateway's added latency: a bare Python gRPC echo server and a bare proxy
in front of it (grpc.aio, no TLS, no policy, no audit), each in its own process as the gateway
and the services are. bench_gateway starts them with the suite's `start_process` and measures
what the proxy adds, the same way as the gateway.

    GRPC_PORT=... python -m bench.bare_grpc                       # the echo server
    GRPC_PORT=... UPSTREAM_PORT=... python -m bench.bare_grpc     # the proxy in front of it
"""

from __future__ import annotations

import asyncio
import os

import grpc

SERVICE, METHOD = "bench.Echo", "Echo"
PATH = f"/{SERVICE}/{METHOD}"


async def echo(request: bytes, context) -> bytes:
    return request


async def serve(port: int, upstream_port: int | None) -> None:
    handler = echo
    if upstream_port is not None:
        upstream = grpc.aio.insecure_channel(f"127.0.0.1:{upstream_port}").unary_unary(PATH)

        async def handler(request: bytes, context) -> bytes:
            return await upstream(request, timeout=context.time_remaining())

    server = grpc.aio.server()
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(SERVICE, {METHOD: grpc.unary_unary_rpc_method_handler(handler)})])
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print(f"bare grpc {'proxy' if upstream_port else 'echo'} ready on 127.0.0.1:{port}", flush=True)
    await server.wait_for_termination()


def main() -> None:
    upstream = os.environ.get("UPSTREAM_PORT")
    asyncio.run(serve(int(os.environ["GRPC_PORT"]), int(upstream) if upstream else None))


if __name__ == "__main__":
    main()
