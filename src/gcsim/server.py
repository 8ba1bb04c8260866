"""Run gcsim in a background thread (tests, demos) or in the foreground (``gcsim serve``)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from gcsim.app import SimConfig, SimState, create_app

__all__ = ["SimServer"]


class SimServer:
    """A gcsim instance on 127.0.0.1, started in a daemon thread.

    Example:
        with SimServer(generate_org("small")) as sim:
            print(sim.base_url)
    """

    def __init__(self, org: dict[str, Any], config: SimConfig | None = None, port: int = 0,
                 host: str = "127.0.0.1") -> None:
        self.state = SimState(org, config)
        self.app = create_app(self.state)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this: without it, small responses wait on delayed ACKs.
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        cfg = uvicorn.Config(self.app, log_level="critical", access_log=False,
                             timeout_graceful_shutdown=1, lifespan="off",
                             timeout_keep_alive=30)
        self._server = uvicorn.Server(cfg)
        self._thread: threading.Thread | None = None
        # Injected resets and hangs are the point of gcsim; their tracebacks are noise.
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SimServer:
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._sock]}, daemon=True,
                                        name="gcsim")
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("gcsim did not start within 10 s")
            time.sleep(0.01)
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self._server.run(sockets=[self._sock])

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread:
            self._thread.join(timeout=5)
        self._sock.close()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
