"""Failover rules for the paths beyond inbound voice: outbound campaigns, messaging entry
points and task-management work types (the same finding format as ``failover``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gcmap.domain.build import records_of
from gcmap.domain.model import Severity, node_key
from gcmap.domain.registry import spec_for

__all__ = ["MORE_RULES", "more_failover", "ref_id"]

MORE_RULES: dict[str, tuple[Severity, str]] = {
    "failover.campaign-queue-missing": ("error", "an outbound campaign names a queue that "
                                        "does not exist"),
    "failover.campaign-queue-no-agents": ("error", "an outbound campaign's queue has no "
                                          "joined members"),
    "failover.recipient-flow-missing": ("error", "a message recipient (an SMS number, a "
                                        "messenger) routes to a flow that does not exist"),
    "failover.worktype-queue-missing": ("error", "a work type routes work items to a queue "
                                        "that does not exist"),
    "failover.worktype-queue-no-agents": ("warning", "a work type routes work items to a "
                                          "queue with no joined members"),
}
# (rule, node keys, message, evidence)
Raw = tuple[str, list[str], str, dict[str, Any]]


def ref_id(v: Any) -> str | None:
    """The id a reference field holds: an object's ``id``, or the id string itself."""
    return (v.get("id") or None) if isinstance(v, dict) else (v or None)


def _queue_rules(doc: dict[str, Any], queues: dict[str, Any] | None,
                 joined: Callable[[str], int | None], holder: str, field: str, missing: str,
                 empty: str, what: str) -> Iterator[Raw]:
    """``queues``: the org's queues by id, None when they were not read."""
    for rec in records_of(doc, spec_for(holder).source):
        qid = ref_id(rec.get(field))
        if not qid:
            continue
        key, qkey = node_key(holder, rec["id"]), node_key("queue", qid)
        name = rec.get("name")
        if queues is not None and qid not in queues:
            yield (missing, [key], f"{what} {name!r} names queue {qid}, which does not exist; "
                   f"set {field} to an existing queue", {"field": field, "targetId": qid})
        elif queues is not None and joined(qkey) == 0:
            yield (empty, [key, qkey], f"{what} {name!r} sends its work to queue "
                   f"{queues[qid].get('name')!r}, which has no joined members; join agents",
                   {"field": field})


def more_failover(doc: dict[str, Any], joined: Callable[[str], int | None]) -> Iterator[Raw]:
    """Campaigns and work types whose queue is gone or unstaffed, and message recipients
    whose flow is gone (an unpublished one is ``failover.unpublished-flow``)."""
    source = spec_for("queue").source
    queues = {q["id"]: q for q in records_of(doc, source)} if source in doc else None
    yield from _queue_rules(doc, queues, joined, "campaign", "queue",
                            "failover.campaign-queue-missing",
                            "failover.campaign-queue-no-agents", "campaign")
    yield from _queue_rules(doc, queues, joined, "work_type", "defaultQueue",
                            "failover.worktype-queue-missing",
                            "failover.worktype-queue-no-agents", "work type")
    flows_source = spec_for("flow").source
    if flows_source in doc:
        flows = {f["id"] for f in records_of(doc, flows_source)}
        for rec in records_of(doc, spec_for("message_recipient").source):
            fid = ref_id(rec.get("flow"))
            if fid and fid not in flows:
                yield ("failover.recipient-flow-missing",
                       [node_key("message_recipient", rec["id"])],
                       f"message recipient {rec.get('name')!r} routes to flow {fid}, which "
                       "does not exist; its messages go nowhere; choose a published flow",
                       {"field": "flow", "targetId": fid})
