"""API benchmark: latency of each read a client makes, at 50 concurrent clients, on a mapping
of gcsim's large org, against one `gcmap serve` process (SQLite), one endpoint after another
in the same run: the run with every finding (the form every client had before), its summary,
a 500-finding page, a search, an object's impact and neighbourhood, the whole document
(gzip), and a repeat that the ETag answers with 304. Each is measured on the pure-Python
HTTP stack (h11 on asyncio, GCMAP_HTTP_IMPL=h11, the stack before), on the default
(httptools on uvloop) without and with the API-key cache, one server after the other, in
the same run.

Usage: python benchmarks/api_bench.py [--clients 50] [--seconds 10] [--org large]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from gcmap.container import build_container
from gcmap.services.runs import MappingWorker
from gcmap.settings import GcmapSettings
from gcsim import generate_org


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--org", default="large")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gcmap-api-bench-"))
    org_file = tmp / "org.json"
    org_file.write_text(json.dumps(generate_org(args.org, 1)))
    db = f"sqlite:///{tmp}/g.db"
    container = build_container(GcmapSettings(database_url=db, org_file=str(org_file),
                                              workers=0))
    _, key = container.store.create_api_key("bench", ["admin"], time.time())
    run = container.store.create_run(container.org_key, "bench", time.time())
    t0 = time.perf_counter()
    MappingWorker(container.store, container.reader).run_once()
    map_s = time.perf_counter() - t0
    base = f"/api/v1/mappings/{run['id']}"
    doc = container.store.get_snapshot(container.store.get_run(run["id"])["snapshotHash"])
    queue = next(n["key"] for n in doc["nodes"] if n["type"] == "queue")
    stacks = {}
    for label, impl, cache in (("h11 on asyncio, no key cache (before)", "h11", "0"),
                               ("httptools on uvloop, no key cache", "auto", "0"),
                               ("httptools on uvloop, key cache 2 s (default)", "auto", "2")):
        stacks[label] = _serve_and_load(db, org_file, impl, cache, key, base, queue, args)
    print(json.dumps({"org": args.org, "clients": args.clients, "seconds": args.seconds,
                      "mapping_s": round(map_s, 1), "stacks": stacks}, indent=1))


def _serve_and_load(db: str, org_file: Path, impl: str, cache: str, key: str, base: str,
                    queue: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Start one `gcmap serve` with GCMAP_HTTP_IMPL=impl and GCMAP_API_KEY_CACHE_S=cache,
    and load every case in turn."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GCMAP_DATABASE_URL": db, "GCMAP_ORG_FILE": str(org_file),
           "GCMAP_WORKERS": "0", "GCMAP_API_RATE_PER_MIN": "100000000",
           "GCMAP_HTTP_IMPL": impl, "GCMAP_API_KEY_CACHE_S": cache}
    proc = subprocess.Popen([sys.executable, "-m", "gcmap", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").close()
                break
            except OSError:
                time.sleep(0.1)
        auth = {"Authorization": f"Bearer {key}"}
        first = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{base}",
                                                              headers=auth))
        etag = first.headers["ETag"]
        first.read()
        cases = [
            ("/healthz (no key, no work: the stack's floor)", "/healthz", {}),
            ("run with every finding (before)", base, {}),
            ("summary", f"{base}?view=summary", {}),
            ("500-finding page", f"{base}/findings?limit=500", {"Accept-Encoding": "gzip"}),
            ("search", f"{base}/nodes?q=queue%2000", {}),
            ("impact", f"{base}/impact?node={queue}&depth=2", {}),
            ("neighbourhood", f"{base}/neighbourhood?node={queue}&depth=1", {}),
            ("whole document, gzip", f"{base}/graph", {"Accept-Encoding": "gzip"}),
            ("repeat with If-None-Match (304)", base, {"If-None-Match": etag}),
        ]
        results = {}
        for name, path, extra in cases:
            # One request first: the graph of a snapshot is built once per process, and
            # that first build is not what a client waits for afterwards.
            try:
                urllib.request.urlopen(urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}", headers={**auth, **extra})).read()
            except urllib.error.HTTPError as exc:  # the 304 case answers 304 to this too
                assert exc.code == 304, exc

            results[name] = _load(port, path, {**auth, **extra}, args.clients, args.seconds)
        return results
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _load(port: int, path: str, headers: dict[str, str], clients: int,
          seconds: float) -> dict[str, float]:
    """``clients`` keep-alive connections asking for ``path`` for ``seconds``."""
    lat: list[float] = []
    errors = [0]
    sizes: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                ok = resp.status in (200, 304)
            except (OSError, http.client.HTTPException):
                ok, body = False, b""
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - t)
            with lock:
                sizes.append(len(body))
                errors[0] += not ok
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = sorted(x * 1000 for x in lat)
    return {"requests": len(ms), "errors": errors[0],
            "throughput_rps": round(len(ms) / seconds, 1),
            "p50_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[int(0.99 * (len(ms) - 1))], 1), "max_ms": round(ms[-1], 1),
            "bytes": int(statistics.median(sizes))}


if __name__ == "__main__":
    main()
