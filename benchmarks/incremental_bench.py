"""Change to IaC event: time and API calls from a write in gcsim to the ``graph.changed``
delivery at a local webhook receiver, with the service's default watch settings and its
pacing at 300 requests/min (gcsim enforcing the same limit per token).

Scenarios on gcsim's large org: a queue rename, a flow republish, a new queue with members,
a deleted site, then 50 renames within one minute. The baseline is a full re-map at the same
pacing (the service's start-up mapping, in the same run): what every change cost before
incremental runs.

The first mapping is read unpaced (it is the base, not what is measured).

Each write waits a random part of the poll interval first, so writes land anywhere in the
watch's cycle, as real edits do.

Usage: python benchmarks/incremental_bench.py [--org large] [--rate 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry
from tests.simhelpers import live_service, sim_call, sim_token

from gcmap.adapters.webhooks import new_secret
from gcmap.container import LiveReader
from gcmap.observability.metrics import GenesysMetrics
from gcmap.services.runs import MappingWorker
from gcmap.storage.secretbox import new_key
from gcsim import SimConfig, SimServer, generate_org
from gcsim import paths as o
from gcsim.faults import RateLimiter

events: list[tuple[float, dict[str, Any]]] = []
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a: Any) -> None:
        return

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with lock:
            events.append((time.time(), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def wait_event(after: float, timeout: float = 180) -> tuple[float, dict[str, Any]]:
    """The first graph.changed delivered after ``after``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with lock:
            hit = next(((t, e) for t, e in events if t > after and
                        e.get("type") == "graph.changed"), None)
        if hit:
            return hit
        time.sleep(0.05)
    raise TimeoutError(f"no graph.changed event; received {[e.get('type') for _, e in events]}")


def measure(sim: SimServer, container: Any, name: str, write: Any) -> dict[str, Any]:
    before = sim.state.stats.snapshot()["requests"]
    t0 = time.time()
    write()
    t, event = wait_event(t0)
    print(f"{name}: {t - t0:.1f} s", file=sys.stderr, flush=True)
    run = container.store.get_run(event["mappingId"])
    summary = run["summary"] if run else {}
    return {"scenario": name, "seconds": round(t - t0, 1),
            "callsBetween": sim.state.stats.snapshot()["requests"] - before,
            "runCalls": summary.get("apiCalls"), "mode": summary.get("mode"),
            "changeRecords": len(run.get("changes") or []) if run else None}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", default="large")
    ap.add_argument("--rate", type=float, default=300)
    ap.add_argument("--repeat", type=int, default=3, help="writes per scenario")
    args = ap.parse_args()
    org = generate_org(args.org, 1)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        container, _ = live_service(sim, workers=1, rate_per_min=args.rate,
                                    secret_key=new_key(), outbound_allow_cidrs="127.0.0.0/8")
        s = container.settings
        fast = LiveReader(container.reader.genesys, s.model_copy(update={"rate_per_min": 0}),
                          GenesysMetrics(CollectorRegistry()))
        t = time.perf_counter()
        container.store.create_run(container.org_key, "base", time.time())
        MappingWorker(container.store, fast).run_once()
        base_s = time.perf_counter() - t
        print(f"base mapping read unpaced in {base_s:.0f} s", file=sys.stderr, flush=True)
        # From here on gcsim allows what a token may send.
        sim.state.limiter = RateLimiter(args.rate, None, time.monotonic)
        hook = container.store.create_webhook(f"http://127.0.0.1:{srv.server_address[1]}/h",
                                              ["graph.changed"], None, "", new_secret(),
                                              time.time())
        container.store.set_webhook_status(hook["id"], "active", time.time())
        before, t0 = sim.state.stats.snapshot()["requests"], time.time()
        container.start_workers()
        # The service's start-up mapping is a full re-map at the same pacing: what every
        # change cost before incremental runs (the baseline).
        while container.store.latest_run(container.org_key, ("queued", "running")):
            time.sleep(0.5)
        baseline = {"fullRemapSeconds": round(time.time() - t0, 1),
                    "calls": sim.state.stats.snapshot()["requests"] - before,
                    "oldWatchDelay": "poll 60 s (30 s on average) + debounce 30 s"}
        print(f"baseline full re-map: {baseline}", file=sys.stderr, flush=True)
        token = sim_token(sim)

        def call(method: str, path: str, body: Any = None) -> Any:  # as the org's admin
            return sim_call(sim, method, path, body, token)
        queues, flows = sim.state.org[o.P_QUEUES], sim.state.org[o.P_FLOWS]
        users = [u["id"] for u in sim.state.org[o.P_USERS][:5]]
        site = next(x for x in reversed(sim.state.org[o.P_SITES])
                    if str(x.get("state", "")).lower() != "deleted")

        renames = iter(range(1000))

        def rename() -> None:
            q = queues[0]
            call("PUT", f"{o.P_QUEUES}/{q['id']}",
                 dict(q, name=f"Renamed queue {next(renames)}"))

        picks = iter(range(1, 1000))

        def republish() -> None:
            i = next(picks)
            f, q = flows[i], queues[i + 1]
            dep = [{"id": q["id"], "name": q["name"], "type": "QUEUE", "deleted": False,
                    "updated": False, "stateUnknown": False}]
            call("PUT", f"/__sim/flows/{f['id']}/dependencies", dep)
            call("POST", f"/api/v2/flows/actions/publish?flow={f['id']}")

        def new_queue() -> None:
            q = call("POST", o.P_QUEUES,
                     {"name": f"Queue made for the bench {time.time()}"})
            call("POST", f"{o.P_QUEUES}/{q['id']}/members",
                 [{"id": u} for u in users])

        def delete_site() -> None:
            call("DELETE", f"{o.P_SITES}/{site['id']}")

        rng = random.Random(7)
        results = []
        for n, w in (("queue rename", rename), ("flow republish", republish),
                     ("new queue with 5 members", new_queue), ("deleted site", delete_site)):
            for _ in range(args.repeat if n != "deleted site" else 1):
                time.sleep(rng.uniform(0, s.watch_poll_s))
                results.append(measure(sim, container, n, w))
        # 50 renames within one minute, then: all reflected? time to the last event?
        before = sim.state.stats.snapshot()["requests"]
        t0 = time.time()
        burst = queues[10:60] if len(queues) >= 60 else queues[:max(1, len(queues) // 2)]
        for i, q in enumerate(burst):
            call("PUT", f"{o.P_QUEUES}/{q['id']}", dict(q, name=f"Burst {i:02d}"))
            time.sleep(max(0.0, t0 + (i + 1) * 1.2 - time.time()))
        deadline = time.time() + 600
        last = t0
        while time.time() < deadline:
            runs, _ = container.store.list_runs(1, 0, "succeeded", [container.org_key])
            doc = container.store.get_snapshot(runs[0]["snapshotHash"])
            names = {n["name"] for n in doc["nodes"] if n["type"] == "queue"}
            if all(f"Burst {i:02d}" in names for i in range(len(burst))):
                with lock:
                    last = max(t for t, e in events if e.get("type") == "graph.changed")
                break
            time.sleep(0.5)
        burst_result = {"changes": len(burst), "allReflected": time.time() < deadline,
                        "secondsFromFirstWriteToLastEvent": round(last - t0, 1),
                        "secondsFromLastWriteToLastEvent": round(last - t0 - 60, 1),
                        "callsBetween": sim.state.stats.snapshot()["requests"] - before}
        container.stop_workers()
    lat = [r["seconds"] for r in results]
    print(json.dumps({
        "org": args.org, "ratePerMin": args.rate, "baseMappingSeconds": round(base_s, 1),
        "watch": {"pollS": s.watch_poll_s, "debounceS": s.watch_debounce_s,
                  "maxWaitS": s.watch_max_wait_s},
        "scenarios": results,
        "latency": {"p50": statistics.median(lat), "max": max(lat)},
        "burst": burst_result, "baseline": baseline}, indent=1))


if __name__ == "__main__":
    main()
