"""``/docs`` works with no network: Swagger UI from the package, the bearer scheme declared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.api.routes.system import STATIC
from gcmap.container import build_container
from gcmap.settings import GcmapSettings

pytestmark = pytest.mark.skipif(not (STATIC / "vendor" / "swagger-ui-bundle.js").exists(),
                                reason="the UI assets are not built (make ui)")


def test_docs_load_only_local_assets_and_declare_the_bearer_scheme(tmp_path: Path) -> None:
    container = build_container(GcmapSettings(database_url="memory://", workers=0))
    with TestClient(create_app(container, start_workers=False)) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
        assert assets and all(a.startswith("/") or a.startswith("data:") for a in assets)
        assert "cdn" not in page.text.lower()
        for a in assets:
            if a.startswith("/"):
                assert client.get(a).status_code == 200, a
        spec = client.get("/openapi.json").json()
        assert spec["components"]["securitySchemes"]["bearer"] == {
            "type": "http", "scheme": "bearer",
            "description": "an API key from 'gcmap apikey create'"}
        assert spec["paths"]["/api/v1/mappings"]["get"]["security"] == [{"bearer": []}]
        assert "security" not in spec["paths"]["/healthz"]["get"]
