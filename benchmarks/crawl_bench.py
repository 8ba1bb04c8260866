"""Crawl benchmark: gcmap against the minimal call count and against a naive crawler.

Runs gcsim's large org under the platform's default limit (300 requests/min per token) and
prints, side by side: calls made, the minimal calls the API allows, wall time against
calls / rate, early retries, and the naive crawl (page size 25, sequential, one GET per
object). Usage: python benchmarks/crawl_bench.py [--org large] [--rate 300] [--naive-rate 0]
"""

from __future__ import annotations

import argparse
import json
import math
import time
import urllib.request
from typing import Any

from gcmap.adapters.genesys.client import ClientConfig, GenesysClient
from gcmap.adapters.genesys.crawl_plan import CRAWL
from gcmap.adapters.genesys.source import GenesysOrgSource
from gcmap.domain.registry import FLOW_TYPE_OBJECT_TYPES, spec_for
from gcsim import SimConfig, SimServer, generate_org
from gcsim.endpoints import COLLECTIONS


def minimal_calls(org: dict[str, Any]) -> dict[str, int]:
    """The fewest calls that read what gcmap reads: every collection at its cap, plus the
    per-object calls no listing replaces."""
    caps = {c.path: c.cap for c in COLLECTIONS}
    out = {"token": 1}
    for spec in CRAWL:
        cap = caps.get(spec.path, spec.page_size)
        if spec.paging == "single":
            n = 1
        elif spec.parent is not None:  # one listing per parent
            n = sum(max(1, math.ceil(len(items) / cap)) for items in org[spec.doc_key].values())
        else:
            items = org[spec.doc_key]
            if "state" in spec.params:  # users: each state is its own listing
                items = [e for e in items if e.get("state") == spec.params["state"]]
            n = max(1, math.ceil(len(items) / cap))
        out[spec.kind] = n
    out["queue members"] = sum(math.ceil(q["memberCount"] / 100)
                               for q in org["/api/v2/routing/queues"] if q.get("memberCount"))
    consumed = org["/api/v2/architect/dependencytracking/consumedresources"]
    out["dependency tracking"] = sum(
        max(1, math.ceil(len(consumed.get(f["id"], [])) / 100))
        for f in org["/api/v2/flows"]
        if f.get("publishedVersion") and f["type"] in FLOW_TYPE_OBJECT_TYPES)
    out["limits"] = 1 + len(org["/api/v2/organizations/limits/namespaces/{namespaceName}"])
    out["dependency build + deleted consumers"] = 2
    return out


def sim_stats(sim: SimServer) -> dict[str, Any]:
    with urllib.request.urlopen(sim.base_url + "/__sim/stats") as r:
        return dict(json.load(r))


def naive(sim: SimServer, org: dict[str, Any], rate: float) -> tuple[int, float]:
    """Page size 25, sequential, then one GET per object (as an exporter would)."""
    client = GenesysClient(ClientConfig("gcsim-client", "gcsim-secret", base_url=sim.base_url,
                                        rate_per_min=rate, concurrency=1))
    t0 = time.perf_counter()
    calls = 0
    for spec in CRAWL:
        if spec.paging == "single":
            client.get(spec.path)
            calls += 1
            continue
        # The listing's own endpoint; a query listing (POST …/query) is served under its type.
        coll = next((c for c in COLLECTIONS if c.path == spec.path), None) or next(
            c for c in COLLECTIONS if c.path == spec.doc_key)
        ids: list[str] = []
        parents = [{}] if spec.parent is None else [
            {spec.parent[1]: d["id"]} for d in org[spec_for(spec.parent[0]).source]]
        for pp in parents:
            page, after = 1, None
            while spec.paging == "postcursor":  # a query: the cursor is in the body
                body = client.post(spec.path, {"pageSize": 25, "after": after or ""})
                calls += 1
                ids += [e["id"] for e in body.get("entities", [])]
                after = body.get("after")
                if not after:
                    break
            while spec.paging != "postcursor":
                q: dict[str, Any] = {"pageSize": 25, **spec.params}
                if spec.paging in ("cursor", "idcursor"):
                    if after:
                        q[spec.cursor_param] = after
                else:
                    q["pageNumber"] = page
                body = client.get(spec.path, q, pp or None)
                calls += 1
                got = [e["id"] for e in body.get("entities", [])]
                ids += got
                nxt = body.get("nextUri")
                if spec.paging == "idcursor":
                    if not got:
                        break
                    after = got[-1]
                    continue
                if not nxt:
                    break
                page += 1
                key = f"{spec.cursor_param}="
                after = nxt.split(key)[-1].split("&")[0] if key in nxt else None
        if coll.id_param:
            for i in ids:
                client.get(f"{coll.path}/{{{coll.id_param}}}", path_params={coll.id_param: i})
                calls += 1
    return calls, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", default="large")
    ap.add_argument("--rate", type=float, default=300.0)
    ap.add_argument("--naive-rate", type=float, default=0.0,
                    help="limit for the naive crawl (0 = unlimited; its time at --rate is "
                         "then calls / rate, a lower bound)")
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    org = generate_org(args.org, 1)
    minimal = minimal_calls(org)
    with SimServer(org, SimConfig(rate_limit=args.rate)) as sim:
        src = GenesysOrgSource(ClientConfig("gcsim-client", "gcsim-secret",
                                            base_url=sim.base_url, rate_per_min=args.rate,
                                            concurrency=args.concurrency))
        t0 = time.perf_counter()
        result = src.crawl()
        wall = time.perf_counter() - t0
        stats = sim_stats(sim)
    calls = stats["requests"]
    with SimServer(org, SimConfig(rate_limit=args.naive_rate)) as sim:
        naive_calls, naive_wall = naive(sim, org, args.naive_rate)
    min_total = sum(minimal.values())
    per_s = (args.rate or 300.0) / 60  # at rate 0, compare with the default limit
    ideal = calls / per_s
    naive_at_rate = naive_calls / per_s
    print(json.dumps({
        "org": args.org, "rate_per_min": args.rate,
        "gcmap": {"calls": calls, "wall_s": round(wall, 1),
                  "calls_over_rate_s": round(ideal, 1),
                  "wall_vs_calls_over_rate": round(wall / ideal, 3),
                  "throttled": stats["throttled"], "early_retries": stats["earlyRetries"],
                  "partial": result.report["partial"]},
        "minimal": {"calls": min_total, "breakdown": minimal,
                    "gcmap_vs_minimal": round(calls / min_total, 3)},
        "naive": {"calls": naive_calls, "measured_wall_s": round(naive_wall, 1),
                  "measured_at_rate_per_min": args.naive_rate,
                  "time_at_rate_s": round(naive_at_rate, 1),
                  "calls_ratio_naive_over_gcmap": round(naive_calls / calls, 1)},
    }, indent=1))


if __name__ == "__main__":
    main()
