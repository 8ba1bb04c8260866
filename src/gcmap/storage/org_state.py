"""The last org document read of each org: the base an incremental run patches.

It is the platform's raw configuration, which can hold what a person would call a secret (a
data action's request template, say), so it is stored only sealed with ``GCMAP_SECRET_KEY``
(AES-GCM, bound to the org key). Without a key it stays in this process's memory: an
incremental run after a restart then starts from a full re-map.
"""

from __future__ import annotations

import json
import threading
import zlib
from typing import Any

from sqlalchemy import Engine, delete, select

from gcmap.storage.schema import org_states
from gcmap.storage.secretbox import SecretBox

__all__ = ["OrgStateMixin", "decode_state", "encode_state"]


def _context(org_key: str) -> str:
    return f"org-state:{org_key}"


def encode_state(doc: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 6)


def decode_state(blob: bytes) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(zlib.decompress(blob))
    return out


class OrgStateMixin:
    """put/get of the org state, for both stores: sealed rows on SQL when a key is set,
    process memory otherwise (and always for MemoryStore, which has no ``engine``)."""

    secret_box: SecretBox | None

    def _engine(self) -> Engine | None:
        engine = getattr(self, "engine", None)  # SqlStore has one, MemoryStore does not
        return engine if isinstance(engine, Engine) else None

    def _state_init(self) -> None:
        self._states: dict[str, tuple[bytes, str, float]] = {}
        self._states_lock = threading.Lock()

    def put_org_state(self, org_key: str, doc: dict[str, Any] | None, run_id: str,
                      now: float) -> None:
        """Keep ``doc`` as the org's base (None forgets it: the next run is a full one)."""
        blob = encode_state(doc) if doc is not None else None
        engine = self._engine()
        if engine is not None and self.secret_box is not None:
            with engine.begin() as c:
                c.execute(delete(org_states).where(org_states.c.org_key == org_key))
                if blob is not None:
                    c.execute(org_states.insert().values(
                        org_key=org_key, run_id=run_id, updated_at=now,
                        body=self.secret_box.seal_bytes(blob, _context(org_key))))
            return
        with self._states_lock:
            if blob is None:
                self._states.pop(org_key, None)
            else:
                self._states[org_key] = (blob, run_id, now)

    def get_org_state(self, org_key: str) -> tuple[dict[str, Any], str] | None:
        """(org document, id of the run that read it), or None."""
        engine = self._engine()
        if engine is not None and self.secret_box is not None:
            with engine.connect() as c:
                row = c.execute(select(org_states.c.body, org_states.c.run_id).where(
                    org_states.c.org_key == org_key)).first()
            if row is None:
                return None
            return decode_state(self.secret_box.open_bytes(row.body, _context(org_key))), \
                row.run_id
        with self._states_lock:
            held = self._states.get(org_key)
        return (decode_state(held[0]), held[1]) if held else None
