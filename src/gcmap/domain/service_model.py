"""The service model: entry points, the edges that carry a contact, and who can serve it.

Built from a mapping's nodes and edges (a mapping document, or a graph being mapped), so
``gcmap whatif`` works offline. docs/service-paths.md says what each part models and what
the configuration cannot tell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gcmap.domain.graph import DependencyGraph

__all__ = ["EntryPoint", "Mode", "ServiceModel", "model_from_document", "model_from_graph"]

# Fields that hand a contact on to a flow or a queue, by the holder's type.
IVR_MODES = (("open", "openHoursFlow"), ("closed", "closedHoursFlow"),
             ("holiday", "holidayHoursFlow"))
ROUTE_FIELDS = ("queue", "flow")  # an email route hands mail to its queue, else its flow
FALLBACK_FIELDS = frozenset({"directRouting.backupQueueId",
                             "conditionalGroupRouting.rules[].groups[]"})
GROUP_TYPES = frozenset({"group", "team", "skill_group"})


@dataclass(frozen=True)
class Mode:
    """One way an entry point routes: open hours, closed hours, holidays, emergency.

    Attributes:
        name: the mode.
        start: the first flow or queue the contact reaches; None when nothing is set.
        needs: objects that must be up for the mode to route at all (the entry point, its
            schedule group, the emergency group).
        counted: False for the emergency mode, which is reported but does not decide the
            entry point's status (an emergency group is switched off in normal operation).
    """

    name: str
    start: str | None
    needs: tuple[str, ...]
    counted: bool = True


@dataclass(frozen=True)
class EntryPoint:
    """Where contacts come in, under the key of the object that first receives them."""

    key: str
    type: str
    name: str
    numbers: tuple[str, ...]
    voice: bool
    modes: tuple[Mode, ...]


@dataclass
class ServiceModel:
    """What the path search needs, in node keys.

    Attributes:
        entry_points: sorted by key.
        succ: node -> [(next node, is a fallback edge)], sorted.
        serves: destinations that can serve a contact (staffed queues and groups, flows that
            end a contact themselves).
        holes: flows that cannot run (unpublished, or not read).
        calls: flow -> the data actions it calls.
        carriers: one tuple per usable external trunk: the trunk and the Edge, site and trunk
            base it depends on. Empty when the org's trunks were not read or it has none.
        names: key -> name, for people.
    """

    entry_points: list[EntryPoint]
    succ: dict[str, list[tuple[str, bool]]]
    serves: frozenset[str]
    holes: frozenset[str]
    calls: dict[str, tuple[str, ...]]
    carriers: list[tuple[str, ...]]
    names: dict[str, str] = field(default_factory=dict)

    def candidates(self) -> list[str]:
        """Every object whose failure the model can judge, sorted."""
        keys = set(self.succ) | self.serves | {k for c in self.carriers for k in c}
        keys |= {a for acts in self.calls.values() for a in acts}
        keys |= {n for ep in self.entry_points for m in ep.modes for n in m.needs}
        return sorted(keys)


def _type(key: str) -> str:
    return key.split(":", 1)[0]


def _staffed(node_type: str, attrs: Mapping[str, Any]) -> bool:
    if node_type == "queue":
        joined = attrs.get("joinedMembersListed", attrs.get("joinedMemberCount"))
        return bool(joined)
    # Groups: the member count when the listing gave one; read groups without one count as
    # staffed (defensive: the model would otherwise call healthy orgs degraded).
    return bool(attrs.get("memberCount", 1))


def build_model(nodes: Iterable[tuple[str, str, str, Mapping[str, Any]]],
                edges: Iterable[tuple[str, str, str, str]]) -> ServiceModel:
    """The service model from (key, type, name, attrs) nodes and (from, to, field, source)
    edges."""
    attrs: dict[str, Mapping[str, Any]] = {}
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for key, node_type, name, a in nodes:
        attrs[key], names[key], types[key] = a, name, node_type
    out: dict[str, list[tuple[str, str, str]]] = {}
    into: dict[str, list[tuple[str, str]]] = {}
    for src, dst, fld, source in edges:
        out.setdefault(src, []).append((dst, fld, source))
        into.setdefault(dst, []).append((src, fld))
    succ: dict[str, set[tuple[str, bool]]] = {}
    calls: dict[str, set[str]] = {}
    for src, targets in out.items():
        st = types.get(src)
        for dst, fld, source in targets:
            dt = _type(dst)
            if st == "flow" and source == "dependency-tracking":
                if dt in ("flow", "queue") and dst != src:
                    succ.setdefault(src, set()).add((dst, False))
                elif dt == "data_action":
                    calls.setdefault(src, set()).add(dst)
            elif st == "queue" and fld in FALLBACK_FIELDS and dst != src and (
                    dt == "queue" or dt in GROUP_TYPES):
                succ.setdefault(src, set()).add((dst, True))
    holes = {k for k, t in types.items() if t == "flow" and (
        attrs[k].get("stub") or not attrs[k].get("publishedVersion"))}
    serves = {k for k, t in types.items()
              if (t == "queue" or t in GROUP_TYPES) and not attrs[k].get("stub")
              and _staffed(t, attrs[k])}
    # A flow that hands the contact to no flow and no queue ends it itself (a message, a
    # self-service menu, a bot that completes); docs/service-paths.md.
    serves |= {k for k, t in types.items() if t == "flow" and k not in holes and k not in succ}
    return ServiceModel(
        _entry_points(types, names, attrs, out, into), {k: sorted(v) for k, v in succ.items()},
        frozenset(serves), frozenset(holes), {k: tuple(sorted(v)) for k, v in calls.items()},
        _carriers(types, attrs, out), names)


def _first(out: dict[str, list[tuple[str, str, str]]], key: str, fld: str) -> str | None:
    hits = sorted(d for d, f, _ in out.get(key, []) if f == fld)
    return hits[0] if hits else None


def _entry_points(types: dict[str, str], names: dict[str, str],
                  attrs: dict[str, Mapping[str, Any]],
                  out: dict[str, list[tuple[str, str, str]]],
                  into: dict[str, list[tuple[str, str]]]) -> list[EntryPoint]:
    eps: list[EntryPoint] = []
    for key in sorted(types):
        t = types[key]
        if attrs[key].get("stub"):
            continue
        if t == "ivr":
            sg = _first(out, key, "scheduleGroup")
            needs = (key, sg) if sg else (key,)
            modes = [Mode(m, _first(out, key, f), needs) for m, f in IVR_MODES]
            for eg, fld in sorted(into.get(key, [])):
                if fld == "emergencyCallFlows[].ivrs[]" and types.get(eg) == "emergency_group":
                    modes.append(Mode("emergency", _first(out, eg, "emergencyCallFlows[]."
                                                         "emergencyFlow"), (key, eg), False))
            numbers = sorted({str(attrs[d].get("phoneNumber") or names[d])
                              for d, f in into.get(key, []) if f == "owner"
                              and types.get(d) == "did"} | set(attrs[key].get("dnis") or []))
            eps.append(EntryPoint(key, t, names[key], tuple(numbers), True, tuple(modes)))
        elif t in ("web_deployment", "message_recipient"):
            eps.append(EntryPoint(key, t, names[key], (), False,
                                  (Mode("default", _first(out, key, "flow"), (key,)),)))
        elif t == "email_route":
            start = next((s for s in (_first(out, key, f) for f in ROUTE_FIELDS) if s), None)
            domain = _first(out, key, "domainName")
            needs = (key, domain) if domain else (key,)
            pattern = str(attrs[key].get("pattern") or "")
            eps.append(EntryPoint(key, t, names[key] or pattern, (), False,
                                  (Mode("default", start, needs),)))
    return eps


def _carriers(types: dict[str, str], attrs: dict[str, Mapping[str, Any]],
              out: dict[str, list[tuple[str, str, str]]]) -> list[tuple[str, ...]]:
    chains = []
    for key in sorted(k for k, t in types.items() if t == "trunk"):
        a = attrs[key]
        if a.get("stub") or a.get("trunkType") not in (None, "EXTERNAL") or \
                a.get("inService") is False or a.get("enabled") is False:
            continue
        edge = _first(out, key, "edge")
        site = _first(out, edge, "site") if edge else None
        base = _first(out, key, "trunkBase")
        chains.append(tuple(k for k in (key, edge, site, base) if k))
    return chains


def model_from_document(doc: dict[str, Any]) -> ServiceModel:
    """The service model of a mapping document."""
    return build_model(((n["key"], n["type"], n["name"], n.get("attrs") or {})
                        for n in doc["nodes"]),
                       ((e["from"], e["to"], e["field"], e["source"]) for e in doc["edges"]))


def model_from_graph(graph: DependencyGraph) -> ServiceModel:
    """The service model of a DependencyGraph being mapped."""
    return build_model(((n.key, n.type, n.name, n.attrs) for n in graph.iter_nodes()),
                       ((e.src, e.dst, e.field, e.source) for e in graph.iter_edges()))
