"""API keys: authentication, scopes and a per-key rate limit."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from gcmap.api.bodyguard import RESOLVED_KEY
from gcmap.api.errors import ApiError

if TYPE_CHECKING:
    from gcmap.container import Container

__all__ = ["Admin", "AuditRead", "KeyLimiter", "Read", "Write", "require"]


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


def require(scope: str) -> Callable[[Request], dict[str, Any]]:
    """A dependency: the request's API key, checked for ``scope`` and its rate limit."""

    def check(request: Request) -> dict[str, Any]:
        container: Container = request.app.state.container
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise ApiError(401, "unauthorized", "send an API key as Authorization: Bearer "
                           "<key>; create one with 'gcmap apikey create'",
                           {"WWW-Authenticate": "Bearer"})
        key = (request.scope.get("state", {}).get(RESOLVED_KEY)
               or container.store.find_api_key(header[7:].strip()))
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
