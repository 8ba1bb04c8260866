"""Registered orgs on SQL; the OAuth client secret is sealed before it is written."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from gcmap.storage.orgs_common import OrgExists, new_org_id, org_context, public_org
from gcmap.storage.schema import orgs
from gcmap.storage.secretbox import SecretBox, open_stored, seal_for_storage

__all__ = ["OrgSqlMixin"]


def _row(r: Any) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "environment": r.environment,
            "apiBaseUrl": r.api_base_url, "clientId": r.client_id, "createdAt": r.created_at,
            "remapIntervalS": r.remap_interval_s}


class OrgSqlMixin:
    """Methods SqlStore gains for registered orgs."""

    engine: Engine
    secret_box: SecretBox | None

    def _tx(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # provided by SqlStore

    def create_org(self, name: str, environment: str, api_base_url: str | None,
                   client_id: str, client_secret: str, now: float,
                   remap_interval_s: float | None = None) -> dict[str, Any]:
        """Register an org (its secret sealed; SecretKeyMissing when no key is set)."""
        oid = new_org_id()
        sealed = seal_for_storage(self.secret_box, client_secret, org_context(oid))
        try:
            with self._tx() as c:
                c.execute(orgs.insert().values(
                    id=oid, name=name, environment=environment, api_base_url=api_base_url,
                    client_id=client_id, client_secret=sealed, created_at=now,
                    remap_interval_s=remap_interval_s))
        except IntegrityError as exc:
            raise OrgExists(f"an org named {name!r} is already registered") from exc
        return public_org({"id": oid, "name": name, "environment": environment,
                           "apiBaseUrl": api_base_url, "clientId": client_id,
                           "createdAt": now, "remapIntervalS": remap_interval_s})

    def list_orgs(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            rows = c.execute(select(orgs).order_by(orgs.c.name)).all()
        return [_row(r) for r in rows]

    def get_org(self, org_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            r = c.execute(select(orgs).where(orgs.c.id == org_id)).first()
        return _row(r) if r else None

    def org_secret(self, org_id: str) -> str | None:
        """The org's client secret in clear, for the reader that crawls it."""
        with self.engine.connect() as c:
            r = c.execute(select(orgs.c.client_secret).where(orgs.c.id == org_id)).first()
        return open_stored(self.secret_box, r.client_secret, org_context(org_id)) if r else None

    def put_org_state(self, org_key: str, doc: dict[str, Any] | None, run_id: str,
                      now: float) -> None:
        raise NotImplementedError  # provided by OrgStateMixin

    def delete_org(self, org_id: str) -> bool:
        """Remove the org, its secret and the org document kept for it."""
        with self._tx() as c:
            gone = bool(c.execute(delete(orgs).where(orgs.c.id == org_id)).rowcount)
        self.put_org_state(org_id, None, "", 0.0)
        return gone

    def _reseal_orgs(self, box: SecretBox) -> int:
        changed = 0
        with self._tx() as c:
            for r in c.execute(select(orgs.c.id, orgs.c.client_secret)).all():
                if not box.is_current(r.client_secret):
                    ctx = org_context(r.id)
                    c.execute(update(orgs).where(orgs.c.id == r.id).values(
                        client_secret=box.seal(open_stored(box, r.client_secret, ctx), ctx)))
                    changed += 1
        return changed
