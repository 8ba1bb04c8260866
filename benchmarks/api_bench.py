"""API benchmark: latency of GET /api/v1/mappings/{id} at 50 concurrent clients for 30 s,
on a mapping of gcsim's large org, against one `gcmap serve` process (SQLite).

Usage: python benchmarks/api_bench.py [--clients 50] [--seconds 30] [--org large]
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
import urllib.request
from pathlib import Path

from gcmap.container import build_container
from gcmap.services.runs import MappingWorker
from gcmap.settings import GcmapSettings
from gcsim import generate_org


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GCMAP_DATABASE_URL": db, "GCMAP_ORG_FILE": str(org_file),
           "GCMAP_WORKERS": "0", "GCMAP_API_RATE_PER_MIN": "100000000"}
    proc = subprocess.Popen([sys.executable, "-m", "gcmap", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").close()
                break
            except OSError:
                time.sleep(0.1)
        path = f"/api/v1/mappings/{run['id']}"
        headers = {"Authorization": f"Bearer {key}"}
        lat: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine = []
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    ok = resp.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append(time.perf_counter() - t)
                if not ok:
                    with lock:
                        errors[0] += 1
            with lock:
                lat.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lat.sort()
        ms = [x * 1000 for x in lat]
        print(json.dumps({
            "org": args.org, "clients": args.clients, "seconds": args.seconds,
            "mapping_s": round(map_s, 1), "requests": len(ms), "errors": errors[0],
            "throughput_rps": round(len(ms) / args.seconds, 1),
            "p50_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[int(0.99 * (len(ms) - 1))], 1),
            "max_ms": round(ms[-1], 1)}, indent=1))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
