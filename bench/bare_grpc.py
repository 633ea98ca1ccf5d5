"""The floor under the gateway's added latency: a bare Python gRPC echo server and a bare proxy
in front of it (grpc.aio, no TLS, no policy, no audit), each in its own process as the gateway
and the services are. bench_gateway measures what the proxy adds, the same way as the gateway.

    python -m bench.bare_grpc echo PORT
    python -m bench.bare_grpc proxy PORT UPSTREAM_PORT
"""

from __future__ import annotations

import asyncio
import sys

import grpc

SERVICE, METHOD = "bench.Echo", "Echo"
PATH = f"/{SERVICE}/{METHOD}"


async def serve(port: int, handler) -> None:
    server = grpc.aio.server()
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(SERVICE, {METHOD: grpc.unary_unary_rpc_method_handler(handler)})])
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print("ready", flush=True)
    await server.wait_for_termination()


async def echo(request: bytes, context) -> bytes:
    return request


async def proxy(port: int, upstream_port: int) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{upstream_port}") as channel:
        upstream = channel.unary_unary(PATH)

        async def forward(request: bytes, context) -> bytes:
            return await upstream(request, timeout=context.time_remaining())

        await serve(port, forward)


def main() -> None:
    match sys.argv[1:]:
        case ["echo", port]:
            asyncio.run(serve(int(port), echo))
        case ["proxy", port, upstream_port]:
            asyncio.run(proxy(int(port), int(upstream_port)))
        case _:
            raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
