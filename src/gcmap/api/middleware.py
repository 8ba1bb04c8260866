"""Around every request: keys and body size first (BodyGuard), then the request id, the
content type, metrics, the log line and the audit record of every write."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gcmap.api.bodyguard import WRITE_METHODS, BodyGuard, RefusalLedger
from gcmap.api.errors import error_response
from gcmap.storage.common import audit_record

if TYPE_CHECKING:
    from gcmap.container import Container

__all__ = ["install_middleware"]

log = structlog.get_logger("gcmap.api")


def install_middleware(app: FastAPI, container: Container) -> RefusalLedger:
    """Add the request guard and the body guard; returns the refusal ledger (closed at
    shutdown, which writes the last minute's summaries)."""
    store, settings = container.store, container.settings

    def refused(address: str, minute: int, count: int, why: str) -> None:
        now = container.clock()
        store.append_audit(audit_record(
            now, actor_id=None, actor_name=None, action="auth.refused", target="/api",
            outcome=401, source=address,
            details={"minute": datetime.fromtimestamp(minute * 60, UTC).isoformat(),
                     "count": count, "kind": "first of the minute" if why != "summary"
                     else "minute summary", "reason": why}), now)

    def find_key(token: str) -> dict[str, Any] | None:
        key = app.state.keys.find(token)
        return key if key is not None and not key["revoked"] else None

    ledger = RefusalLedger(refused, container.clock)
    app.state.refusals = ledger

    app.add_middleware(RequestGuard, container=container)

    # Outermost: keys checked and bodies bounded before anything reads a byte of a body.
    app.add_middleware(BodyGuard, limit=settings.max_request_bytes, find_key=find_key,
                       ledger=ledger)
    return ledger


class RequestGuard:
    """The request id, the content-type check of writes, metrics, the log line and the
    audit record of every write, as plain ASGI (no extra task or body copy per request, as
    a ``BaseHTTPMiddleware`` would add to every read)."""

    def __init__(self, app: ASGIApp, *, container: Container) -> None:
        self.app, self.container = app, container

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        state = scope.setdefault("state", {})
        request_id = headers.get("x-request-id") or secrets.token_hex(8)
        state["request_id"], state["actor"] = request_id, None
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = [500]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode("latin-1"))]
            await send(message)

        method = scope["method"]
        length = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        try:
            if method in WRITE_METHODS and (length not in (None, "0") or chunked) and \
                    not headers.get("content-type", "").startswith("application/json"):
                await error_response(415, "unsupported_media_type",
                                     "send the body as application/json")(
                    scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            await self._after(scope, state, method, status[0], t0)

    async def _after(self, scope: Scope, state: dict[str, Any], method: str, status: int,
                     t0: float) -> None:
        c = self.container
        label = getattr(scope.get("route"), "path", "unmatched")
        c.metrics.http.labels(method, label, str(status)).inc()
        c.metrics.http_latency.labels(label).observe(time.perf_counter() - t0)
        if method in WRITE_METHODS:
            actor = state.get("actor") or {}
            now = c.clock()
            client = scope.get("client")
            record = audit_record(
                now, actor_id=actor.get("id"), actor_name=actor.get("name"),
                action=f"{method} {label}", target=scope["path"], outcome=status,
                request_id=state["request_id"], source=client[0] if client else None,
                latency_ms=(time.perf_counter() - t0) * 1000,
                # What a route says the action touched (the org a mapping was started for).
                details=state.get("audit_details"))
            # A database write: off the event loop, so other requests keep being served.
            await run_in_threadpool(c.store.append_audit, record, now)
        log.info("http request", method=method, route=label, status=status)
        structlog.contextvars.unbind_contextvars("request_id")
