"""API keys: authentication, scopes and a per-key rate limit."""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from gcmap.api.bodyguard import RESOLVED_KEY
from gcmap.api.deps import held_or_found
from gcmap.api.errors import ApiError
from gcmap.services.lru import TtlCache

__all__ = ["Admin", "AuditRead", "KeyCache", "KeyLimiter", "Read", "Write", "require"]


class KeyCache(TtlCache[dict[str, Any]]):
    """API keys looked up in the store at most once per ``ttl_s`` per secret.

    Each request otherwise costs a database query for its key. Keys are revoked from the
    CLI (another process), so a revoked key keeps working for at most ``ttl_s`` in a
    running service; 0 turns the cache off. Secrets are held only as their SHA-256, like
    the store keeps them.
    """

    def __init__(self, find: Callable[[str], dict[str, Any] | None], ttl_s: float,
                 clock: Callable[[], float], size: int = 1024) -> None:
        super().__init__(find, ttl_s, clock, size,
                         token=lambda secret: hashlib.sha256(secret.encode()).hexdigest())


class KeyLimiter:
    """A token bucket per API key: ``rate`` per minute, 10 s of burst."""

    def __init__(self, rate_per_min: float, clock: Callable[[], float]) -> None:
        self.rate, self.burst, self.clock = rate_per_min / 60, max(1.0, rate_per_min / 6), clock
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> int:
        """0 when allowed, else seconds to wait."""
        with self._lock:
            now = self.clock()
            level, last = self._state.get(key_id, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            if level >= 1:
                self._state[key_id] = (level - 1, now)
                return 0
            self._state[key_id] = (level, now)
            return max(1, math.ceil((1 - level) / self.rate))


def require(scope: str) -> Callable[[Request], Awaitable[dict[str, Any]]]:
    """A dependency: the request's API key, checked for ``scope`` and its rate limit."""

    async def check(request: Request) -> dict[str, Any]:
        # On the event loop: a key held in the cache costs no thread hop, only a key the
        # store must be asked for does.
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise ApiError(401, "unauthorized", "send an API key as Authorization: Bearer "
                           "<key>; create one with 'gcmap apikey create'",
                           {"WWW-Authenticate": "Bearer"})
        keys: KeyCache = request.app.state.keys
        key: dict[str, Any] | None = request.scope.get("state", {}).get(RESOLVED_KEY)
        if key is None:
            key = await held_or_found(keys, header[7:].strip())
        if key is None or key["revoked"]:
            raise ApiError(401, "unauthorized", "unknown or revoked API key",
                           {"WWW-Authenticate": "Bearer"})
        request.state.actor = key
        if scope not in key["scopes"] and "admin" not in key["scopes"]:
            raise ApiError(403, "forbidden", f"this API key lacks the {scope} scope")
        wait = request.app.state.limiter.take(key["id"])
        if wait:
            raise ApiError(429, "rate_limited", f"too many requests; retry in {wait} s",
                           {"Retry-After": str(wait)})
        return key
    return check


# Module level, so FastAPI can resolve them from the (postponed) annotations.
Read = Annotated[dict[str, Any], Depends(require("mappings:read"))]
Write = Annotated[dict[str, Any], Depends(require("mappings:write"))]
AuditRead = Annotated[dict[str, Any], Depends(require("audit:read"))]
Admin = Annotated[dict[str, Any], Depends(require("webhooks:admin"))]
