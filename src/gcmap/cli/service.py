"""``gcmap whatif`` and ``gcmap resilience``: entry points against failures, offline from a
mapping document (docs/service-paths.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from gcmap.cli.common import UsageError, errors, load_mapping, out, resolve_key, write

__all__ = ["region_keys", "resilience", "whatif"]

MappingOpt = typer.Option(..., "--mapping", "-m", help="a mapping document (gcmap map -f json)")


def region_keys(doc: dict[str, Any], region: str) -> list[str]:
    """What the data places in ``region``: sites whose media regions are all that region
    (a site that can use another one survives), the Edges at them, and data actions whose
    endpoint host names the region (an AWS regional host)."""
    from urllib.parse import urlsplit

    from gcmap.domain.endpoints import origin_of
    from gcmap.domain.regions import region_of_host

    sites = {n["key"] for n in doc["nodes"] if n["type"] == "site"
             and (n.get("attrs") or {}).get("mediaRegions")
             and set(n["attrs"]["mediaRegions"]) == {region}}
    edges = {e["from"] for e in doc["edges"] if e["field"] == "site" and e["to"] in sites
             and e["from"].startswith("edge:")}
    actions = set()
    for n in doc["nodes"]:
        template = (n.get("attrs") or {}).get("requestUrlTemplate")
        origin = origin_of(str(template)) if n["type"] == "data_action" and template else None
        if origin and region_of_host(urlsplit(origin).hostname or "") == region:
            actions.add(n["key"])
    return sorted(sites | edges | actions)


def whatif(keys: list[str] = typer.Argument(None, help="node keys or names; all fail at once"),
           mapping: Path = MappingOpt,
           region: str | None = typer.Option(None, "--region",
                                             help="also fail the sites (and their Edges) "
                                                  "served only from this region and the data "
                                                  "actions calling hosts in it"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Which entry points go down or degrade when KEYs fail (offline, from -m)."""
    from gcmap.domain.advice import named
    from gcmap.domain.service_model import model_from_document
    from gcmap.domain.service_paths import whatif as run_whatif

    with errors():
        doc = load_mapping(mapping)
        failed = [resolve_key(doc, k, mapping) for k in keys or []]
        if region:
            in_region = region_keys(doc, region)
            if not in_region:
                raise UsageError(f"nothing in {mapping} is placed in {region}: no site has "
                                 "only that media region and no data action calls a host "
                                 "there")
            failed += in_region
        if not failed:
            raise UsageError("name what fails: one or more keys or names, or --region")
        result = run_whatif(model_from_document(doc), failed)
    if as_json:
        write(json.dumps(result, indent=1, sort_keys=True) + "\n", None)
        return
    names = {n["key"]: n["name"] for n in doc["nodes"]}
    s = result["summary"]
    which = ", ".join(named(k, names.get(k)) for k in result["failed"])
    out.print(f"If {which} fail(s): "
              f"{s['down']} entry point(s) down, {s['degraded']} degraded, {s['unchanged']} of "
              f"{s['entryPoints']} unchanged", soft_wrap=True)
    if not result["entryPoints"]:
        return
    t = Table("entry point", "status", "modes down", "now reaches", "lost")
    for e in result["entryPoints"]:
        path = e["path"] or []
        t.add_row(named(e["key"], names.get(e["key"])), f"{e['before']} -> {e['after']}",
                  ", ".join(m for m, v in e["modes"].items() if v == "down"),
                  (names.get(path[-1]) or path[-1]) if path else "nobody",
                  str(len(e["lost"])))
    out.print(t)
    out.print("--json gives each surviving path, the numbers and the destinations lost")
    out.print(t)


def resilience(mapping: Path = MappingOpt, as_json: bool = typer.Option(False, "--json"),
               top: int = typer.Option(20, "--top", min=1,
                                       help="objects shown in the table")) -> None:
    """Each entry point's single points of failure, ranked by how many each takes down."""
    from gcmap.domain.advice import named
    from gcmap.domain.service_model import model_from_document
    from gcmap.domain.service_paths import by_object
    from gcmap.domain.service_paths import resilience as run_resilience

    with errors():
        doc = load_mapping(mapping)
        model = model_from_document(doc)
        per_entry = run_resilience(model)
    ranked = by_object(per_entry)
    if as_json:
        write(json.dumps({"entryPoints": per_entry,
                          "objects": [{"key": k, "entryPoints": v} for k, v in ranked]},
                         indent=1, sort_keys=True) + "\n", None)
        return
    names = {n["key"]: n["name"] for n in doc["nodes"]}
    out.print(f"{len(ranked)} single point(s) of failure across {len(per_entry)} entry points")
    t = Table("object", "entry points it takes down alone", "count")
    for k, eps in ranked[:top]:
        shown = ", ".join(names.get(e) or e for e in sorted(eps)[:4])
        t.add_row(named(k, names.get(k)), shown + (" …" if len(eps) > 4 else ""),
                  str(len(eps)))
    out.print(t)
    if len(ranked) > top:
        out.print(f"… and {len(ranked) - top} more (--top {len(ranked)}, or --json)")
