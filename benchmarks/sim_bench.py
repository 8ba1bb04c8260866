"""gcsim benchmark: start time of `gcsim serve` for the large and huge orgs, the time to serve
a 500-entity page, and the memory of the server holding the org.

Usage: python benchmarks/sim_bench.py
"""

from __future__ import annotations

import base64
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(size: str) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "gcsim", "serve", "--org", size, "--port",
                             str(port), "--rate-limit", "0"], stdout=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/__sim/stats", timeout=1).close()
                break
            except OSError:
                if time.perf_counter() - t0 > 120:
                    raise
                time.sleep(0.02)
        start_s = time.perf_counter() - t0
        auth = base64.b64encode(b"gcsim-client:gcsim-secret").decode()
        req = urllib.request.Request(base + "/oauth/token", data=b"grant_type=client_credentials",
                                     headers={"Authorization": f"Basic {auth}"})
        token = json.load(urllib.request.urlopen(req))["access_token"]
        times = []
        for n in range(1, 21):
            number = (n - 1) % 10 + 1  # the large org has ten full pages of users
            page = urllib.request.Request(
                f"{base}/api/v2/users?pageSize=500&pageNumber={number}",
                headers={"Authorization": f"Bearer {token}"})
            t = time.perf_counter()
            with urllib.request.urlopen(page) as r:
                body = r.read()
            times.append(time.perf_counter() - t)
        assert len(json.loads(body)["entities"]) == 500
        rss = 0.0
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        return {"start_s": round(start_s, 2), "page500_median_ms": round(
            statistics.median(times) * 1000, 1), "page500_max_ms": round(max(times) * 1000, 1),
            "rss_mb": round(rss, 1), "page_bytes": len(body)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    print(json.dumps({size: measure(size) for size in ("large", "huge")}, indent=1))
