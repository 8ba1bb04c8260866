"""API benchmark: what a client waits for on each read of a mapping of gcsim's large org,
against one `gcmap serve` process (SQLite), with the load generator (benchmarks/loadgen.py)
in a process of its own on the same two cores.

Two servers answer the same database one after the other in the same run: this checkout
("now") and a baseline commit checked out in a temporary git worktree ("before", by default
the commit before reads moved onto the event loop). Each read is loaded at the concurrency
its target names: 50 clients for the run summary, a 500-finding page and whole documents,
20 for neighbourhoods, impact and search. Neighbourhoods, impact and search are measured
twice: the same question again and again (answered from the response cache), and a new
question on every request (every object of the org in turn, or another piece of a name or
id typed in the search box), which is what clicking through the graph view costs.

Usage: python benchmarks/api_bench.py [--seconds 8] [--warmup 2] [--org large]
       [--before 93ffb16] [--only now]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gcmap.container import build_container
from gcmap.services.runs import MappingWorker
from gcmap.settings import GcmapSettings
from gcsim import generate_org

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The last commit whose API read every mapping from worker threads (the baseline).
BEFORE = "93ffb16"
# Stands for the run's ETag, asked of each server before its 304 case.
ETAG = "If-None-Match: <etag>"
TARGETS_MS = {"summary": 50, "500-finding page": 100, "neighbourhood, new node each time": 100,
              "neighbourhood, same node": 100, "impact, new node each time": 100,
              "impact, same node": 100, "search, new word each time": 50,
              "search, same word": 50}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--org", default="large")
    ap.add_argument("--before", default=BEFORE, help="baseline commit (git rev)")
    ap.add_argument("--only", choices=["now", "before"], help="serve one side only")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gcmap-api-bench-"))
    org_file = tmp / "org.json"
    org_file.write_text(json.dumps(generate_org(args.org, 1)))
    db = f"sqlite:///{tmp}/g.db"
    container = build_container(GcmapSettings(database_url=db, org_file=str(org_file),
                                              workers=0))
    _, key = container.store.create_api_key("bench", ["admin"], time.time())
    run = container.store.create_run(container.org_key, "bench", time.time())
    MappingWorker(container.store, container.reader).run_once()
    doc = container.store.get_snapshot(container.store.get_run(run["id"])["snapshotHash"])
    cases = _cases(tmp, f"/api/v1/mappings/{run['id']}", doc)
    sides = {"now": ROOT / "src"}
    if args.only != "now":
        try:
            sides["before"] = _worktree(args.before, tmp)
        except subprocess.CalledProcessError as exc:  # a shallow clone, or no git at all
            print(f"api_bench: no baseline ({args.before}: {exc.stderr.strip()}); "
                  "measuring this checkout only", file=sys.stderr)
    if args.only == "before":
        del sides["now"]
    out: dict[str, Any] = {"org": args.org, "objects": len(doc["nodes"]),
                           "seconds": args.seconds, "warmup": args.warmup,
                           "before": args.before, "results": {}}
    try:
        for side, src in sides.items():
            out["results"][side] = _serve_and_load(src, db, org_file, key, cases, args)
    finally:
        if "before" in sides:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(sides["before"].parent)], check=False, capture_output=True)
    print(json.dumps(out, indent=1))
    _print_table(out)


def _cases(tmp: Path, base: str, doc: dict[str, Any]) -> list[tuple[str, int, Path, list[str]]]:
    """(name, clients, paths file, extra headers) for each read."""
    rng = random.Random(2)
    keys = [n["key"] for n in doc["nodes"]]
    rng.shuffle(keys)
    queue = next(k for k in keys if k.startswith("queue:"))
    # What people type in the search box: three in four a piece of a name ("gent 0193",
    # "one 0077"), one in four the start of a pasted id.
    names = [n["name"] for n in doc["nodes"] if n["name"] and len(n["name"]) >= 4]
    ids = [n["id"] for n in doc["nodes"]]

    def piece() -> str:
        name = rng.choice(names)
        at = rng.randrange(len(name) - 3)
        return name[at:at + rng.randint(4, 10)]
    # Each word once: a repeat would be answered from the response cache.
    words = list(dict.fromkeys(quote(piece() if i % 4 else rng.choice(ids)[:8])
                               for i in range(60_000)))
    gz = ["Accept-Encoding: gzip"]

    def paths(name: str, items: list[str]) -> Path:
        f = tmp / f"{name}.json"
        f.write_text(json.dumps(items))
        return f
    return [
        ("/healthz (no key, no work: the floor)", 50, paths("h", ["/healthz"]), []),
        ("summary", 50, paths("s", [f"{base}?view=summary"]), []),
        ("run with every finding", 50, paths("f", [base]), gz),
        ("500-finding page", 50, paths("p", [f"{base}/findings?limit=500"]), gz),
        ("repeat with If-None-Match (304)", 50, paths("e", [base]), [ETAG]),
        ("whole document (gzip, as stored)", 50, paths("g", [f"{base}/graph"]), gz),
        ("neighbourhood, same node", 20,
         paths("n1", [f"{base}/neighbourhood?node={queue}&depth=1"]), gz),
        ("neighbourhood, new node each time", 20,
         paths("n", [f"{base}/neighbourhood?node={k}&depth=1" for k in keys]), gz),
        ("impact, same node", 20, paths("i1", [f"{base}/impact?node={queue}&depth=2"]), gz),
        ("impact, new node each time", 20,
         paths("i", [f"{base}/impact?node={k}&depth=2" for k in keys]), gz),
        ("search, same word", 20, paths("q1", [f"{base}/nodes?q=queue%2000"]), gz),
        ("search, new word each time", 20,
         paths("q", [f"{base}/nodes?q={w}" for w in words]), gz),
    ]


def _worktree(rev: str, tmp: Path) -> Path:
    """The baseline's source tree, checked out in a temporary worktree."""
    where = tmp / "before"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev],
                   check=True, capture_output=True, text=True)
    return where / "src"


def _serve_and_load(src: Path, db: str, org_file: Path, key: str,
                    cases: list[tuple[str, int, Path, list[str]]],
                    args: argparse.Namespace) -> dict[str, Any]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(src), "GCMAP_DATABASE_URL": db,
           "GCMAP_ORG_FILE": str(org_file), "GCMAP_WORKERS": "0",
           "GCMAP_API_RATE_PER_MIN": "100000000"}
    proc = subprocess.Popen([sys.executable, "-m", "gcmap", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    auth = f"Authorization: Bearer {key}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").close()
                break
            except OSError:
                time.sleep(0.1)
        results: dict[str, Any] = {}
        for name, clients, paths, extra in cases:
            first = json.loads(paths.read_text())[0]
            # The document and graph are loaded once per process: not what a client waits
            # for afterwards.
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}{first}",
                headers={"Authorization": f"Bearer {key}"})).read()
            argv = [sys.executable, str(HERE / "loadgen.py"), "--port", str(port),
                    "--clients", str(clients), "--seconds", str(args.seconds),
                    "--warmup", str(args.warmup), "--paths", str(paths)]
            for h in [auth, *extra]:
                if h == ETAG:
                    h = f"If-None-Match: {_etag(port, first, key)}"
                argv += ["--header", h]
            done = subprocess.run(argv, capture_output=True, text=True, check=True)
            results[name] = {"clients": clients, **json.loads(done.stdout)}
        results["server_rss_mb"] = _rss_mb(proc.pid)
        return results
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _etag(port: int, path: str, key: str) -> str:
    with urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {key}"})) as r:
        return str(r.headers["ETag"])


def _rss_mb(pid: int) -> dict[str, int]:
    """The server's resident memory now and at its peak."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {k: int(fields[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM")}


def _print_table(out: dict[str, Any]) -> None:
    res = out["results"]
    now, before = res.get("now", {}), res.get("before", {})
    print("\n| read | clients | before: req/s, p50, p99 | now: req/s, p50, p99 | p99 target "
          "| throughput now ÷ before |")
    print("|---|---|---|---|---|---|")
    for name in (now or before):
        if name == "server_rss_mb":
            continue
        a, b = before.get(name), now.get(name)

        def cell(r: dict[str, Any] | None) -> str:
            return f"{r['rps']:,}, {r['p50_ms']} ms, {r['p99_ms']} ms" if r else "-"
        ratio = f"{b['rps'] / a['rps']:.1f}x" if a and b and a["rps"] else "-"
        target = f"< {TARGETS_MS[name]} ms" if name in TARGETS_MS else ""
        clients = (b or a or {}).get("clients", "")
        print(f"| {name} | {clients} | {cell(a)} | {cell(b)} | {target} | {ratio} |")
    for side in ("before", "now"):
        if side in res:
            print(f"{side}: server RSS {res[side]['server_rss_mb']}")


if __name__ == "__main__":
    try:
        main()
    except urllib.error.URLError as exc:  # pragma: no cover - a server that did not start
        sys.exit(f"api_bench: the server did not answer ({exc})")
