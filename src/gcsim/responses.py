"""Responses in the platform's shapes."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.responses import Response

__all__ = ["error", "json_response"]


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
          ) -> Response:
    """A response in the platform's ``ErrorBody`` shape."""
    body = {"message": message, "code": code, "status": status,
            "contextId": str(uuid.uuid4()), "details": [], "errors": []}
    return json_response(body, status, headers)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None,
                  ) -> Response:
    h = {"ININ-Correlation-Id": str(uuid.uuid4())}
    h.update(headers or {})
    return Response(json.dumps(body, separators=(",", ":")), status, h,
                    media_type="application/json")
