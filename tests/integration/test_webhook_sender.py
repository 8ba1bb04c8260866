"""Webhook signing (verified with the reference standardwebhooks library) and delivery
results against local receivers."""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from gcmap.adapters.netguard import NetGuard
from gcmap.adapters.webhooks import WebhookSender, new_secret
from gcmap.domain.events import RETRY_SCHEDULE_S, build_events, retry_delay
from gcmap.services.mapping import map_org
from gcsim import generate_org


class Receiver:
    """A loopback HTTP receiver answering with a fixed status; records what it got."""

    def __init__(self, status: int = 200, headers: str = "", delay: float = 0.0) -> None:
        self.status, self.headers, self.delay = status, headers, delay
        self.got: list[tuple[dict[str, str], bytes]] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                raw = b""
                while b"\r\n\r\n" not in raw:
                    raw += conn.recv(65536)
                head, _, body = raw.partition(b"\r\n\r\n")
                lines = head.decode().split("\r\n")[1:]
                hdrs = {k.lower(): v.strip() for k, v in (x.split(":", 1) for x in lines)}
                while len(body) < int(hdrs.get("content-length", 0)):
                    body += conn.recv(65536)
                self.got.append((hdrs, body))
                time.sleep(self.delay)
                with contextlib.suppress(OSError):
                    conn.sendall(f"HTTP/1.1 {self.status} X\r\n{self.headers}Content-Length: 0"
                                 "\r\nConnection: close\r\n\r\n".encode())

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def sender() -> WebhookSender:
    return WebhookSender(NetGuard(["127.0.0.0/8"]), timeout=1.0)


def test_signatures_verify_with_old_new_and_both_secrets(sender: WebhookSender) -> None:
    old, new = new_secret(), new_secret()
    r = Receiver()
    try:
        body = json.dumps({"type": "mapping.completed", "sequence": 1}).encode()
        res = sender.send(r.url, "msg_1", body, [new, old])
        assert res.outcome == "ok" and res.status == 200
        hdrs, got = r.got[0]
        assert got == body and hdrs["webhook-id"] == "msg_1"
        for holder in (old, new):  # a receiver holding either secret accepts it
            assert Webhook(holder).verify(got, hdrs)["sequence"] == 1
        only_new = sender.send(r.url, "msg_2", body, [new])
        assert only_new.outcome == "ok"
        hdrs2, got2 = r.got[1]
        Webhook(new).verify(got2, hdrs2)
        with pytest.raises(WebhookVerificationError):
            Webhook(old).verify(got2, hdrs2)
        with pytest.raises(WebhookVerificationError):  # a tampered body fails
            Webhook(new).verify(got2 + b" ", hdrs2)
    finally:
        r.close()


@pytest.mark.parametrize(("status", "headers", "outcome", "retry_after"), [
    (204, "", "ok", None), (410, "", "gone", None), (429, "Retry-After: 7\r\n", "retry", 7.0),
    (503, "Retry-After: 2\r\n", "retry", 2.0), (302, "Location: https://x.example/\r\n",
                                                "failed", None),
    (500, "", "failed", None)])
def test_results_are_classified(sender: WebhookSender, status: int, headers: str,
                                outcome: str, retry_after: float | None) -> None:
    r = Receiver(status, headers)
    try:
        res = sender.send(r.url, "m", b"{}", [new_secret()])
    finally:
        r.close()
    assert (res.outcome, res.status, res.retry_after) == (outcome, status, retry_after)
    assert len(r.got) == 1  # a redirect is never followed


def test_timeout_and_blocked_targets(sender: WebhookSender) -> None:
    slow = Receiver(200, delay=3)
    try:
        t0 = time.monotonic()
        res = sender.send(slow.url, "m", b"{}", [new_secret()])
        assert res.outcome == "failed" and res.error.startswith("timeout")
        assert time.monotonic() - t0 < 2.5
    finally:
        slow.close()
    strict = WebhookSender(NetGuard([]), timeout=1)
    res = strict.send("http://127.0.0.1:9/hook", "m", b"{}", [new_secret()])
    assert res.outcome == "failed" and "blocked" in res.error


def test_retry_schedule_with_jitter() -> None:
    rng = random.Random(3)
    delays = [retry_delay(n, rng) for n in range(1, 10)]
    assert delays[-1] is None and delays[0] == 0
    for d, base in zip(delays[:-1], RETRY_SCHEDULE_S, strict=True):
        assert d is not None and 0.8 * base <= d <= 1.2 * base


def test_events_from_two_mappings() -> None:
    org = generate_org("small", 8)
    first = map_org(org, environment="mypurecloud.com", generated_at="t1").document
    changed = json.loads(json.dumps(org))
    changed["/api/v2/routing/queues"][0]["name"] = "Renamed"
    q = changed["/api/v2/routing/queues"][10]
    q["directRouting"] = {"backupQueueId": q["id"]}  # a new failover weakness
    second = map_org(changed, environment="mypurecloud.com", generated_at="t2").document
    summary: dict[str, Any] = {"nodes": len(second["nodes"])}
    assert [e["type"] for e in build_events(None, first, mapping_id="m1", summary=summary,
                                            occurred_at="t1")][:1] == ["mapping.completed"]
    events = build_events(first, second, mapping_id="m2", summary=summary, occurred_at="t2")
    types = [e["type"] for e in events]
    assert types[:2] == ["mapping.completed", "graph.changed"]
    assert "failover.degraded" in types
    changed_ev = events[1]
    keys = {c["key"] for c in changed_ev["diff"]["nodesChanged"]}
    assert f"queue:{org['/api/v2/routing/queues'][0]['id']}" in keys
    flat = [k for step in changed_ev["createOrder"] for k in step]
    assert f"queue:{q['id']}" in flat
    degraded = next(e for e in events if e["type"] == "failover.degraded")
    assert any(f["rule"] == "failover.backup-queue-self" for f in degraded["findings"])
    assert all(e["mappingId"] == "m2" and e["occurredAt"] == "t2" for e in events)
