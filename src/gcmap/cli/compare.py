"""``gcmap compare A.json B.json``: two orgs compared by what their objects are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from gcmap.cli.common import errors, load_mapping, out, write

__all__ = ["compare", "promote"]


def compare(a: Path = typer.Argument(..., help="mapping document of org A"),
            b: Path = typer.Argument(..., help="mapping document of org B"),
            as_json: bool = typer.Option(False, "--json"),
            fail_on_difference: bool = typer.Option(
                False, "--fail-on-difference", help="exit 1 when anything differs")) -> None:
    """Compare two orgs (dev/test/prod, a DR org) by identity: names, phone numbers, emails;
    references by their target's identity; state (counts, status, versions) ignored.

    Examples: gcmap compare dev.json prod.json · gcmap compare a.json b.json --json
    """
    from gcmap.domain.compare import compare_documents

    with errors():
        result = compare_documents(load_mapping(a), load_mapping(b))
    if as_json:
        write(json.dumps(result, indent=1, sort_keys=True) + "\n", None)
    else:
        _table(result)
    differs = any(result[k] for k in ("onlyInA", "onlyInB", "different", "ambiguous"))
    if fail_on_difference and differs:
        raise typer.Exit(1)


def _table(result: dict[str, Any]) -> None:
    t = Table(title=f"{result['matched']} object(s) matched", show_lines=False)
    for col in ("type", "object", "difference"):
        t.add_column(col, overflow="fold")
    rows: list[tuple[str, str, str]] = []
    for e in result["onlyInA"]:
        rows.append((e["type"], e["name"], "only in A"))
    for e in result["onlyInB"]:
        rows.append((e["type"], e["name"], "only in B"))
    for d in result["different"]:
        parts = [f"{k}: {v['a']!r} → {v['b']!r}" for k, v in d["attributes"].items()]
        parts += [f"+ {r['field']} → {r['type']} {r['name']!r}" for r in d["referencesAdded"]]
        parts += [f"- {r['field']} → {r['type']} {r['name']!r}"
                  for r in d["referencesRemoved"]]
        rows.append((d["type"], d["name"], "; ".join(parts)))
    for e in result["ambiguous"]:
        rows.append((e["type"], e["name"], f"ambiguous: {len(e['a'])} in A, {len(e['b'])} "
                     "in B share this name"))
    for r in sorted(rows):
        t.add_row(*r)
    out.print(t)


def promote(a: Path = typer.Argument(..., help="mapping document of the org to copy from"),
            b: Path = typer.Argument(..., help="mapping document of the org to bring level"),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """Plan what B needs to match A: objects to create in waves (with fields to set
    afterwards), objects to change, objects only B has. It only plans; nothing is written.

    Examples: gcmap promote test.json prod.json · gcmap promote dev.json test.json --json
    """
    from gcmap.domain.promote import promote_plan

    with errors():
        plan = promote_plan(load_mapping(a), load_mapping(b))
    if as_json:
        write(json.dumps(plan, indent=1, sort_keys=True) + "\n", None)
        return
    create = plan["create"]
    out.print(f"{plan['matched']} object(s) already match; {create['count']} to create in "
              f"{len(create['waves'])} wave(s), {len(plan['change'])} to change, "
              f"{len(plan['onlyInB'])} only in B", highlight=False)
    for w in create["waves"]:
        out.rule(f"create, wave {w['wave']}: {len(w['create'])} object(s)")
        for c in w["create"]:
            out.print(f"  {c['type']} {c['name']!r}", highlight=False)
        for d in w["setAfter"]:
            out.print(f"  then set {d['field']} on {d['object']['type']} "
                      f"{d['object']['name']!r} to {d['target']['type']} "
                      f"{d['target']['name']!r}", highlight=False)
    if plan["change"]:
        out.rule(f"change in B: {len(plan['change'])} object(s)")
        for c in plan["change"]:
            parts = [f"set {k} to {v!r}" for k, v in c["set"].items()]
            parts += [f"add {r['field']} → {r['type']} {r['name']!r}"
                      for r in c["addReferences"]]
            parts += [f"remove {r['field']} → {r['type']} {r['name']!r}"
                      for r in c["removeReferences"]]
            out.print(f"  {c['type']} {c['name']!r}: " + "; ".join(parts), highlight=False)
    if plan["onlyInB"]:
        out.rule(f"only in B (delete, or keep knowingly): {len(plan['onlyInB'])}")
        for e in plan["onlyInB"]:
            out.print(f"  {e['type']} {e['name']!r}", highlight=False)
    if plan["ambiguous"]:
        out.rule(f"ambiguous names (resolve before promoting): {len(plan['ambiguous'])}")
        for e in plan["ambiguous"]:
            out.print(f"  {e['type']} {e['name']!r}: {len(e['a'])} in A, {len(e['b'])} in B",
                      highlight=False)
