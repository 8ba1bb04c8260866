"""Reading again only what audit records say changed, and patching the last org document.

A record names an entity type, an id and an action. The changed object is read again through
its listing's id filter (the listing's own shape, many ids in one call), else its
single-object GET, else its whole listing; a 404 or an id the filter does not return means it
is gone. What a change can alter beyond the object is read too: a queue's members when the
record is about membership (or the queue is new), a republished flow's consumed resources,
and dependency tracking's deleted-resource consumers after a flow change or any delete.
Anything gcmap cannot place makes the caller fall back to a full crawl (``FullRemap``).
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gcmap.adapters.genesys.audit_map import (
    ENTITY_TYPES,
    IGNORED_ACTIONS,
    IGNORED_ENTITIES,
    MEMBER_ACTIONS,
)
from gcmap.adapters.genesys.crawl_plan import (
    CRAWL,
    DT_BUILD,
    DT_DELETED,
    QUEUE_MEMBERS,
    QUEUE_WRAPUPS,
)
from gcmap.adapters.genesys.crawl_types import CrawlOptions
from gcmap.adapters.genesys.errors import GenesysApiError
from gcmap.domain.errors import FullRemap
from gcmap.domain.patch import OrgPatch, apply_patch
from gcmap.domain.registry import DT_CONSUMED, FLOW_TYPE_OBJECT_TYPES, USER_GRANTS

__all__ = ["ChangePlan", "FullRemap", "plan_changes", "reread"]

BATCH = 50  # ids per filtered listing call (the data-action listing takes at most 50)
_MAIN = {s.node_type: s for s in reversed(CRAWL) if not s.part}


@dataclass
class ChangePlan:
    """What a batch of audit records asks to read again."""

    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    members: set[str] = field(default_factory=set)
    deletes: bool = False
    build: bool = False
    unmapped: Counter[str] = field(default_factory=Counter)
    records: int = 0


def plan_changes(records: Iterable[dict[str, Any]]) -> ChangePlan:
    """Group audit records into what to read again (duplicates collapse)."""
    plan = ChangePlan()
    for rec in records:
        action, etype = str(rec.get("action") or ""), str(rec.get("entityType") or "")
        if action in IGNORED_ACTIONS or etype in IGNORED_ENTITIES:
            continue
        plan.records += 1
        if etype == "DependencyTrackingBuild":
            plan.build = True
            continue
        eid = str((rec.get("entity") or {}).get("id") or "")
        types = ENTITY_TYPES.get(etype)
        if types is None or not eid:
            plan.unmapped[etype or "(none)"] += 1
            continue
        for t in types:
            plan.ids[t].add(eid)
        if etype == "Queue" and (action in MEMBER_ACTIONS or action == "Create"):
            plan.members.add(eid)
        plan.deletes |= action == "Delete"
    return plan


class _Reread:
    def __init__(self, client: Any, base: dict[str, Any], options: CrawlOptions) -> None:
        self.client, self.base, self.options = client, base, options
        self.patch = OrgPatch()
        self.calls = 0
        self.present: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.gone: dict[str, set[str]] = defaultdict(set)

    def get(self, path: str, query: dict[str, Any] | None = None,
            path_params: dict[str, str] | None = None) -> Any:
        self.calls += 1
        return self.client.get(path, query, path_params)

    def pages(self, path: str, query: dict[str, Any], path_params: dict[str, str] | None = None,
              ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n in range(1, 10_000):
            body = self.get(path, {**query, "pageNumber": n}, path_params)
            out.extend(body.get("entities") or [])
            if n >= int(body.get("pageCount") or 1):
                return out
        raise FullRemap("too-many-pages", path)

    def objects(self, node_type: str, ids: set[str]) -> None:
        spec = _MAIN.get(node_type)
        if spec is None:
            return  # a type this crawl does not read
        if spec.parent is not None or spec.paging == "single" or not (spec.by_ids or spec.item):
            self.relist(node_type)
            return
        found: dict[str, dict[str, Any]] = {}
        wanted = sorted(ids)
        if spec.by_ids:
            for i in range(0, len(wanted), BATCH):
                chunk = wanted[i:i + BATCH]
                query: dict[str, Any] = {**spec.params, spec.by_ids: ",".join(chunk),
                                         "pageSize": max(len(chunk), 25)}
                if node_type == "user":
                    query["state"] = "any"  # the crawl reads active and inactive users
                found.update((str(r["id"]), r) for r in self.get(spec.path, query).get(
                    "entities") or [] if isinstance(r, dict) and r.get("id") in chunk)
        else:
            for rid in wanted:
                try:
                    found[rid] = self.get(f"{spec.path}/{{{spec.item}}}", None,
                                          {spec.item: rid})
                except GenesysApiError as exc:
                    if exc.status != 404:
                        raise
        for rid in wanted:
            if rid in found:
                self.patch.upsert(spec.doc_key, found[rid])
                self.present[node_type][rid] = found[rid]
            else:
                self.patch.remove(spec.doc_key, rid)
                self.gone[node_type].add(rid)

    def relist(self, node_type: str) -> None:
        from gcmap.adapters.genesys.client import ClientConfig
        from gcmap.adapters.genesys.source import GenesysOrgSource

        source = GenesysOrgSource(ClientConfig("", "", concurrency=4), client=_Counted(self))
        result = source.crawl(CrawlOptions(types=frozenset({node_type}), limits=False,
                                           dependency_tracking=False, queue_members=False))
        if result.report.get("partial"):
            raise FullRemap("reread-failed", f"{node_type}: {result.report['failures']}")
        key = _MAIN[node_type].doc_key
        self.patch.listings[key] = result.doc.get(key, [])

    def queue_parts(self, plan: ChangePlan) -> None:
        for qid in sorted(self.gone.get("queue", set())):
            for key in (QUEUE_MEMBERS, QUEUE_WRAPUPS):
                if key in self.base:
                    self.patch.children.setdefault(key, {})[qid] = None
        queues = self.present.get("queue", {})
        for qid in sorted(plan.members & set(queues)):
            count = queues[qid].get("memberCount")
            if count == 0:  # as the crawl: an empty queue's members are not listed
                self.patch.children.setdefault(QUEUE_MEMBERS, {})[qid] = None
                continue
            members: list[dict[str, Any]] = []
            pages = math.ceil(count / 100) if isinstance(count, int) else 1
            for n in range(1, pages + 1):
                members += self.get(QUEUE_MEMBERS, {"pageSize": 100, "pageNumber": n},
                                    {"queueId": qid}).get("entities") or []
            self.patch.children.setdefault(QUEUE_MEMBERS, {})[qid] = members
        if QUEUE_WRAPUPS in self.base:
            for qid in sorted(queues):
                self.patch.children.setdefault(QUEUE_WRAPUPS, {})[qid] = self.pages(
                    QUEUE_WRAPUPS, {"pageSize": 100}, {"queueId": qid})

    def user_parts(self) -> None:
        if USER_GRANTS not in self.base:
            return  # grants are read only with GCMAP_USER_GRANTS
        for uid in sorted(self.gone.get("user", set())):
            self.patch.children.setdefault(USER_GRANTS, {})[uid] = None
        for uid, user in sorted(self.present.get("user", {}).items()):
            active = str(user.get("state") or "active").lower() == "active"
            self.patch.children.setdefault(USER_GRANTS, {})[uid] = (self.get(
                USER_GRANTS, {"includeDuplicates": "true"}, {"subjectId": uid}).get(
                "grants") or []) if active else None

    def flow_parts(self, plan: ChangePlan) -> None:
        if DT_CONSUMED in self.base:
            for fid in sorted(self.gone.get("flow", set())):
                self.patch.children.setdefault(DT_CONSUMED, {})[fid] = None
            for fid, f in sorted(self.present.get("flow", {}).items()):
                version = (f.get("publishedVersion") or {}).get("id")
                otype = FLOW_TYPE_OBJECT_TYPES.get(str(f.get("type")))
                consumed = self.pages(DT_CONSUMED, {
                    "id": fid, "version": str(version), "objectType": otype,
                    "pageSize": 100}) if version and otype else None
                self.patch.children.setdefault(DT_CONSUMED, {})[fid] = consumed
        if plan.ids.get("flow") or plan.deletes or plan.build:
            if DT_DELETED in self.base:
                self.patch.listings[DT_DELETED] = self.pages(DT_DELETED, {"pageSize": 100})
            if DT_BUILD in self.base:
                self.patch.listings[DT_BUILD] = self.get(DT_BUILD)


class _Counted:
    """The client as GenesysOrgSource sees it, counting calls into the re-read."""

    def __init__(self, owner: _Reread) -> None:
        self.owner = owner
        self.tokens = owner.client.tokens

    def get(self, path: str, query: dict[str, Any] | None = None,
            path_params: dict[str, str] | None = None) -> Any:
        return self.owner.get(path, query, path_params)

    def post(self, path: str, body: Any) -> Any:
        self.owner.calls += 1
        return self.owner.client.post(path, body)

    def close(self) -> None:
        return None  # the client is the caller's


def reread(client: Any, base: dict[str, Any], records: list[dict[str, Any]],
           options: CrawlOptions | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read again what ``records`` changed; returns (patched org document, report).

    Raises:
        FullRemap: a record gcmap cannot place, or a re-read that failed.
    """
    t0 = time.perf_counter()
    plan = plan_changes(records)
    if plan.unmapped:
        names = ", ".join(f"{k} ({v})" for k, v in sorted(plan.unmapped.items()))
        raise FullRemap("unmapped-entity", names)
    if USER_GRANTS in base and plan.ids.get("role"):
        # A role's change may grant or revoke it for any user: which ones, the record does
        # not say (**unverified**), so every user's grants are read again.
        raise FullRemap("grants-changed", "a role changed while user grants are read")
    work = _Reread(client, base, options or CrawlOptions())
    try:
        for node_type in sorted(plan.ids):
            work.objects(node_type, plan.ids[node_type])
        work.queue_parts(plan)
        work.user_parts()
        work.flow_parts(plan)
    except GenesysApiError as exc:
        raise FullRemap("reread-failed", str(exc)) from exc
    doc = apply_patch(base, work.patch)
    report = {"apiCalls": work.calls, "durationMs": round((time.perf_counter() - t0) * 1000),
              "retries": 0, "partial": False, "failures": [],
              "incremental": {"records": plan.records, "objects": work.patch.objects,
                              "types": sorted(plan.ids)}}
    return doc, report
