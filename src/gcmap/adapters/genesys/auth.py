"""OAuth client credentials with expiry, renewal and a pool of tokens."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from gcmap.adapters.genesys.errors import AuthError
from gcmap.adapters.genesys.transport import Transport, TransportError

__all__ = ["TokenPool", "login_url"]


def login_url(api_base: str) -> str:
    """The token endpoint for an API base URL (``//api.`` becomes ``//login.``, as the SDK
    does; a base without ``api.`` keeps its host, as gcsim's)."""
    return re.sub(r"//api\.", "//login.", api_base.rstrip("/"), count=1) + "/oauth/token"


@dataclass
class _Slot:
    value: str = ""
    expires_at: float = 0.0
    renewals: int = 0


class TokenPool:
    """``size`` access tokens for one OAuth client; each renewed on its own, single-flight.

    The platform's request limit counts per token, so several tokens (``--tokens N``) give
    several budgets. A token is renewed ``margin`` before ``expires_in`` runs out, and once
    when the API answers 401 with it.
    """

    def __init__(self, transport: Transport, api_base: str, client_id: str,
                 client_secret: str, size: int = 1, clock: Callable[[], float] = time.monotonic,
                 ) -> None:
        if size < 1:
            raise ValueError("the token pool needs at least one token")
        self.transport, self.url, self.clock = transport, login_url(api_base), clock
        self._basic = "Basic " + base64.b64encode(
            f"{client_id}:{client_secret}".encode()).decode()
        self._slots = [_Slot() for _ in range(size)]
        self._locks = [threading.Lock() for _ in range(size)]

    @property
    def size(self) -> int:
        return len(self._slots)

    @property
    def renewals(self) -> int:
        return sum(s.renewals for s in self._slots)

    def token(self, slot: int) -> str:
        """A valid token for ``slot``, fetching or renewing it if needed."""
        s = self._slots[slot]
        if s.value and self.clock() < s.expires_at:
            return s.value
        with self._locks[slot]:
            if not s.value or self.clock() >= s.expires_at:
                self._fetch(s)
            return s.value

    def invalidate(self, slot: int, failed: str) -> str:
        """The API refused ``failed`` with 401: renew once, unless another thread already
        did; returns the token to retry with."""
        s = self._slots[slot]
        with self._locks[slot]:
            if s.value == failed:
                self._fetch(s)
            return s.value

    def _fetch(self, s: _Slot) -> None:
        try:
            resp = self.transport.request(
                "POST", self.url, {"Authorization": self._basic, "Accept": "application/json"},
                fields={"grant_type": "client_credentials"})
        except TransportError as exc:
            raise AuthError(f"cannot reach the login service at {self.url} ({exc.kind}): "
                            "check GENESYS_ENVIRONMENT or GENESYS_API_BASE_URL and the "
                            "network") from exc
        if resp.status in (400, 401):
            raise AuthError("the login service refused the client credentials "
                            f"(HTTP {resp.status}): check GENESYS_CLIENT_ID and "
                            "GENESYS_CLIENT_SECRET, and that the OAuth client uses the "
                            "Client Credentials grant in this region")
        if resp.status != 200:
            raise AuthError(f"the login service answered HTTP {resp.status} at {self.url}")
        try:
            body = json.loads(resp.data)
            value = str(body["access_token"])
            ttl = float(body.get("expires_in") or 86400)
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthError(f"unexpected token response from {self.url}") from exc
        # Renew a little early so a long crawl never sends an expired token.
        margin = min(300.0, ttl * 0.1)
        s.value, s.expires_at = value, self.clock() + ttl - margin
        s.renewals += 1
