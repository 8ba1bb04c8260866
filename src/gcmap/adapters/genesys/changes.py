"""Configuration changes from the audit realtime query (there is no change-event push API
without AWS EventBridge; polling this is the documented alternative, docs/crawl.md)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from gcmap.adapters.genesys.audit_map import ENTITY_TYPES, IGNORED_ACTIONS
from gcmap.adapters.genesys.client import GenesysClient
from gcmap.adapters.genesys.errors import GenesysError

__all__ = ["AUDIT_PERMISSION", "AUDIT_SERVICES", "SERVICE_MAPPING", "AuditChanges",
           "services_to_poll"]

log = logging.getLogger("gcmap.watch")
AUDIT_QUERY = "/api/v2/audits/query/realtime"
SERVICE_MAPPING = "/api/v2/audits/query/realtime/servicemapping"
AUDIT_PERMISSION = "audits:audit:view"  # shared/genesys-api-reference.md 7.2
# Used when the service mapping cannot be read: the services whose entities are in the graph.
AUDIT_SERVICES = ("Architect", "Directory", "Groups", "Integrations", "Outbound",
                  "PeoplePermissions", "Quality", "Routing", "Telephony", "WebDeployments")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def services_to_poll(mapping: dict[str, Any]) -> tuple[str, ...]:
    """The services of a ``servicemapping`` answer that audit anything in the graph (one
    query per service per poll, so no more than these)."""
    wanted = set(ENTITY_TYPES) | {"DependencyTrackingBuild"}
    return tuple(sorted(
        str(s["name"]) for s in mapping.get("services") or []
        if s.get("name") and any(e.get("name") in wanted for e in s.get("entities") or [])))


class AuditChanges:
    """Audit records of configuration changes in a time window."""

    def __init__(self, client: GenesysClient, services: tuple[str, ...] | None = None,
                 ) -> None:
        self.client = client
        self._services = services
        self._lock = threading.Lock()

    @property
    def services(self) -> tuple[str, ...]:
        """The services polled: from the org's service mapping, read once."""
        with self._lock:
            if self._services is None:
                try:
                    self._services = services_to_poll(self.client.get(SERVICE_MAPPING))
                except GenesysError as exc:
                    log.warning("audit service mapping unreadable (%s); polling %s", exc,
                                ", ".join(AUDIT_SERVICES))
                    self._services = AUDIT_SERVICES
                log.info("polling audit services: %s", ", ".join(self._services))
            return self._services

    def since(self, start: float, end: float) -> list[dict[str, Any]]:
        """Every change record in [start, end), across the services.

        Raises:
            GenesysError: a query failed; the window must be asked again (records in it
                would otherwise be lost).
        """
        out: list[dict[str, Any]] = []
        for service in self.services:
            page = 1
            while True:
                body = {"interval": f"{_iso(start)}/{_iso(end)}", "serviceName": service,
                        "pageNumber": page, "pageSize": 500,
                        "sort": [{"name": "Timestamp", "sortOrder": "ascending"}]}
                res = self.client.post(AUDIT_QUERY, body)
                out.extend(e for e in res.get("entities") or []
                           if e.get("action") not in IGNORED_ACTIONS)
                if page >= int(res.get("pageCount") or 1):
                    break
                page += 1
        return out
