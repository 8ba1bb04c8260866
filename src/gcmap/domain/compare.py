"""Compare two orgs by what their objects are, not by their ids (dev/test/prod, DR orgs).

Every object has a different id in each org, so objects are matched by a natural identity
per type (``IDENTITY``): the name for most types, the phone number for DIDs, the email for
users, the domain and pattern for email routes, and the one organization. References
compare by the identity of their target, so ``queueFlow -> flow 'Main menu'`` is the same in
both orgs whatever the ids. Attributes that describe state rather than configuration
(``STATE_ATTRS``) are ignored. A name that several objects of one type share is a promotion
hazard of its own: it is reported as ambiguous and those objects are not matched.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

__all__ = ["IDENTITY", "STATE_ATTRS", "compare_documents", "identities", "identity_of"]

# type -> the node attribute that identifies it across orgs (default: the name).
IDENTITY: dict[str, str] = {"did": "phoneNumber", "user": "email", "sms_number": "phoneNumber"}
# Attributes that change by themselves (counts, status, versions): not configuration.
STATE_ATTRS = frozenset({
    "memberCount", "joinedMemberCount", "userMemberCount", "membersListed",
    "joinedMembersListed", "onlineStatus", "statusCode", "connected", "inService",
    "publishedVersion", "checkedInVersion", "reportedState", "stub", "mxRecordStatus"})


def _route_domains(doc: dict[str, Any]) -> dict[str, str]:
    """email route key -> the name of the domain it is listed under."""
    names = {n["key"]: n["name"] for n in doc["nodes"]}
    return {e["from"]: names.get(e["to"], e["to"]) for e in doc["edges"]
            if e["from"].startswith("email_route:") and e["field"] == "domainName"}


def identity_of(node: dict[str, Any], route_domains: dict[str, str] | None = None) -> str:
    """The identity of one node, as ``type/what`` (stable across orgs)."""
    t = node["type"]
    if t == "organization":
        return "organization"
    if t == "email_route":
        domain = (route_domains or {}).get(node["key"], "")
        return f"email_route/{domain}/{node['attrs'].get('pattern', node['name'])}"
    field = IDENTITY.get(t)
    value = node["attrs"].get(field) if field else None
    return f"{t}/{value if value is not None else node['name']}"


def _index(doc: dict[str, Any]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    routes = _route_domains(doc)
    by_ident: dict[str, list[dict[str, Any]]] = defaultdict(list)
    ident_of: dict[str, str] = {}
    for n in doc["nodes"]:
        i = identity_of(n, routes)
        by_ident[i].append(n)
        ident_of[n["key"]] = i
    return by_ident, ident_of


def identities(doc: dict[str, Any]) -> dict[str, str]:
    """Node key -> its identity across orgs (``type/what``)."""
    return _index(doc)[1]


def _refs(doc: dict[str, Any], ident_of: dict[str, str]) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for e in doc["edges"]:
        out[e["from"]].add((e["field"], ident_of.get(e["to"], e["to"])))
    return out


def _entry(node: dict[str, Any]) -> dict[str, Any]:
    return {"type": node["type"], "name": node["name"], "key": node["key"]}


def _ref_dict(field: str, ident: str) -> dict[str, str]:
    t, _, what = ident.partition("/")
    return {"field": field, "type": t, "name": what}


def compare_documents(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What differs between the orgs of two mapping documents; every list is sorted."""
    a_by, a_ident = _index(a)
    b_by, b_ident = _index(b)
    a_refs, b_refs = _refs(a, a_ident), _refs(b, b_ident)
    matched = 0
    only_a: list[dict[str, Any]] = []
    only_b: list[dict[str, Any]] = []
    different: list[dict[str, Any]] = []
    ambiguous: list[dict[str, Any]] = []
    for ident in sorted(a_by.keys() | b_by.keys()):
        xs, ys = a_by.get(ident, []), b_by.get(ident, [])
        if len(xs) > 1 or len(ys) > 1:
            t, _, what = ident.partition("/")
            ambiguous.append({"type": t, "name": what, "a": sorted(n["key"] for n in xs),
                              "b": sorted(n["key"] for n in ys)})
            continue
        if not ys:
            only_a.append(_entry(xs[0]))
            continue
        if not xs:
            only_b.append(_entry(ys[0]))
            continue
        x, y = xs[0], ys[0]
        matched += 1
        attrs = {k: {"a": x["attrs"].get(k), "b": y["attrs"].get(k)}
                 for k in sorted(x["attrs"].keys() | y["attrs"].keys())
                 if k not in STATE_ATTRS and x["attrs"].get(k) != y["attrs"].get(k)}
        if x["name"] != y["name"]:  # the identity is another field (email, number)
            attrs["name"] = {"a": x["name"], "b": y["name"]}
        ra, rb = a_refs.get(x["key"], set()), b_refs.get(y["key"], set())
        if attrs or ra != rb:
            different.append({
                "type": x["type"], "name": x["name"], "a": x["key"], "b": y["key"],
                "attributes": attrs,
                "referencesAdded": [_ref_dict(f, i) for f, i in sorted(rb - ra)],
                "referencesRemoved": [_ref_dict(f, i) for f, i in sorted(ra - rb)]})

    def sort_key(e: dict[str, Any]) -> tuple[str, str, str]:
        return (e["type"], e["name"], e.get("key") or e.get("a") or "")

    return {"a": {"orgId": a.get("orgId"), "orgName": a.get("orgName")},
            "b": {"orgId": b.get("orgId"), "orgName": b.get("orgName")},
            "matched": matched, "onlyInA": sorted(only_a, key=sort_key),
            "onlyInB": sorted(only_b, key=sort_key),
            "different": sorted(different, key=sort_key),
            "ambiguous": sorted(ambiguous, key=lambda e: (e["type"], e["name"]))}
