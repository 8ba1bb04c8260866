"""Webhook delivery from the outbox: lease, sign, send, record, back off, disable.

At-least-once: a delivery leased by a process that dies is retried by another once its
lease expires, with the same event id (``webhook-id``) and the same body, so receivers can
de-duplicate; ``sequence`` orders events per org.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from gcmap.domain.events import retry_delay
from gcmap.storage.common import audit_record
from gcmap.storage.protocol import Store

__all__ = ["DeliveryWorker", "SenderPort", "verify_endpoint"]

log = logging.getLogger("gcmap.webhooks")


class SenderPort(Protocol):
    def send(self, url: str, msg_id: str, body: bytes, secrets_: list[str]) -> Any: ...


class DeliveryWorker:
    """Claims due deliveries and sends them, in a daemon thread."""

    def __init__(self, store: Store, sender: SenderPort, clock: Callable[[], float] = time.time,
                 rng: random.Random | None = None, lease_s: float = 60.0, poll_s: float = 0.5,
                 on_result: Callable[[str, dict[str, Any]], None] | None = None,
                 concurrency: int = 8) -> None:
        self.store, self.sender, self.clock = store, sender, clock
        self.rng = rng or random.Random()
        self.lease_s, self.poll_s = lease_s, poll_s
        self.owner = f"delivery-{secrets.token_hex(4)}"
        self.on_result = on_result or (lambda outcome, fields: None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._concurrency = concurrency
        self._in_flight = 0
        self._busy: set[str] = set()  # endpoints with an attempt in flight
        self._count = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=concurrency,
                                        thread_name_prefix="gcmap-deliver")

    def run_once(self, limit: int = 32, wait: bool = True) -> int:
        """Send what is due now, several endpoints in parallel; returns the attempts started.

        With ``wait=False`` (the loop) attempts run in the background, so an endpoint that
        never answers holds one sending thread, not the whole worker.
        """
        free = self._concurrency - self._in_flight
        if free <= 0:
            return 0
        with self._count:
            busy = frozenset(self._busy)
        batch = self.store.claim_deliveries(self.owner, self.lease_s, self.clock(),
                                            min(limit, free), exclude=busy)
        with self._count:
            self._in_flight += len(batch)
            self._busy.update(d["webhookId"] for d in batch)
        futures = [self._pool.submit(self._attempt_counted, d) for d in batch]
        if wait:
            for f in futures:
                f.result()
        return len(batch)

    def _attempt_counted(self, d: dict[str, Any]) -> None:
        try:
            self._attempt(d)
        finally:
            with self._count:
                self._in_flight -= 1
                self._busy.discard(d["webhookId"])

    def _attempt(self, d: dict[str, Any]) -> None:
        result = self.sender.send(d["url"], d["eventId"], d["body"].encode(), d["secrets"])
        now = self.clock()
        attempt = d["attempts"] + 1
        next_at: float | None = None
        if result.outcome == "retry" and result.retry_after is not None:
            next_at = now + result.retry_after  # the receiver said when
        elif result.outcome in ("retry", "failed"):
            delay = retry_delay(attempt + 1, self.rng)
            next_at = None if delay is None else now + delay
        reason = self.store.record_attempt(
            d["id"], self.owner, outcome="ok" if result.outcome == "ok" else result.outcome,
            status=result.status, latency_ms=result.latency_ms, error=result.error, now=now,
            next_attempt_at=next_at)
        self.on_result(result.outcome, {"webhookId": d["webhookId"], "eventId": d["eventId"],
                                        "latencyMs": result.latency_ms, "disabled": reason})
        if reason:
            log.warning("webhook %s disabled: %s", d["webhookId"], reason)
            self.store.append_audit(audit_record(
                now, actor_id=self.owner, actor_name="webhook delivery",
                action="webhook.disable", target=f"webhook:{d['webhookId']}",
                outcome="disabled", details={"reason": reason, "lastStatus": result.status}),
                now)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name=self.owner)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(10)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once(wait=False)
            except Exception:
                log.exception("delivery loop failed")
                busy = 0
            if not busy:
                self._stop.wait(self.poll_s)


def verify_endpoint(store: Store, sender: SenderPort, webhook_id: str, url: str,
                    clock: Callable[[], float] = time.time) -> tuple[bool, str]:
    """Send ``webhook.verification`` with a challenge; the endpoint becomes active only when
    it answers 2xx echoing ``{"challenge": ...}``. Never raises (it runs in a thread)."""
    try:
        return _verify(store, sender, webhook_id, url, clock)
    except Exception as exc:
        log.exception("verification of webhook %s failed", webhook_id)
        return False, f"{type(exc).__name__}: {exc}"


def _verify(store: Store, sender: SenderPort, webhook_id: str, url: str,
            clock: Callable[[], float]) -> tuple[bool, str]:
    challenge = secrets.token_urlsafe(24)
    body = json.dumps({"type": "webhook.verification", "challenge": challenge,
                       "webhookId": webhook_id}, separators=(",", ":")).encode()
    result = sender.send(url, "msg_verify_" + secrets.token_hex(8), body,
                         store.webhook_secrets(webhook_id, clock()))
    ok = False
    why = result.error or f"HTTP {result.status}"
    if result.outcome == "ok":
        try:
            ok = json.loads(result.body or b"{}").get("challenge") == challenge
        except (ValueError, AttributeError):
            ok = False
        why = "verified" if ok else "answered 2xx without echoing the challenge"
    store.set_webhook_status(webhook_id, "active" if ok else "pending", clock(),
                             None if ok else f"verification failed: {why}")
    return ok, why
