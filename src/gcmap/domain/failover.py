"""Failover rules: does each backup path exist, and would it work?

Pure checks over the built graph and the records. Each rule id is ``failover.<name>``; the
README documents what each checks, why it matters and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from gcmap.domain.advice import label
from gcmap.domain.build import BuildResult, records_of
from gcmap.domain.failover_more import MORE_RULES, more_failover, ref_id
from gcmap.domain.graph import KeyDigraph
from gcmap.domain.model import Finding, Severity, node_key
from gcmap.domain.registry import DT_BUILD, spec_for
from gcmap.domain.service_model import model_from_graph
from gcmap.domain.service_paths import by_object, resilience

__all__ = ["RULES", "check_failover"]

# Where each type's records are, from the registry (the one place paths are written).
Q, IVRS, SGROUPS, EGROUPS, SITES, EDGES, ROUTES, TRUNK_BASES = (spec_for(t).source for t in (
    "queue", "ivr", "schedule_group", "emergency_group", "site", "edge", "outbound_route",
    "trunk_base"))
BUILD = DT_BUILD
FLOW_FIELDS = {"ivr": ("openHoursFlow", "closedHoursFlow", "holidayHoursFlow"),
               "queue": ("queueFlow", "emailInQueueFlow", "messageInQueueFlow"),
               "emergency_group": ("emergencyCallFlows[].emergencyFlow",),
               "message_recipient": ("flow",), "work_type": ("flow",)}

# rule -> (severity, what it means); the README table is generated from the same words.
RULES: dict[str, tuple[Severity, str]] = {
    "failover.ivr-no-closed-flow": ("error", "IVR has a schedule group but no closed-hours "
                                    "flow: after-hours calls have nowhere to go"),
    "failover.ivr-no-holiday-flow": ("warning", "IVR has a schedule group but no holiday flow"),
    "failover.schedule-group-empty": ("error", "schedule group used by an IVR has no schedules"),
    "failover.unpublished-flow": ("error", "a flow that calls are routed to has no published "
                                  "version"),
    "failover.emergency-flow-missing": ("error", "emergency group entry without an emergency "
                                        "flow"),
    "failover.ivr-no-emergency-group": ("warning", "IVR not covered by any emergency group"),
    "failover.backup-queue-missing": ("error", "direct-routing backup queue does not exist"),
    "failover.backup-queue-self": ("warning", "queue is its own direct-routing backup"),
    "failover.backup-queue-empty": ("error", "backup queue has no joined members"),
    "failover.backup-loop": ("warning", "queue failover paths loop back to where they began"),
    "failover.queue-no-agents": ("error", "flows route to a queue with no joined members"),
    "failover.member-group-empty": ("warning", "a failover member group has no members"),
    "failover.inactive-user": ("warning", "routing depends on an inactive user (a queue "
                               "member, a flow's transfer target, a number's owner)"),
    "failover.single-trunk": ("warning", "outbound route has one external trunk: no trunk "
                              "failover"),
    "failover.trunk-base-missing": ("error", "outbound route names a trunk that does not exist"),
    "failover.site-no-secondary": ("warning", "site has no secondary site for phone failover"),
    "failover.site-secondary-self": ("warning", "site's secondary site is itself"),
    "failover.site-single-edge": ("warning", "premises site has a single Edge"),
    "failover.single-point-of-failure": ("warning", "one object whose failure alone leaves "
                                         "two or more entry points with no path to anyone "
                                         "who can serve them"),
    "failover.dependency-index-stale": ("warning", "dependency tracking is not operational; "
                                        "flow edges may be stale"),
    **MORE_RULES,
    # Raised from endpoint probes (gcmap.domain.endpoints), not from the graph.
    "failover.endpoint-unreachable": ("error", "an external endpoint does not answer"),
    "failover.endpoint-slow": ("warning", "an external endpoint answers slower than the limit"),
    "failover.endpoint-cross-region": ("info", "an endpoint is in another region than the org"),
}
GRAPH_RULES = frozenset(r for r in RULES if not r.startswith("failover.endpoint-"))


def _finding(rule: str, nodes: Iterable[str], message: str, **evidence: Any) -> Finding:
    return Finding(rule, RULES[rule][0], tuple(sorted(set(nodes))), message, evidence)


def _joined(build: BuildResult, qkey: str) -> int | None:
    if qkey not in build.graph:
        return None
    attrs = build.graph.node(qkey).attrs
    if "joinedMembersListed" in attrs:
        return int(attrs["joinedMembersListed"])
    value = attrs.get("joinedMemberCount")
    return int(value) if isinstance(value, int) else None


def check_failover(build: BuildResult, doc: dict[str, Any]) -> list[Finding]:
    """Run every failover rule; findings sorted by (rule, nodes)."""
    out: list[Finding] = []
    for rules in (_ivrs, _flows, _emergency, _queues, _telephony, _index, _inactive_users,
                  _single_points):
        out.extend(rules(build, doc))
    out.extend(_finding(rule, nodes, message, **evidence) for rule, nodes, message, evidence
               in more_failover(doc, lambda key: _joined(build, key)))
    return sorted(out, key=Finding.sort_key)


def _ivrs(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    groups = {g["id"]: g for g in records_of(doc, SGROUPS)}
    reported: set[str] = set()
    for ivr in records_of(doc, IVRS):
        key = node_key("ivr", ivr["id"])
        sg = ref_id(ivr.get("scheduleGroup"))
        if not sg:
            continue
        if not ref_id(ivr.get("closedHoursFlow")):
            yield _finding("failover.ivr-no-closed-flow", [key],
                           f"IVR {ivr.get('name')!r} has a schedule group but no closed-hours "
                           "flow; set closedHoursFlow", field="closedHoursFlow")
        if not ref_id(ivr.get("holidayHoursFlow")):
            yield _finding("failover.ivr-no-holiday-flow", [key],
                           f"IVR {ivr.get('name')!r} has no holiday flow; holidays follow the "
                           "closed-hours path at best", field="holidayHoursFlow")
        group = groups.get(sg)
        if group and sg not in reported and not any(
                group.get(k) for k in ("openSchedules", "closedSchedules", "holidaySchedules")):
            reported.add(sg)
            yield _finding("failover.schedule-group-empty", [node_key("schedule_group", sg),
                                                             key],
                           f"schedule group {group.get('name')!r} has no schedules, so IVRs "
                           "using it cannot tell open from closed", scheduleGroup=sg)


def _flows(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    g = build.graph
    for e in g.edges():
        holder = e.src.split(":", 1)[0]
        fields = FLOW_FIELDS.get(holder)
        if not fields or e.field not in fields or not e.dst.startswith("flow:"):
            continue
        node = g.node(e.dst)
        if node.attrs.get("stub") or node.attrs.get("publishedVersion"):
            continue
        holder_name = g.node(e.src).name
        yield _finding("failover.unpublished-flow", [e.src, e.dst],
                       f"{holder} {holder_name!r} routes to flow {node.name!r} in {e.field}, "
                       "but the flow has never been published; publish it in Architect",
                       field=e.field)


def _emergency(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    groups = records_of(doc, EGROUPS)
    covered: set[str] = set()
    for grp in groups:
        key = node_key("emergency_group", grp["id"])
        for i, entry in enumerate(grp.get("emergencyCallFlows") or []):
            covered.update(ref_id(v) or "" for v in entry.get("ivrs") or [])
            if not ref_id(entry.get("emergencyFlow")):
                yield _finding("failover.emergency-flow-missing", [key],
                               f"emergency group {grp.get('name')!r} entry {i + 1} has no "
                               "emergency flow; when the group is enabled its IVRs' calls have "
                               "nowhere to go", field="emergencyCallFlows[].emergencyFlow")
    if not groups or IVRS not in doc:
        return
    for ivr in records_of(doc, IVRS):
        if ivr["id"] not in covered:
            yield _finding("failover.ivr-no-emergency-group", [node_key("ivr", ivr["id"])],
                           f"IVR {ivr.get('name')!r} is in no emergency group: an emergency "
                           "cannot redirect its calls")


def _queues(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    g = build.graph
    queues = {q["id"]: q for q in records_of(doc, Q)}
    for qid, q in queues.items():
        key = node_key("queue", qid)
        backup = (q.get("directRouting") or {}).get("backupQueueId")
        if backup:
            bkey = node_key("queue", backup)
            if backup == qid:
                yield _finding("failover.backup-queue-self", [key],
                               f"queue {q.get('name')!r} is its own backup queue; choose "
                               "another queue", field="directRouting.backupQueueId")
            elif backup not in queues:
                yield _finding("failover.backup-queue-missing", [key],
                               f"queue {q.get('name')!r} backs up to queue {backup}, which "
                               "does not exist", field="directRouting.backupQueueId",
                               targetId=backup)
            elif _joined(build, bkey) == 0:
                yield _finding("failover.backup-queue-empty", [key, bkey],
                               f"queue {q.get('name')!r} backs up to "
                               f"{queues[backup].get('name')!r}, which has no joined members",
                               field="directRouting.backupQueueId")
        rings = (q.get("bullseye") or {}).get("rings") or []
        groups = [m for r in rings for m in r.get("memberGroups") or []]
        groups += [m for r in (q.get("conditionalGroupRouting") or {}).get("rules") or []
                   for m in r.get("groups") or []]
        for m in groups:
            mtype = {"GROUP": "group", "TEAM": "team", "SKILLGROUP": "skill_group"}.get(
                str(m.get("type")))
            mkey = node_key(mtype, m["id"]) if mtype and m.get("id") else None
            count = m.get("memberCount")
            if mkey and mkey in g:
                count = g.node(mkey).attrs.get("memberCount", count)
            if mkey and count == 0:
                label = m.get("name") or m["id"]
                yield _finding("failover.member-group-empty", [key, mkey],
                               f"queue {q.get('name')!r} expands to {mtype} {label!r}, which "
                               "has no members", memberGroup=mkey)
    # Flows that route calls to a queue nobody can answer.
    for qid, q in queues.items():
        key = node_key("queue", qid)
        if key not in g or _joined(build, key) != 0:
            continue
        routed = sorted({e.src for e in g.in_edges(key) if e.src.startswith("flow:")})
        if routed:
            yield _finding("failover.queue-no-agents", [key, *routed],
                           f"{len(routed)} flow(s) route to queue {q.get('name')!r}, which has "
                           "no joined members", flows=routed)
    yield from _backup_loops(build, queues)


def _backup_loops(build: BuildResult, queues: dict[str, Any]) -> Iterator[Finding]:
    sub = KeyDigraph(sorted(queues))
    for qid, q in queues.items():
        targets = {(q.get("directRouting") or {}).get("backupQueueId")}
        targets |= {ref_id(r.get("queue")) for r in
                    (q.get("conditionalGroupRouting") or {}).get("rules") or []}
        for t in sorted(t for t in targets if t and t in sub and t != qid):
            sub.add_edge(qid, t)
    for comp in sub.cycles():
        keys = sorted(node_key("queue", q) for q in comp)
        yield _finding("failover.backup-loop", keys,
                       f"{len(keys)} queues fail over to each other in a loop; a call can "
                       "bounce between them instead of reaching an agent", queues=keys)


def _telephony(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    tb_ids = {t["id"] for t in records_of(doc, TRUNK_BASES)}
    have_tbs = TRUNK_BASES in doc
    for r in records_of(doc, ROUTES):
        key = node_key("outbound_route", r["id"])
        trunks = [ref_id(t) for t in r.get("externalTrunkBases") or []]
        if len(trunks) == 1:
            yield _finding("failover.single-trunk", [key],
                           f"outbound route {r.get('name')!r} has one external trunk; add a "
                           "second trunk base so calls fail over", trunks=trunks)
        for t in trunks:
            if have_tbs and t and t not in tb_ids:
                gone = node_key("trunk_base", t) in build.deleted
                yield _finding("failover.trunk-base-missing", [key],
                               f"outbound route {r.get('name')!r} uses trunk base {t}, which "
                               + ("was deleted" if gone else "does not exist")
                               + "; remove it from externalTrunkBases or pick a live one",
                               targetId=t, targetDeleted=gone)
    edges_per_site: dict[str, int] = {}
    for e in records_of(doc, EDGES):
        sid = ref_id(e.get("site"))
        if sid:
            edges_per_site[sid] = edges_per_site.get(sid, 0) + 1
    for s in records_of(doc, SITES):
        key = node_key("site", s["id"])
        if s.get("managed") or s.get("mediaModel", "Premises") != "Premises":
            continue  # cloud media sites fail over inside Genesys Cloud
        secondary = [ref_id(x) for x in s.get("secondarySites") or []]
        primary = [ref_id(x) for x in s.get("primarySites") or []] or [s["id"]]
        if not secondary:
            yield _finding("failover.site-no-secondary", [key],
                           f"site {s.get('name')!r} has no secondary site; its phones have no "
                           "backup registration")
        elif set(secondary) <= set(primary):
            yield _finding("failover.site-secondary-self", [key],
                           f"site {s.get('name')!r} lists its primary as its secondary site")
        n_edges = edges_per_site.get(s["id"], len(s.get("edges") or []))
        if EDGES in doc and n_edges <= 1:
            yield _finding("failover.site-single-edge", [key],
                           f"site {s.get('name')!r} has {n_edges} Edge(s): one failure stops "
                           "its calls", edges=n_edges)


def _index(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    status = doc.get(BUILD)
    if isinstance(status, dict) and status.get("status") not in (None, "OPERATIONAL"):
        yield _finding("failover.dependency-index-stale", [],
                       f"dependency tracking is {status.get('status')}: flow edges may be "
                       "stale; rebuild it (POST /api/v2/architect/dependencytracking/build)",
                       status=status.get("status"))


# What routing through an inactive user means, by the holder's type, and how to fix it.
_INACTIVE_FIX = {
    "queue": ("lists inactive user(s) {users} as members",
              "remove them from the queue or reactivate them"),
    "flow": ("transfers to inactive user(s) {users}",
             "change the Transfer to User action in the flow and republish it"),
    "did": ("is assigned to inactive user(s) {users}", "assign the number to someone active"),
}


def _inactive_users(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    g = build.graph
    by_holder: dict[str, list[str]] = {}
    inactive = [n.key for n in g.iter_nodes() if n.type == "user"
                and str(n.attrs.get("state", "")).lower() == "inactive"]
    for user in inactive:  # few, so walk their in-edges rather than every edge
        for e in g.in_edges(user):
            if e.src.split(":", 1)[0] in _INACTIVE_FIX:
                by_holder.setdefault(e.src, []).append(user)
    for src, users in sorted(by_holder.items()):
        users = sorted(set(users))
        what, fix = _INACTIVE_FIX[src.split(":", 1)[0]]
        names = ", ".join(repr(g.node(u).name or u) for u in users)
        yield _finding("failover.inactive-user", [src, *users],
                       f"{src.split(':', 1)[0]} {g.node(src).name!r} "
                       f"{what.format(users=names)}; {fix}", users=users)


def _single_points(build: BuildResult, doc: dict[str, Any]) -> Iterator[Finding]:
    """Objects that alone take two or more entry points down (docs/service-paths.md)."""
    g = build.graph
    for key, eps in sorted(by_object(resilience(model_from_graph(g)))):
        if len(eps) < 2:
            continue
        named = ", ".join(label(g, e) for e in eps[:5])
        more = f" and {len(eps) - 5} more" if len(eps) > 5 else ""
        yield _finding("failover.single-point-of-failure", [key, *eps],
                       f"if {label(g, key)} fails, {len(eps)} entry points reach nobody: "
                       f"{named}{more}", entryPoints=sorted(eps), object=key)
