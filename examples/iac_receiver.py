"""An example gcmap webhook receiver for an IaC pipeline (CX as Code / Terraform, Archy).

It answers the verification challenge, checks every signature with the reference
Standard Webhooks library, drops duplicates (same webhook-id) and stale events (a sequence
not above the last one seen for the org), and prints what a pipeline would do.

    GCMAP_WEBHOOK_SECRET=whsec_... python examples/iac_receiver.py --port 9000

Register it with gcmap (``POST /api/v1/webhooks``), then put the secret it returns in
GCMAP_WEBHOOK_SECRET and restart the receiver. Until it has the secret it only answers the
challenge.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


class Receiver:
    """State shared by the handler threads."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets = secrets
        self.seen_ids: set[str] = set()
        self.last_sequence: dict[str, int] = {}
        self.accepted: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def verify(self, body: bytes, headers: dict[str, str]) -> dict[str, Any] | None:
        for secret in self.secrets:
            try:
                return dict(Webhook(secret).verify(body, headers))
            except WebhookVerificationError:
                continue
        return None

    def plan(self, event: dict[str, Any]) -> str:
        """What an IaC pipeline would do with the event."""
        kind = event["type"]
        if kind == "graph.changed":
            d = event["diff"]
            steps = [", ".join(s) for s in event.get("createOrder", [])][:5]
            return (f"re-export CX as Code for org {event['orgId']}: "
                    f"{len(d['nodesAdded'])} added, {len(d['nodesRemoved'])} removed, "
                    f"{len(d['nodesChanged'])} changed; apply in order: {' | '.join(steps)}")
        if kind in ("validation.failed", "failover.degraded"):
            rules = sorted({f["rule"] for f in event.get("findings", [])})
            return f"block the next terraform apply: {kind} ({', '.join(rules)})"
        if kind == "mapping.failed":
            return f"alert: mapping {event['mappingId']} failed: {event.get('error')}"
        return f"record mapping {event['mappingId']} ({event['summary'].get('nodes')} objects)"


def make_handler(state: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            payload = json.loads(body or b"{}")
            if payload.get("type") == "webhook.verification":
                self._answer(200, {"challenge": payload.get("challenge")})
                return
            event = state.verify(body, headers)
            if event is None:
                self._answer(401, {"error": "bad signature"})
                return
            with state.lock:
                msg_id = headers["webhook-id"]
                org = str(event.get("orgId"))
                if msg_id in state.seen_ids or event["sequence"] <= state.last_sequence.get(
                        org, 0):
                    self._answer(200, {"duplicate": True})
                    return
                state.seen_ids.add(msg_id)
                state.last_sequence[org] = event["sequence"]
                state.accepted.append(event)
            print(f"[{event['sequence']}] {event['type']}: {state.plan(event)}", flush=True)
            self._answer(200, {"ok": True})

    return Handler


def serve(port: int, secrets: list[str]) -> tuple[ThreadingHTTPServer, Receiver]:
    state = Receiver(secrets)
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    return server, state


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=9000)
    args = ap.parse_args()
    keys = [s for s in os.environ.get("GCMAP_WEBHOOK_SECRET", "").split(",") if s]
    httpd, _ = serve(args.port, keys)
    print(f"listening on http://127.0.0.1:{args.port}/ with {len(keys)} secret(s)")
    httpd.serve_forever()
