"""The one way gcmap sends an HTTP request to a URL someone gave it (probes, webhooks).

The host is resolved and checked by the NetGuard first and the socket connects to that
checked address (never re-resolving); timeouts bound the connect, the handshake and the
answer; redirects are never followed (the caller sees the 3xx). An import-linter contract
keeps every other module of probes, webhooks and services off sockets.
"""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from gcmap.adapters.netguard import GuardedTarget, open_guarded

__all__ = ["GuardedResponse", "ResponseFailed", "ResponseTimeout", "host_header",
           "request_guarded"]


class ResponseTimeout(TimeoutError):
    """Connected, but the answer did not come within the timeout."""


class ResponseFailed(OSError):
    """Connected, but what came back was not an HTTP answer (reset, garbage)."""


@dataclass(frozen=True)
class GuardedResponse:
    """Status, headers (lower-case names) and at most ``read_limit`` bytes of body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def host_header(target: GuardedTarget) -> str:
    """The Host header: the name, with the port unless it is the scheme's default."""
    return target.host if target.port in (80, 443) else f"{target.host}:{target.port}"


def request_guarded(target: GuardedTarget, method: str, *, timeout: float,
                    ssl_context: ssl.SSLContext, path: str | None = None,
                    headers: Mapping[str, str] | None = None, body: bytes = b"",
                    read_limit: int = 65536,
                    on_connected: Callable[[], None] | None = None) -> GuardedResponse:
    """Send one request to a checked target and read the answer.

    Raises:
        TimeoutError: connecting or the TLS handshake took longer than ``timeout``.
        ResponseTimeout: the answer took longer than ``timeout``.
        ConnectFailed, TlsFailed: from ``open_guarded``.
        ResponseFailed: the connection broke, or the answer was not HTTP.
    """
    sock = open_guarded(target, timeout, ssl_context, on_connected=on_connected)
    try:
        hdrs = {"Host": host_header(target), **(headers or {}), "Connection": "close"}
        if body or method in ("POST", "PUT", "PATCH"):
            hdrs["Content-Length"] = str(len(body))
        head = "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
        sock.sendall(f"{method} {path or target.path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        resp = http.client.HTTPResponse(sock, method=method)
        resp.begin()
        data = resp.read(read_limit) if method != "HEAD" else b""
        return GuardedResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                               data)
    except TimeoutError as exc:
        raise ResponseTimeout(str(exc) or "timed out") from exc
    except (http.client.HTTPException, OSError) as exc:
        raise ResponseFailed(str(exc) or type(exc).__name__) from exc
    finally:
        sock.close()
