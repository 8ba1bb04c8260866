"""Outbound webhook delivery: Standard Webhooks v1 signatures, guarded connections, results
classified for the retry policy."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from gcmap.adapters.genesys.transport import parse_retry_after
from gcmap.adapters.netguard import BlockedAddress, NetGuard
from gcmap.adapters.outbound import ResponseTimeout, request_guarded

__all__ = ["DeliveryResult", "WebhookSender", "new_secret", "sign"]

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A ``whsec_`` secret: 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64 HMAC-SHA256>`` signature of ``id.timestamp.body``."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


@dataclass(frozen=True)
class DeliveryResult:
    """One attempt: ``outcome`` is ok, gone (410), retry (with ``retry_after``) or failed."""

    outcome: str
    status: int | None
    latency_ms: float
    error: str = ""
    retry_after: float | None = None
    body: bytes = b""


class WebhookSender:
    """POSTs signed events; never follows redirects, 15 s timeout by default."""

    def __init__(self, guard: NetGuard, timeout: float = 15.0,
                 clock: Callable[[], float] = time.time,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.guard, self.timeout, self.clock = guard, timeout, clock
        self.ssl_context = ssl_context or ssl.create_default_context()

    def send(self, url: str, msg_id: str, body: bytes, secrets_: list[str]) -> DeliveryResult:
        """One attempt. The signature header carries one signature per secret (rotation)."""
        t0 = time.perf_counter()
        ts = int(self.clock())

        def done(outcome: str, status: int | None, error: str = "",
                 retry_after: float | None = None, data: bytes = b"") -> DeliveryResult:
            return DeliveryResult(outcome, status, round((time.perf_counter() - t0) * 1000, 1),
                                  error, retry_after, data)

        try:
            target = self.guard.check(url)
        except BlockedAddress as exc:
            return done("failed", None, f"blocked: {exc}")
        except OSError as exc:
            return done("failed", None, f"dns: {exc}")
        headers = {
            "Content-Type": "application/json", "User-Agent": "gcmap-webhooks/1",
            "webhook-id": msg_id, "webhook-timestamp": str(ts),
            "webhook-signature": " ".join(sign(s, msg_id, ts, body) for s in secrets_)}
        path = target.path + (f"?{url.split('?', 1)[1]}" if "?" in url else "")
        try:
            resp = request_guarded(target, "POST", timeout=self.timeout,
                                   ssl_context=self.ssl_context, path=path, headers=headers,
                                   body=body)
        except ResponseTimeout:
            return done("failed", None, "timeout: no answer within "
                        f"{self.timeout:.0f} s")
        except TimeoutError:
            return done("failed", None, "timeout: connect")
        except OSError as exc:  # ConnectFailed, TlsFailed, ResponseFailed
            return done("failed", None, f"connect: {exc}")
        data = resp.body
        status = resp.status
        if 200 <= status < 300:
            return done("ok", status, data=data)
        if status == 410:
            return done("gone", status, "410 Gone: the endpoint asked to be removed")
        if status in (429, 503):
            wait = parse_retry_after(resp.header("Retry-After"))
            return done("retry", status, f"HTTP {status}", wait)
        if 300 <= status < 400:
            return done("failed", status, f"HTTP {status} redirect (not followed)")
        return done("failed", status, f"HTTP {status}")
