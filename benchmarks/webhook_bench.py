"""Webhook delivery benchmark: latency from the commit of an event to the first 2xx at a
healthy endpoint, and delivery throughput with one dead endpoint (never answers) and nine
healthy ones. One delivery worker (8 sending threads), SQLite store.

Usage: python benchmarks/webhook_bench.py [--events 200]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gcmap.adapters.netguard import NetGuard
from gcmap.adapters.webhooks import WebhookSender, new_secret
from gcmap.services.delivery import DeliveryWorker
from gcmap.storage import SqlStore
from gcmap.storage.secretbox import SecretBox, new_key

received: dict[str, float] = {}
lock = threading.Lock()


class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a: Any) -> None:
        return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with lock:
            received.setdefault(f"{self.server.server_address[1]}:{self.headers['webhook-id']}",
                                time.time())
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200)
    args = ap.parse_args()
    store = SqlStore(f"sqlite:///{tempfile.mkdtemp()}/w.db", SecretBox.from_setting(new_key()))
    store.migrate()
    healthy = []
    for _ in range(9):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        healthy.append(srv)
    blackhole = socket.socket()  # accepts connections, never answers: the worst dead endpoint
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(1024)
    now = time.time()
    for srv in healthy:
        h = store.create_webhook(f"http://127.0.0.1:{srv.server_address[1]}/h",
                                 ["mapping.completed"], None, "", new_secret(), now)
        store.set_webhook_status(h["id"], "active", now)
    dead = store.create_webhook(f"http://127.0.0.1:{blackhole.getsockname()[1]}/h",
                                ["mapping.completed"], None, "", new_secret(), now)
    store.set_webhook_status(dead["id"], "active", now)
    worker = DeliveryWorker(store, WebhookSender(NetGuard(["127.0.0.0/8"]), timeout=15),
                            poll_s=0.01)
    # Latency: one event at a time, commit -> first 2xx at the first healthy endpoint.
    worker.start()
    port = healthy[0].server_address[1]
    lat = []
    for _ in range(20):
        t = time.time()
        [eid] = store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}], t)
        while f"{port}:{eid}" not in received:
            time.sleep(0.001)
        lat.append((received[f"{port}:{eid}"] - t) * 1000)
    # Throughput: a burst of events fanned out to ten endpoints, one of them dead.
    t0 = time.time()
    ids = store.enqueue_events([{"type": "mapping.completed", "orgId": "o"}] * args.events, t0)
    want = {f"{s.server_address[1]}:{i}" for s in healthy for i in ids}
    while not want <= received.keys():
        time.sleep(0.01)
        if time.time() - t0 > 300:
            break
    took = time.time() - t0
    worker.stop()
    got = len(want & received.keys())
    print(json.dumps({
        "latency_commit_to_2xx_ms": {"p50": round(statistics.median(lat), 1),
                                     "max": round(max(lat), 1)},
        "burst": {"events": args.events, "healthy_deliveries": got,
                  "expected": len(want), "seconds": round(took, 2),
                  "deliveries_per_s": round(got / took, 1),
                  "dead_endpoint_attempts": store.list_attempts(dead["id"], 1000, 0)[1]},
    }, indent=1))


if __name__ == "__main__":
    main()
