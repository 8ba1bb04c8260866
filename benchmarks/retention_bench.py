"""Database size after 50 mappings of gcsim's medium org, each after a change, every six
hours: with the default retention (applied after each run, as the worker does) and without.

Usage: python benchmarks/retention_bench.py [--mappings 50] [--org medium]
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
from pathlib import Path

from gcmap.domain.document import canonical_json
from gcmap.services.mapping import map_org
from gcmap.services.retention import RetentionPolicy, plan_retention
from gcmap.storage import SqlStore
from gcsim import generate_org

HOURS_6 = 6 * 3600.0


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", default="medium")
    ap.add_argument("--mappings", type=int, default=50)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gcmap-retention-"))
    paths = {"default retention": tmp / "kept.db", "no retention": tmp / "all.db"}
    stores = {k: SqlStore(f"sqlite:///{p}") for k, p in paths.items()}
    for s in stores.values():
        s.migrate()
    policy = RetentionPolicy()
    org = generate_org(args.org, 1)
    start = 1_800_000_000.0
    for i in range(args.mappings):
        org = copy.deepcopy(org)
        queues = org["/api/v2/routing/queues"]
        queues[i % len(queues)]["name"] = f"Renamed {i}"
        doc = map_org(org, environment="mypurecloud.com",
                      generated_at="2026-01-01T00:00:00Z").document
        now = start + i * HOURS_6
        for name, store in stores.items():
            store.put_snapshot(doc["snapshotHash"], canonical_json(doc), now)
            run = store.create_run("org", "bench", now)
            store.claim_run("bench", 60, now)
            store.finish_run(run["id"], "bench", "succeeded", now,
                             snapshot_hash=doc["snapshotHash"], summary={})
            if name == "default retention":
                store.delete_runs(plan_retention(store.all_runs(), now, policy))
    out = {"org": args.org, "mappings": args.mappings, "policy": {
        "keepLast": policy.keep_last, "dailyDays": policy.daily_days}}
    for name, store in stores.items():
        store.engine.dispose()
        out[name] = {"runs": len(SqlStore(f"sqlite:///{paths[name]}").all_runs()),
                     "db_mb": round(_size_mb(paths[name]), 1)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
