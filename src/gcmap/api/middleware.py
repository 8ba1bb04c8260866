"""Around every request: keys and body size first (BodyGuard), then the request id, the
content type, metrics, the log line and the audit record of every write."""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

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
    store, settings, metrics = container.store, container.settings, container.metrics

    def refused(address: str, minute: int, count: int, why: str) -> None:
        now = container.clock()
        store.append_audit(audit_record(
            now, actor_id=None, actor_name=None, action="auth.refused", target="/api",
            outcome=401, source=address,
            details={"minute": datetime.fromtimestamp(minute * 60, UTC).isoformat(),
                     "count": count, "kind": "first of the minute" if why != "summary"
                     else "minute summary", "reason": why}), now)

    def find_key(token: str) -> dict[str, Any] | None:
        key = store.find_api_key(token)
        return key if key is not None and not key["revoked"] else None

    ledger = RefusalLedger(refused, container.clock)
    app.state.refusals = ledger

    @app.middleware("http")
    async def guard(request: Request,
                    call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        t0 = time.perf_counter()
        request.state.request_id = request.headers.get("x-request-id") or secrets.token_hex(8)
        request.state.actor = None
        structlog.contextvars.bind_contextvars(request_id=request.state.request_id)
        response: Response
        length = request.headers.get("content-length")
        chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
        if request.method in WRITE_METHODS and (length not in (None, "0") or chunked) and \
                not request.headers.get("content-type", "").startswith("application/json"):
            response = error_response(415, "unsupported_media_type",
                                      "send the body as application/json")
        else:
            response = await call_next(request)
        response.headers["X-Request-Id"] = request.state.request_id
        route = request.scope.get("route")
        label = getattr(route, "path", "unmatched")
        metrics.http.labels(request.method, label, str(response.status_code)).inc()
        metrics.http_latency.labels(label).observe(time.perf_counter() - t0)
        if request.method in WRITE_METHODS:
            actor = request.state.actor or {}
            now = container.clock()
            record = audit_record(
                now, actor_id=actor.get("id"), actor_name=actor.get("name"),
                action=f"{request.method} {label}", target=request.url.path,
                outcome=response.status_code, request_id=request.state.request_id,
                source=request.client.host if request.client else None,
                latency_ms=(time.perf_counter() - t0) * 1000,
                # What a route says the action touched (the org a mapping was started for).
                details=getattr(request.state, "audit_details", None))
            # A database write: off the event loop, so other requests keep being served.
            await run_in_threadpool(store.append_audit, record, now)
        log.info("http request", method=request.method, route=label,
                 status=response.status_code)
        structlog.contextvars.unbind_contextvars("request_id")
        return response

    # Outermost: keys checked and bodies bounded before anything reads a byte of a body.
    app.add_middleware(BodyGuard, limit=settings.max_request_bytes, find_key=find_key,
                       ledger=ledger)
    return ledger
