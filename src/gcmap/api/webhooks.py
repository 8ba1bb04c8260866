"""/api/v1/webhooks: endpoints for IaC tools, with verification, rotation and delivery log."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from fastapi import FastAPI, Query, Request, Response
from pydantic import Field

from gcmap.adapters.netguard import BlockedAddress
from gcmap.adapters.webhooks import new_secret
from gcmap.api.auth import Admin
from gcmap.api.errors import ApiError, StrictModel, responses
from gcmap.services.delivery import verify_endpoint

__all__ = ["install_webhook_routes"]

AUTH = (401, 403, 422, 429)
WRITE = (*AUTH, 400, 413, 415)


EventType = Literal["mapping.completed", "mapping.failed", "graph.changed",
                    "validation.failed", "failover.degraded"]
ALL_TYPES: tuple[EventType, ...] = get_args(EventType)
URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"


class WebhookIn(StrictModel):
    url: str = Field(min_length=8, max_length=2000, pattern=URL_PATTERN)
    eventTypes: list[EventType] = Field(default_factory=lambda: list(ALL_TYPES),
                                        min_length=1)
    orgId: str | None = None
    description: str = Field("", max_length=500)


class WebhookPatch(StrictModel):
    url: str | None = Field(None, min_length=8, max_length=2000, pattern=URL_PATTERN)
    eventTypes: list[EventType] | None = Field(None, min_length=1)
    orgId: str | None = None
    description: str | None = Field(None, max_length=500)


class Rotate(StrictModel):
    graceSeconds: int = Field(86400, ge=0, le=30 * 86400)


class Redeliver(StrictModel):
    eventId: str = Field(min_length=1, max_length=64)


class Recover(StrictModel):
    since: datetime


def install_webhook_routes(app: FastAPI) -> None:
    """Add the webhook routes (scope ``webhooks:admin``)."""

    def container(request: Request) -> Any:
        return request.app.state.container

    def hook_or_404(request: Request, wid: str) -> dict[str, Any]:
        hook = container(request).store.get_webhook(wid)
        if hook is None:
            raise ApiError(404, "not_found", f"no webhook {wid}")
        return dict(hook)

    def check_url(request: Request, url: str) -> None:
        try:
            container(request).guard.check(url)
        except BlockedAddress as exc:
            raise ApiError(400, "url_refused", str(exc)) from exc
        except OSError as exc:
            raise ApiError(400, "url_unresolvable", f"{url}: the host does not resolve "
                           f"({exc})") from exc

    def verify_later(request: Request, hook: dict[str, Any]) -> None:
        c = container(request)
        threading.Thread(target=verify_endpoint, args=(c.store, c.verify_sender, hook["id"],
                                                       hook["url"], c.clock),
                         daemon=True, name="gcmap-verify").start()

    @app.post("/api/v1/webhooks", status_code=201, tags=["webhooks"],
              responses=responses(*WRITE, 503))
    def create(body: WebhookIn, request: Request, key: Admin) -> dict[str, Any]:
        """Register an endpoint; the secret is in this answer only. The endpoint stays
        ``pending`` until it answers the verification challenge."""
        check_url(request, body.url)
        secret = new_secret()
        c = container(request)
        hook = c.store.create_webhook(body.url, list(body.eventTypes), body.orgId,
                                      body.description, secret, c.clock())
        verify_later(request, hook)
        return {**hook, "secret": secret}

    @app.get("/api/v1/webhooks", tags=["webhooks"], responses=responses(*AUTH))
    def list_hooks(request: Request, key: Admin) -> dict[str, Any]:
        items = container(request).store.list_webhooks()
        return {"items": items, "total": len(items)}

    @app.get("/api/v1/webhooks/{wid}", tags=["webhooks"], responses=responses(*AUTH, 404))
    def get_hook(wid: str, request: Request, key: Admin) -> dict[str, Any]:
        return hook_or_404(request, wid)

    @app.patch("/api/v1/webhooks/{wid}", tags=["webhooks"], responses=responses(*WRITE, 404))
    def patch(wid: str, body: WebhookPatch, request: Request, key: Admin) -> dict[str, Any]:
        hook_or_404(request, wid)
        fields = body.model_dump(exclude_unset=True)
        if fields.get("url") is not None:
            check_url(request, fields["url"])
        updated = container(request).store.update_webhook(wid, {
            k: v for k, v in fields.items() if v is not None or k == "orgId"})
        if updated is None:  # deleted while this request ran
            raise ApiError(404, "not_found", f"no webhook {wid}")
        if "url" in fields:
            verify_later(request, updated)
        return dict(updated)

    @app.delete("/api/v1/webhooks/{wid}", status_code=204, tags=["webhooks"],
                responses=responses(*AUTH, 404))
    def delete(wid: str, request: Request, key: Admin) -> Response:
        if not container(request).store.delete_webhook(wid):
            raise ApiError(404, "not_found", f"no webhook {wid}")
        return Response(status_code=204)

    @app.post("/api/v1/webhooks/{wid}/verify", status_code=202, tags=["webhooks"],
              responses=responses(*WRITE, 404))
    def reverify(wid: str, request: Request, key: Admin) -> dict[str, Any]:
        hook = hook_or_404(request, wid)
        verify_later(request, hook)
        return {"id": wid, "status": "verifying"}

    @app.post("/api/v1/webhooks/{wid}/rotate-secret", tags=["webhooks"],
              responses=responses(*WRITE, 404, 503))
    def rotate(wid: str, body: Rotate, request: Request, key: Admin) -> dict[str, Any]:
        """A new secret, shown once; the old one keeps signing (both signatures are sent)
        for ``graceSeconds``."""
        hook_or_404(request, wid)
        c = container(request)
        secret = new_secret()
        c.store.rotate_secret(wid, secret, c.clock() + body.graceSeconds)
        return {"id": wid, "secret": secret, "previousValidForSeconds": body.graceSeconds}

    @app.get("/api/v1/webhooks/{wid}/deliveries", tags=["webhooks"],
             responses=responses(*AUTH, 400, 404))
    def delivery_log(wid: str, request: Request, key: Admin,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
        hook_or_404(request, wid)
        items, total = container(request).store.list_attempts(wid, limit, offset)
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @app.post("/api/v1/webhooks/{wid}/redeliver", status_code=202, tags=["webhooks"],
              responses=responses(*WRITE, 404))
    def redeliver(wid: str, body: Redeliver, request: Request, key: Admin) -> dict[str, Any]:
        hook_or_404(request, wid)
        c = container(request)
        did = c.store.redeliver(wid, body.eventId, c.clock())
        if did is None:
            raise ApiError(404, "not_found", f"no event {body.eventId}")
        return {"deliveryId": did, "eventId": body.eventId}

    @app.post("/api/v1/webhooks/{wid}/recover", tags=["webhooks"],
              responses=responses(*WRITE, 404))
    def recover(wid: str, body: Recover, request: Request, key: Admin) -> dict[str, Any]:
        """Queue again every failed delivery to this endpoint since a time."""
        hook_or_404(request, wid)
        c = container(request)
        n = c.store.recover_failed(wid, body.since.timestamp(), c.clock())
        return {"id": wid, "requeued": n}
