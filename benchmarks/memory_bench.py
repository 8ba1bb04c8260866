"""Service memory and latency under the load the reliability review used.

1. RSS of one `gcmap serve` process after it has served ten distinct mappings of gcsim's huge
   org (about 100,000 objects each): each mapping's document and graph are loaded by an
   /impact call.
2. /impact p50/p99 at 16 concurrent clients on one huge mapping, and /healthz meanwhile.
3. RSS before and after a 300 MB chunked POST with a bogus key.

Usage: python benchmarks/memory_bench.py [--org huge] [--mappings 10] [--src DIR]
(``--src`` runs another checkout's gcmap for a before/after comparison).
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
from pathlib import Path
from typing import Any

from gcmap.domain.document import canonical_json
from gcmap.services.mapping import map_org
from gcmap.storage import SqlStore
from gcsim import generate_org


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _get(port: int, path: str, key: str, timeout: float = 600) -> tuple[int, float]:
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path, headers={"Authorization": f"Bearer {key}"})
    r = c.getresponse()
    r.read()
    c.close()
    return r.status, time.perf_counter() - t0


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", default="huge")
    ap.add_argument("--mappings", type=int, default=10)
    ap.add_argument("--src", default=None, help="a gcmap checkout's src/ to serve instead")
    ap.add_argument("--db", default=None, help="reuse a database this script filled")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gcmap-mem-bench-"))
    db = args.db or f"sqlite:///{tmp}/g.db"
    store = SqlStore(db)
    store.migrate()
    runs: list[tuple[str, str]] = []
    if args.db:
        runs = [(r["id"], "") for r in store.list_runs(100, 0, "succeeded")[0]]
    t0 = time.perf_counter()
    for seed in range(1, args.mappings + 1 if not args.db else 1):
        org = generate_org(args.org, seed)
        doc = map_org(org, environment="mypurecloud.com",
                      generated_at="2026-01-01T00:00:00Z").document
        store.put_snapshot(doc["snapshotHash"], canonical_json(doc), time.time())
        run = store.create_run(f"org-{seed}", "bench", time.time())
        claimed = store.claim_run("bench", 3600, time.time())
        assert claimed is not None and claimed["id"] == run["id"]
        store.finish_run(run["id"], "bench", "succeeded", time.time(),
                         summary={"orgId": doc["orgId"]}, snapshot_hash=doc["snapshotHash"])
        runs.append((run["id"], doc["nodes"][len(doc["nodes"]) // 2]["key"]))
        del org, doc
    prepare_s = time.perf_counter() - t0
    _, key = store.create_api_key("bench", ["admin"], time.time())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    org_file = tmp / "tiny.json"  # the service maps nothing here (no workers)
    org_file.write_text(json.dumps(generate_org("tiny", 1)))
    env = {**os.environ, "GCMAP_DATABASE_URL": db, "GCMAP_WORKERS": "0",
           "GCMAP_API_RATE_PER_MIN": "100000000", "GCMAP_WATCH_POLL_S": "0",
           "GCMAP_ORG_FILE": str(org_file), "GCMAP_DELIVER_WEBHOOKS": "false"}
    if args.src:
        env["PYTHONPATH"] = args.src
    proc = subprocess.Popen([sys.executable, "-m", "gcmap", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {"org": args.org, "mappings": args.mappings,
                           "prepare_s": round(prepare_s, 1)}
    try:
        for _ in range(600):
            try:
                _get(port, "/healthz", key, 1)
                break
            except OSError:
                time.sleep(0.1)
        out["rss_start_mb"] = round(_rss_mb(proc.pid))
        rss = []
        peak = 0.0
        for rid, node in runs:
            status, _ = _get(port, f"/api/v1/mappings/{rid}/impact?node={node}", key)
            assert status in (200, 404), status
            rss.append(round(_rss_mb(proc.pid)))
            peak = max(peak, rss[-1])
        out["rss_after_each_mb"] = rss
        # 16 concurrent /impact calls on one mapping, /healthz polled meanwhile.
        rid, node = runs[0]
        lat: list[float] = []
        health: list[float] = []
        stop = threading.Event()

        def client() -> None:
            for _ in range(8):
                lat.append(_get(port, f"/api/v1/mappings/{rid}/impact?node={node}", key)[1])

        def healthz() -> None:
            while not stop.is_set():
                health.append(_get(port, "/healthz", key, 60)[1])
                time.sleep(0.05)

        hz = threading.Thread(target=healthz)
        hz.start()
        threads = [threading.Thread(target=client) for _ in range(16)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, _rss_mb(proc.pid))
            time.sleep(0.2)
        stop.set()
        hz.join()
        out["impact_16_concurrent_s"] = {"p50": round(statistics.median(lat), 3),
                                         "p99": round(_pct(lat, 0.99), 3), "n": len(lat)}
        out["healthz_during_s"] = {"p50": round(statistics.median(health), 4),
                                   "max": round(max(health), 4), "n": len(health)}
        out["rss_peak_mb"] = round(peak)
        # A 300 MB chunked body with a bogus key.
        before = _rss_mb(proc.pid)
        t0 = time.perf_counter()
        sent = 0
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            c.putrequest("POST", "/api/v1/mappings")
            c.putheader("Authorization", "Bearer bogus")
            c.putheader("Content-Type", "application/json")
            c.putheader("Transfer-Encoding", "chunked")
            c.endheaders()
            chunk = b"x" * (1 << 20)
            for _ in range(300):
                c.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            c.send(b"0\r\n\r\n")
            status = c.getresponse().status
        except OSError:
            status = -1  # the server answered and closed while the body was still coming
        out["chunked_300mb_bogus_key"] = {
            "status": status, "sent_mb": sent >> 20, "seconds": round(time.perf_counter() - t0, 1),
            "rss_before_mb": round(before), "rss_after_mb": round(_rss_mb(proc.pid))}
    finally:
        proc.terminate()
        proc.wait(30)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
