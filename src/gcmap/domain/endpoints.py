"""External endpoints an org depends on, and findings from probing them (pure)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from gcmap.domain.build import records_of
from gcmap.domain.failover import RULES
from gcmap.domain.model import Finding, node_key
from gcmap.domain.regions import region_of_host
from gcmap.domain.registry import spec_for

__all__ = ["data_action_origins", "origin_of", "probe_findings"]

ACTIONS = spec_for("data_action").source
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{\{[^}]*\}\}|#\{[^}]*\}")



def origin_of(template: str) -> str | None:
    """``scheme://host[:port]`` of a request URL template; None when the host itself is a
    placeholder or the scheme is not http(s)."""
    head = template.strip().split("?", 1)[0]
    parts = urlsplit(head)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if _PLACEHOLDER.search(parts.netloc) or "$" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def data_action_origins(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Origin -> data-action node keys calling it (from ``config.request.requestUrlTemplate``)."""
    out: dict[str, list[str]] = {}
    for action in records_of(doc, ACTIONS):
        template = ((action.get("config") or {}).get("request") or {}).get("requestUrlTemplate")
        origin = origin_of(str(template)) if template else None
        if origin:
            out.setdefault(origin, []).append(node_key("data_action", str(action["id"])))
    return {k: sorted(v) for k, v in sorted(out.items())}


def probe_findings(summaries: list[dict[str, Any]], users: dict[str, list[str]],
                   org_region: str | None, slow_ms: float) -> list[Finding]:
    """Findings from probe summaries (``ProbeResult.summary()``)."""
    out: list[Finding] = []
    for s in summaries:
        nodes = tuple(users.get(s["url"], []))
        where = f"{s['url']} (used by {len(nodes)} object(s))" if nodes else s["url"]
        if s["error"] and s["error"] != "redirect":  # a redirect proves the host answers
            out.append(Finding("failover.endpoint-unreachable", RULES[
                "failover.endpoint-unreachable"][0], nodes,
                               f"{where} is unreachable: {s['error']} ({s['detail']})",
                               {"probe": s}))
        elif s["totalMsP95"] is not None and s["totalMsP95"] > slow_ms:
            out.append(Finding("failover.endpoint-slow", RULES["failover.endpoint-slow"][0],
                               nodes,
                               f"{where} answers slowly: p95 {s['totalMsP95']:.0f} ms "
                               f"(limit {slow_ms:.0f} ms)", {"probe": s, "slowMs": slow_ms}))
        region = region_of_host(s["host"] or urlsplit(s["url"]).hostname or "")
        if org_region and region and region != org_region:
            out.append(Finding("failover.endpoint-cross-region", RULES[
                "failover.endpoint-cross-region"][0], nodes,
                               f"{where} is in {region}, the org is in {org_region}: a "
                               "regional outage on either side breaks this dependency",
                               {"endpointRegion": region, "orgRegion": org_region}))
    return sorted(out, key=Finding.sort_key)
