"""Peak memory of one service mapping run of gcsim's huge org (about 100,000 objects): the
worker reads the org file, maps it, stores the snapshot and its events, in a fresh process.

Usage: python benchmarks/mapping_memory_bench.py [--org huge] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from gcsim import generate_org

CHILD = r"""
import json, sys, time
from pathlib import Path
from gcmap.container import build_container
from gcmap.services.runs import MappingWorker
from gcmap.settings import GcmapSettings
db, org_file = sys.argv[1], sys.argv[2]
c = build_container(GcmapSettings(database_url=db, org_file=org_file, workers=0))
run = c.store.create_run(c.org_key, "bench", time.time())
t0 = time.perf_counter()
MappingWorker(c.store, c.reader).run_once()
took = time.perf_counter() - t0
status = c.store.get_run(run["id"])["status"]
hwm = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines()
           if l.startswith("VmHWM:"))
print(json.dumps({"status": status, "seconds": round(took, 1), "peak_rss_mb": hwm // 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", default="huge")
    ap.add_argument("--src", default=None, help="a gcmap checkout's src/ to run instead")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gcmap-mapmem-"))
    org_file = tmp / "org.json"
    org_file.write_text(json.dumps(generate_org(args.org, 1)))
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = args.src
    res = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{tmp}/g.db", str(org_file)],
                         env=env, capture_output=True, text=True, check=True)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out.update(org=args.org, org_file_mb=round(org_file.stat().st_size / 1e6, 1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
