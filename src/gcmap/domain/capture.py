"""Secrets out of an org file, and nothing else: a capture must map like the org it came from.

Only scalar values under secret-looking keys (and bearer/basic credentials inside text) are
replaced. Containers are always walked, never dropped: a key such as
``/api/v2/authorization/divisions`` names a collection, not a secret.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["REDACTED", "redact_secrets"]

REDACTED = "[REDACTED]"
_SECRET_KEY = re.compile(r"(secret|password|passwd|passphrase|(^|_|[a-z])token$|^authorization$"
                         r"|api[_-]?key|private[_-]?key)", re.IGNORECASE)
_CREDENTIAL_TEXT = re.compile(r"(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+")


def redact_secrets(value: Any, key: str = "") -> Any:
    """A copy of ``value`` with secret scalars replaced by ``[REDACTED]``."""
    if isinstance(value, dict):
        return {k: redact_secrets(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_secrets(v, key) for v in value]
    if key and not key.startswith("/") and _SECRET_KEY.search(key) and value is not None:
        return REDACTED
    if isinstance(value, str):
        return _CREDENTIAL_TEXT.sub(r"\1 " + REDACTED, value)
    return value
