"""Simulated third-party services that an org's data actions call (for demos and tests).

Genesys orgs depend on services outside Genesys; gcsim's generated hosts do not exist, so
``ExternalServices`` starts small loopback HTTP servers that behave like real ones (fast,
slow, failing, down) and points the org's data-action URL templates at them.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["BEHAVIOURS", "ExternalServices"]

BEHAVIOURS = ("fast", "fast", "slow", "error", "down")


def _handler(behaviour: str, delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _answer(self) -> None:
            if behaviour == "slow":
                time.sleep(delay)
            self.send_response(503 if behaviour == "error" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET = do_POST = _answer

    return Handler


class ExternalServices:
    """One loopback server per behaviour; ``down`` is a port nobody listens on."""

    def __init__(self, slow_delay: float = 1.5) -> None:
        self.servers: list[ThreadingHTTPServer] = []
        self.ports: dict[str, int] = {}
        for b in dict.fromkeys(BEHAVIOURS):
            if b == "down":
                with socket.socket() as s:
                    s.bind(("127.0.0.1", 0))
                    self.ports[b] = s.getsockname()[1]
                continue
            srv = ThreadingHTTPServer(("127.0.0.1", 0), _handler(b, slow_delay))
            self.servers.append(srv)
            self.ports[b] = srv.server_address[1]

    def __enter__(self) -> ExternalServices:
        for srv in self.servers:
            threading.Thread(target=srv.serve_forever, daemon=True).start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        for srv in self.servers:
            srv.shutdown()
            srv.server_close()

    def attach(self, org: dict[str, Any]) -> dict[str, str]:
        """Point each data-action host of ``org`` at a simulated service (in place);
        returns original host -> behaviour."""
        hosts: dict[str, str] = {}
        for action in org.get("/api/v2/integrations/actions", []):
            req = (action.get("config") or {}).get("request") or {}
            url = req.get("requestUrlTemplate")
            if not url:
                continue
            parts = urlsplit(url)
            behaviour = hosts.setdefault(parts.netloc,
                                         BEHAVIOURS[len(hosts) % len(BEHAVIOURS)])
            req["requestUrlTemplate"] = urlunsplit(
                ("http", f"127.0.0.1:{self.ports[behaviour]}", parts.path, parts.query, ""))
        return hosts
