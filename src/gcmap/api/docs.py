"""``/docs``: Swagger UI from the package's own copy (no CDN, works offline), and an
OpenAPI document that declares the bearer scheme, so "Authorize" takes an API key."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from gcmap.api.routes.system import STATIC

__all__ = ["install_docs"]

OPEN = frozenset({"/healthz", "/readyz", "/metrics"})


def install_docs(app: FastAPI) -> None:
    """Add ``/docs`` and the bearer scheme to the app's OpenAPI document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "an API key from 'gcmap apikey create'"}}
            for path, ops in schema.get("paths", {}).items():
                if path not in OPEN:
                    for op in ops.values():
                        op["security"] = [{"bearer": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if not (STATIC / "vendor" / "swagger-ui-bundle.js").exists():
            return PlainTextResponse("the API docs are not built: run 'make ui'", 503)
        page: HTMLResponse = get_swagger_ui_html(
            openapi_url="/openapi.json", title="gcmap API",
            swagger_js_url="/ui/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/ui/static/vendor/swagger-ui.css",
            swagger_favicon_url="data:,")
        return page
