"""What both stores share about registered orgs: ids, the public shape, the secret's AAD."""

from __future__ import annotations

import secrets
from typing import Any

__all__ = ["OrgExists", "new_org_id", "org_context", "public_org"]


class OrgExists(ValueError):
    """An org with that name is already registered."""


def new_org_id() -> str:
    return "org_" + secrets.token_hex(8)


def org_context(org_id: str) -> str:
    """What a sealed client secret is bound to: it opens only on its own row."""
    return f"org:{org_id}"


def public_org(row: dict[str, Any]) -> dict[str, Any]:
    """An org as the API and CLI show it: never its secret."""
    return {k: row.get(k) for k in ("id", "name", "environment", "apiBaseUrl", "clientId",
                                    "createdAt", "remapIntervalS")}
