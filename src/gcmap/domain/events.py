"""Change events for IaC tools, built from two mapping documents (pure).

Payload contract (README, "Webhook events"): every event carries ``type``, ``orgId``,
``mappingId``, ``sequence`` (added by the outbox, strictly increasing per org),
``occurredAt`` and ``summary``. ``graph.changed`` adds the diff and the create order of what
changed; ``validation.failed`` and ``failover.degraded`` add the new findings.
"""

from __future__ import annotations

import random
from typing import Any

from gcmap.domain.diff import diff_documents
from gcmap.domain.document import graph_from_document
from gcmap.domain.graph import KeyDigraph

__all__ = ["DISABLE_AFTER_S", "EVENT_TYPES", "RETRY_SCHEDULE_S", "build_events", "disable_reason",
           "event_matches", "failed_event", "retry_delay"]

EVENT_TYPES = ("mapping.completed", "mapping.failed", "graph.changed", "validation.failed",
               "failover.degraded")
# Delay before each attempt: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
RETRY_SCHEDULE_S = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


DISABLE_AFTER_S = 5 * 24 * 3600  # an endpoint failing this long is disabled


def disable_reason(outcome: str, failing_since: float, now: float) -> str | None:
    """Why a failed attempt disables its endpoint, or None: 410 Gone at once, or failing
    without a success for five days."""
    if outcome == "gone":
        return "the endpoint answered 410 Gone"
    if now - failing_since >= DISABLE_AFTER_S:
        return "failing for 5 days"
    return None


def event_matches(hook: dict[str, Any], event_type: str, org_id: str | None) -> bool:
    """Does an endpoint want this event (its event types, and its org filter if any)?"""
    return (event_type in hook["eventTypes"]
            and (not hook["orgId"] or hook["orgId"] == org_id))


def retry_delay(attempt: int, rng: random.Random) -> float | None:
    """Seconds before attempt number ``attempt`` (1-based), with ±20% jitter; None when the
    schedule is exhausted."""
    if attempt > len(RETRY_SCHEDULE_S):
        return None
    base = RETRY_SCHEDULE_S[attempt - 1]
    return base * rng.uniform(0.8, 1.2)


def _key(f: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    return (f["rule"], tuple(f["nodes"]))


def _new_findings(old: dict[str, Any] | None, new: dict[str, Any],
                  keep: Any) -> list[dict[str, Any]]:
    before = {_key(f) for f in (old or {}).get("findings", [])}
    return [f for f in new["findings"] if keep(f) and _key(f) not in before]


def _create_order(doc: dict[str, Any], keys: set[str]) -> list[list[str]]:
    """Changed objects in creation order (referenced first); objects in a loop together."""
    g = graph_from_document(doc)
    sub = KeyDigraph(k for k in sorted(keys) if k in g)
    for k in sorted(keys):
        if k in sub:
            for e in g.out_edges(k):
                if e.dst in sub and e.dst != k:
                    sub.add_edge(k, e.dst)
    return sub.dependency_order()


def build_events(previous: dict[str, Any] | None, current: dict[str, Any], *,
                 mapping_id: str, summary: dict[str, Any], occurred_at: str,
                 previous_mapping_id: str | None = None) -> list[dict[str, Any]]:
    """The events one successful mapping raises, in a stable order (sequence comes later)."""
    base = {"orgId": current.get("orgId"), "mappingId": mapping_id,
            "occurredAt": occurred_at, "summary": summary}
    events = [{"type": "mapping.completed", **base}]
    if previous is not None:
        d = diff_documents(previous, current)
        if not d["empty"]:
            touched = {n["key"] for n in d["nodesAdded"]} | {n["key"] for n in
                                                             d["nodesChanged"]}
            touched |= {e["from"] for e in d["edgesAdded"]}
            events.append({"type": "graph.changed", **base, "previousMappingId":
                           previous_mapping_id, "diff": d,
                           "createOrder": _create_order(current, touched)})
    errors = _new_findings(previous, current, lambda f: f["severity"] == "error"
                           and not f["rule"].startswith("failover."))
    if errors:
        events.append({"type": "validation.failed", **base, "findings": errors})
    degraded = _new_findings(previous, current, lambda f: f["rule"].startswith("failover.")
                             and f["severity"] in ("error", "warning"))
    if degraded:
        events.append({"type": "failover.degraded", **base, "findings": degraded})
    return events


def failed_event(*, org_id: str | None, mapping_id: str, error: str,
                 occurred_at: str) -> dict[str, Any]:
    """The event a failed mapping raises."""
    return {"type": "mapping.failed", "orgId": org_id, "mappingId": mapping_id,
            "occurredAt": occurred_at, "summary": None, "error": error}
