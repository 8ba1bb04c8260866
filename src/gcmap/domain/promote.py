"""Plan a promotion: what org B needs to match org A (dev -> test -> prod, a DR org).

Built on the comparison by identity: objects only A has are created in B in create order
(the same order ``gcmap order`` gives, restricted to them), with the fields that close a
loop set in a second pass; matched objects that differ are changed to A's configuration;
objects only B has are listed for a person to decide. References name their target by
identity and, where B already has the target, by B's key. It only plans: nothing is
written to any org.
"""

from __future__ import annotations

from typing import Any

from gcmap.domain.compare import compare_documents, identities
from gcmap.domain.export import subgraph
from gcmap.domain.order import create_steps, waves_of

__all__ = ["promote_plan"]


def _named(ident: str) -> dict[str, str]:
    t, _, what = ident.partition("/")
    return {"type": t, "name": what}


def promote_plan(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What B needs to match A; every list sorted (waves in create order)."""
    cmp = compare_documents(a, b)
    ident_a, ident_b = identities(a), identities(b)
    b_key: dict[str, str | None] = {}  # identity -> B's key, when B holds it once
    for k, ident in sorted(ident_b.items()):
        b_key[ident] = None if ident in b_key else k
    create = {e["key"] for e in cmp["onlyInA"]}
    names = {n["key"]: n["name"] for n in a["nodes"]}
    sub = subgraph(a, create)
    steps = create_steps({**sub, "findings": []}) if create else []
    wave_of = waves_of(steps, sub)
    refs: dict[str, list[dict[str, Any]]] = {}
    for e in a["edges"]:
        if e["from"] in create and e["to"] not in create:
            target = ident_a.get(e["to"], e["to"])
            refs.setdefault(e["from"], []).append(
                {"field": e["field"], **_named(target), "bKey": b_key.get(target)})
    waves: list[dict[str, Any]] = []
    for i, step in enumerate(steps):
        while len(waves) <= wave_of[i]:
            waves.append({"wave": len(waves) + 1, "create": [], "setAfter": []})
        w = waves[wave_of[i]]
        for k in step["nodes"]:
            w["create"].append({"type": k.split(":", 1)[0], "name": names.get(k, ""), "key": k,
                                "references": sorted(refs.get(k, []), key=lambda r: (
                                    r["field"], r["type"], r["name"]))})
        w["setAfter"] += [{"object": _named(ident_a[d["from"]]), "field": d["field"],
                           "target": _named(ident_a[d["to"]])} for d in step["deferred"]]
    for w in waves:
        w["create"].sort(key=lambda c: (c["type"], c["name"], c["key"]))
        w["setAfter"].sort(key=lambda d: (d["object"]["type"], d["object"]["name"],
                                          d["field"], d["target"]["name"]))
    change = [{"type": d["type"], "name": d["name"], "a": d["a"], "b": d["b"],
               "set": {k: v["a"] for k, v in d["attributes"].items()},
               "addReferences": d["referencesRemoved"],
               "removeReferences": d["referencesAdded"]} for d in cmp["different"]]
    return {"a": cmp["a"], "b": cmp["b"], "matched": cmp["matched"],
            "create": {"count": len(create), "waves": waves}, "change": change,
            "onlyInB": cmp["onlyInB"], "ambiguous": cmp["ambiguous"]}
