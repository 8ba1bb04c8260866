"""Errors of the Genesys adapter, each with a message that names the fix."""

from __future__ import annotations

import json
import re

__all__ = ["AuthError", "GenesysApiError", "GenesysError", "permission_from"]


class GenesysError(Exception):
    """Base of the adapter's errors."""


class AuthError(GenesysError):
    """The OAuth client could not get a token."""


class GenesysApiError(GenesysError):
    """A non-2xx answer from the Platform API (after retries)."""

    def __init__(self, status: int, path: str, body: str = "", correlation_id: str = "",
                 ) -> None:
        self.status, self.path, self.correlation_id = status, path, correlation_id
        self.code, self.message = "", body[:300]
        try:
            parsed = json.loads(body) if body else {}
            if isinstance(parsed, dict):
                self.code = str(parsed.get("code") or "")
                self.message = str(parsed.get("message") or self.message)
        except ValueError:
            pass
        self.permission = permission_from(self.message)
        super().__init__(f"{status} {self.code or 'error'} on {path}: {self.message}")


def permission_from(message: str) -> str | None:
    """The permission a 403 message names (``... permission(s): [routing:queue:view]``)."""
    m = re.search(r"permission\(s\):\s*\[([^\]]+)\]", message)
    return m.group(1).strip() if m else None
