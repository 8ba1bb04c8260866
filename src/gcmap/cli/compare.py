"""``gcmap compare A.json B.json``: two orgs compared by what their objects are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from gcmap.cli.common import errors, load_mapping, out, write

__all__ = ["compare"]


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
