"""Storage: one interface, SQL (SQLite or PostgreSQL) and in-memory implementations."""

from __future__ import annotations

from gcmap.storage.memory import MemoryStore
from gcmap.storage.protocol import Store
from gcmap.storage.secretbox import SecretBox
from gcmap.storage.sql import SqlStore, migrate

__all__ = ["MemoryStore", "SqlStore", "Store", "migrate", "open_store"]


def open_store(url: str, secret_box: SecretBox | None = None) -> Store:
    """The store for a URL: ``memory://``, ``sqlite:///path`` or ``postgresql+psycopg://...``;
    ``secret_box`` seals the secrets it keeps (without one it refuses to store any).

    Raises:
        ValueError: an unsupported URL scheme, naming the supported ones.
    """
    if url.startswith("memory:"):
        return MemoryStore(secret_box)
    if url.startswith(("sqlite:", "postgresql")):
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return SqlStore(url, secret_box)
    raise ValueError(f"unsupported GCMAP_DATABASE_URL {url!r}: use sqlite:///path/gcmap.db or "
                     "postgresql://user@host/db")
