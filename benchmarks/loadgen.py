"""A closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next
request as soon as the last answer is read, on one event loop (uvloop when present).

Run it in a process of its own, so that it shares no interpreter lock with the server.
Its connections are opened and used for ``--warmup`` seconds before anything is recorded:
the first requests on new connections arrive all at once, and what a client sees after
that is what the figures are about. With ``--paths`` (a JSON list), each request takes the
next path of the list (shared by all connections), so a list longer than the run makes
every request a new question (no answer kept from an earlier request can serve it).

Usage: python benchmarks/loadgen.py --port P --clients 50 --seconds 10 --warmup 2
       [--path /healthz | --paths paths.json] [--header 'Authorization: Bearer k']
Prints one JSON object: requests, rps, p50/p90/p99/p999/max in ms, errors, mean body bytes
and how many recorded paths had been asked before.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from pathlib import Path
from typing import Any


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, int]:
    """(status, body bytes) of one response; Content-Length or chunked bodies."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status, length
    total = 0
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
        await reader.readexactly(size + 2)
        total += size
        if size == 0:
            return status, total


async def run(port: int, clients: int, seconds: float, warmup: float, paths: list[str],
              headers: list[str]) -> dict[str, Any]:
    """Load the server; the figures of the recorded window."""
    extra = "".join(f"{h}\r\n" for h in headers)
    order = itertools.count()
    asked: set[str] = set()
    latencies: list[float] = []
    sizes: list[int] = []
    stats = {"errors": 0, "repeats": 0}
    start = time.perf_counter()
    record_from, stop = start + warmup, start + warmup + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (now := time.perf_counter()) < stop:
                path = paths[next(order) % len(paths)]
                writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n{extra}\r\n".encode())
                status, size = await _read_answer(reader)
                took = time.perf_counter() - now
                recorded = now >= record_from
                if recorded:
                    latencies.append(took)
                    sizes.append(size)
                    stats["errors"] += status not in (200, 304)
                    stats["repeats"] += path in asked and len(paths) > 1
                asked.add(path)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    latencies.sort()
    n = len(latencies)

    def pct(p: float) -> float:
        return round(latencies[min(n - 1, int(n * p / 100))] * 1000, 1) if n else 0.0
    return {"requests": n, "rps": round(n / seconds), "p50_ms": pct(50), "p90_ms": pct(90),
            "p99_ms": pct(99), "p999_ms": pct(99.9),
            "max_ms": round(latencies[-1] * 1000, 1) if n else 0.0,
            "errors": stats["errors"], "repeated_paths": stats["repeats"],
            "body_bytes": round(sum(sizes) / n) if n else 0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--path", default="/healthz")
    ap.add_argument("--paths", type=Path, help="JSON list of paths, asked in turn")
    ap.add_argument("--header", action="append", default=[])
    args = ap.parse_args()
    paths = json.loads(args.paths.read_text()) if args.paths else [args.path]
    try:
        import uvloop
        runner: Any = uvloop.run
    except ImportError:  # pragma: no cover - uvloop is a dependency where it builds
        runner = asyncio.run
    print(json.dumps(runner(run(args.port, args.clients, args.seconds, args.warmup, paths,
                                args.header))))


if __name__ == "__main__":
    main()
