"""What every router needs: the container, the documented error statuses, and lookups of a
mapping's run, document and graph (404 and 409 as the API promises)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from gcmap.api.errors import ApiError

if TYPE_CHECKING:
    from gcmap.container import Container
    from gcmap.domain.graph import DependencyGraph

__all__ = ["AUTH", "Ctx", "document_of", "graph_of", "public_run", "run_or_404"]

AUTH = (401, 403, 422, 429)


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


Ctx = Annotated["Container", Depends(_container)]


def run_or_404(c: Container, run_id: str) -> dict[str, Any]:
    """The run, or 404."""
    run = c.store.get_run(run_id)
    if run is None:
        raise ApiError(404, "not_found", f"no mapping {run_id}")
    return run


def _snapshot_hash(request: Request, run_id: str) -> str:
    """The snapshot of a succeeded run, or 404 / 409."""
    run = run_or_404(request.app.state.container, run_id)
    if run["status"] != "succeeded" or not run["snapshotHash"]:
        raise ApiError(409, "not_ready", f"mapping {run_id} is {run['status']}; its graph "
                       "exists once it has succeeded")
    snapshot_hash: str = run["snapshotHash"]
    return snapshot_hash


def _missing(run_id: str) -> ApiError:
    return ApiError(404, "not_found", f"snapshot of mapping {run_id} is missing")


def document_of(request: Request, run_id: str) -> dict[str, Any]:
    """A succeeded run's mapping document (shared, read-only), or 404 / 409."""
    doc: dict[str, Any] | None = request.app.state.snapshots.document(
        _snapshot_hash(request, run_id))
    if doc is None:
        raise _missing(run_id)
    return doc


def graph_of(request: Request, run_id: str) -> DependencyGraph:
    """A succeeded run's graph, built once per process and shared, or 404 / 409."""
    g: DependencyGraph | None = request.app.state.snapshots.graph(
        _snapshot_hash(request, run_id))
    if g is None:
        raise _missing(run_id)
    return g


def public_run(run: dict[str, Any]) -> dict[str, Any]:
    """A run as the API shows it (no lease details, no internal org key)."""
    hidden = {"leaseOwner", "leaseExpiresAt", "orgKey"}
    return {k: v for k, v in run.items() if k not in hidden}
