"""Registered orgs in memory: the same behaviour as SQL (the secret sealed too)."""

from __future__ import annotations

import threading
from typing import Any

from gcmap.storage.orgs_common import OrgExists, new_org_id, org_context, public_org
from gcmap.storage.secretbox import SecretBox, open_stored, seal_for_storage

__all__ = ["OrgMemoryMixin"]


class OrgMemoryMixin:
    """Methods MemoryStore gains for registered orgs."""

    secret_box: SecretBox | None
    _lock: threading.RLock

    def _orgs_init(self) -> None:
        self.orgs: dict[str, dict[str, Any]] = {}

    def create_org(self, name: str, environment: str, api_base_url: str | None,
                   client_id: str, client_secret: str, now: float,
                   remap_interval_s: float | None = None) -> dict[str, Any]:
        oid = new_org_id()
        sealed = seal_for_storage(self.secret_box, client_secret, org_context(oid))
        with self._lock:
            if any(o["name"] == name for o in self.orgs.values()):
                raise OrgExists(f"an org named {name!r} is already registered")
            row = {"id": oid, "name": name, "environment": environment,
                   "apiBaseUrl": api_base_url, "clientId": client_id, "createdAt": now,
                   "remapIntervalS": remap_interval_s, "secret": sealed}
            self.orgs[oid] = row
        return public_org(row)

    def list_orgs(self) -> list[dict[str, Any]]:
        with self._lock:
            return [public_org(o) for o in sorted(self.orgs.values(),
                                                  key=lambda o: o["name"])]

    def get_org(self, org_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self.orgs.get(org_id)
            return public_org(row) if row else None

    def org_secret(self, org_id: str) -> str | None:
        with self._lock:
            row = self.orgs.get(org_id)
        return open_stored(self.secret_box, row["secret"], org_context(org_id)) if row else None

    def put_org_state(self, org_key: str, doc: dict[str, Any] | None, run_id: str,
                      now: float) -> None:
        raise NotImplementedError  # provided by OrgStateMixin

    def delete_org(self, org_id: str) -> bool:
        with self._lock:
            gone = self.orgs.pop(org_id, None) is not None
        self.put_org_state(org_id, None, "", 0.0)
        return gone

    def _reseal_orgs(self, box: SecretBox) -> int:
        changed = 0
        with self._lock:
            for oid, row in self.orgs.items():
                if not box.is_current(row["secret"]):
                    ctx = org_context(oid)
                    row["secret"] = box.seal(open_stored(box, row["secret"], ctx), ctx)
                    changed += 1
        return changed
