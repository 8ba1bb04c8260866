"""Configuration changes from the audit realtime query (there is no change-event push API
without AWS EventBridge; polling this is the documented alternative)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from gcmap.adapters.genesys.client import GenesysClient
from gcmap.adapters.genesys.errors import GenesysError

__all__ = ["AUDIT_SERVICES", "AuditChanges"]

log = logging.getLogger("gcmap.watch")
AUDIT_QUERY = "/api/v2/audits/query/realtime"
# Services whose entities are in the graph; one query per service per poll.
AUDIT_SERVICES = ("Routing", "Architect", "Telephony", "Integrations", "Directory", "Groups",
                  "Datatables", "Scripter", "WebDeployments", "Locations")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AuditChanges:
    """Audit records of configuration changes in a time window."""

    def __init__(self, client: GenesysClient, services: tuple[str, ...] = AUDIT_SERVICES,
                 ) -> None:
        self.client, self.services = client, services

    def since(self, start: float, end: float) -> list[dict[str, Any]]:
        """Every change record in [start, end), across the services (errors logged)."""
        out: list[dict[str, Any]] = []
        for service in self.services:
            page = 1
            while True:
                body = {"interval": f"{_iso(start)}/{_iso(end)}", "serviceName": service,
                        "pageNumber": page, "pageSize": 500,
                        "sort": [{"name": "Timestamp", "sortOrder": "ascending"}]}
                try:
                    res = self.client.post(AUDIT_QUERY, body)
                except GenesysError as exc:
                    log.warning("audit query for %s failed: %s", service, exc)
                    break
                out.extend(e for e in res.get("entities") or []
                           if e.get("action") not in ("View", "Read"))
                if page >= int(res.get("pageCount") or 1):
                    break
                page += 1
        return out
