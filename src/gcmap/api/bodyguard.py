"""Memory is bounded before anyone is trusted: the API key is checked before a body is read,
and a body is read only up to the limit, whatever its framing (Content-Length or chunked).

Refusals of unknown keys are counted per address and minute: the first of each minute is
audited at once and the rest as one summary record, and an address past
``refusals_per_min`` is answered 429 without further work, so a flood of bogus requests can
neither fill memory nor grow the audit log without bound.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["RESOLVED_KEY", "WRITE_METHODS", "BodyGuard", "RefusalLedger"]

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Where the guard leaves the API key it resolved, in the request scope's state.
RESOLVED_KEY = "gcmap_api_key"


class RefusalLedger:
    """Counts refused requests per (address, minute) and writes bounded audit records."""

    def __init__(self, write: Callable[[str, int, int, str], None],
                 clock: Callable[[], float], refusals_per_min: int = 60) -> None:
        self._write, self._clock, self.limit = write, clock, refusals_per_min
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def refuse(self, address: str, why: str) -> bool:
        """Record one refusal; False when the address is over its limit this minute."""
        minute = int(self._clock() // 60)
        flush: list[tuple[str, int, int]] = []
        with self._lock:
            for (addr, m), n in list(self._counts.items()):
                if m < minute:  # a finished minute: its summary, once
                    del self._counts[(addr, m)]
                    if n > 1:
                        flush.append((addr, m, n))
            n = self._counts.get((address, minute), 0) + 1
            self._counts[(address, minute)] = n
        for addr, m, count in flush:
            self._write(addr, m, count, "summary")
        if n == 1:
            self._write(address, minute, 1, why)
        return n <= self.limit

    def close(self) -> None:
        """Write the summaries of minutes still open (at shutdown)."""
        with self._lock:
            items, self._counts = list(self._counts.items()), {}
        for (addr, m), n in items:
            if n > 1:
                self._write(addr, m, n, "summary")


class BodyGuard:
    """ASGI middleware in front of the API's write routes."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], *, limit: int,
                 find_key: Callable[[str], dict[str, Any] | None],
                 ledger: RefusalLedger) -> None:
        self.app, self.limit, self.find_key, self.ledger = app, limit, find_key, ledger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in WRITE_METHODS
                or not str(scope["path"]).startswith("/api/")):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        key = self.find_key(token) if token else None
        if key is None:
            address = (scope.get("client") or ("unknown", 0))[0]
            if not self.ledger.refuse(address, "missing key" if not token else "unknown key"):
                await _answer(send, 429, "rate_limited", "too many refused requests from "
                              "this address; retry in a minute", {"Retry-After": "60"})
                return
            await _answer(send, 401, "unauthorized", "send a valid API key as "
                          "Authorization: Bearer <key>; create one with 'gcmap apikey create'",
                          {"WWW-Authenticate": "Bearer"})
            return
        # The route's scope check reuses this key rather than looking it up again.
        scope.setdefault("state", {})[RESOLVED_KEY] = key
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            await _answer(send, 413, "too_large", f"request body over {self.limit} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:  # stop reading: the rest of a huge body is never held
                await _answer(send, 413, "too_large", f"request body over {self.limit} bytes")
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer(send: Send, status: int, code: str, message: str,
                  headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close")]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
