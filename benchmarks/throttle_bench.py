"""Throttled crawl: the server's limit is below the client's pacing, so 429s are routine.

Counts, by gcsim's own measure, requests sent before a Retry-After had elapsed (more than
0.1 s after the 429 was sent). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request

from gcmap.adapters.genesys.client import ClientConfig
from gcmap.adapters.genesys.source import GenesysOrgSource
from gcsim import SimConfig, SimServer, generate_org


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", default="small")
    ap.add_argument("--server-rate", type=float, default=120.0)
    ap.add_argument("--burst", type=int, default=5)
    ap.add_argument("--client-rate", type=float, default=300.0)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    org = generate_org(args.org, 1)
    with SimServer(org, SimConfig(rate_limit=args.server_rate, burst=args.burst)) as sim:
        src = GenesysOrgSource(ClientConfig("gcsim-client", "gcsim-secret",
                                            base_url=sim.base_url,
                                            rate_per_min=args.client_rate,
                                            concurrency=args.concurrency))
        t0 = time.perf_counter()
        result = src.crawl()
        wall = time.perf_counter() - t0
        with urllib.request.urlopen(sim.base_url + "/__sim/stats") as r:
            stats = json.load(r)
    ok = stats["requests"] - stats["throttled"]
    print(json.dumps({
        "org": args.org, "server_rate_per_min": args.server_rate, "burst": args.burst,
        "client_rate_per_min": args.client_rate, "threads": args.concurrency,
        "requests": stats["requests"], "throttled": stats["throttled"],
        "early": stats["earlyRetries"], "wall_s": round(wall, 1),
        "answered_per_min": round(ok / wall * 60, 1), "partial": result.report["partial"],
    }, indent=1))


if __name__ == "__main__":
    main()
