"""Run every benchmark, one after another, and keep each one's JSON in benchmarks/results/.

``make bench`` runs this; ``--quick`` skips the paced crawl, the huge-org service memory run
and the paced change-to-event run (about 6, 8 and 15 minutes).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
BENCHES = [
    ("sim", ["sim_bench.py"]),
    ("graph", ["graph_bench.py"]),
    ("service-paths", ["service_paths_bench.py"]),
    ("throttle", ["throttle_bench.py"]),
    ("api", ["api_bench.py"]),
    ("webhook", ["webhook_bench.py"]),
    ("retention", ["retention_bench.py"]),
    ("mapping-memory", ["mapping_memory_bench.py"]),
    ("memory", ["memory_bench.py"]),
    ("crawl", ["crawl_bench.py", "--org", "large", "--rate", "300"]),
    ("incremental", ["incremental_bench.py", "--org", "large"]),
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the paced crawl")
    args = ap.parse_args()
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    failed = []
    for name, argv in BENCHES:
        if args.quick and name in ("crawl", "memory", "incremental"):
            continue
        t0 = time.perf_counter()
        with (results / f"{name}.json").open("w") as out:
            rc = subprocess.call([sys.executable, str(HERE / argv[0]), *argv[1:]], stdout=out)
        print(f"{name:<9} {'ok' if rc == 0 else f'FAILED ({rc})'} in "
              f"{time.perf_counter() - t0:.0f} s -> {results / (name + '.json')}")
        if rc:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
