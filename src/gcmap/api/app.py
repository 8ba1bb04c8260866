"""The HTTP API (FastAPI): the composition of its routers, middleware and error handlers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import Depends, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from gcmap.api import heap
from gcmap.api.auth import KeyCache, KeyLimiter
from gcmap.api.deps import GZIP_LEVEL, GZIP_MIN_BYTES, ResponseCache
from gcmap.api.docs import install_docs
from gcmap.api.errors import install_handlers, refuse_unknown_query
from gcmap.api.middleware import install_middleware
from gcmap.api.routes import graph, mappings, orgs, service, system, views
from gcmap.api.webhooks import install_webhook_routes
from gcmap.container import Container
from gcmap.services.lru import TtlCache
from gcmap.services.snapshots import SnapshotCache
from gcmap.storage.protocol import FINISHED

__all__ = ["create_app"]


def create_app(container: Container, *, start_workers: bool = True) -> FastAPI:
    """Build the app around a container (store, reader, settings, metrics)."""
    settings = container.settings

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if start_workers:
            container.start_workers()
        heap.settle()
        yield
        container.stop_workers()
        app.state.refusals.close()

    app = FastAPI(title="gcmap", version="0.1.0", lifespan=lifespan, docs_url=None,
                  redoc_url=None,
                  dependencies=[Depends(refuse_unknown_query)],
                  description="Dependency mapping, validation and failover checks for Genesys "
                              "Cloud orgs. Authenticate with `Authorization: Bearer <key>`.")
    app.state.container = container
    app.state.limiter = KeyLimiter(settings.api_rate_per_min, container.clock)
    app.state.keys = KeyCache(lambda secret: container.store.find_api_key(secret),
                              settings.api_key_cache_s, container.clock)
    # A finished run changes only by being deleted (retention), so reads
    # of it take the record from here for a few seconds instead of from the database.
    app.state.runs = TtlCache(container.store.get_run, settings.run_cache_s, container.clock,
                              4096, keep=lambda run: run is not None
                              and run["status"] in FINISHED)
    app.state.snapshots = SnapshotCache(container.store.get_snapshot_bytes,
                                        settings.snapshot_cache_mb * 1024 * 1024,
                                        on_grow=heap.settle)
    app.state.responses = ResponseCache(64 * 1024 * 1024)
    install_handlers(app)
    install_middleware(app, container)
    # Outermost: compresses what every other layer produced (a document already sent
    # compressed from the snapshot cache passes through as it is).
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    app.include_router(system.router)
    app.mount("/ui/static", StaticFiles(directory=system.STATIC), name="ui-static")
    app.include_router(mappings.router)
    app.include_router(graph.router)
    app.include_router(service.router)
    app.include_router(orgs.router)
    app.include_router(views.router)
    install_webhook_routes(app)
    install_docs(app)
    return app
