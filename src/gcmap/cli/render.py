"""Rich renderings of mapping documents for a terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["render_diff", "render_failover", "render_impact", "render_order", "render_report"]

SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _namer(doc: dict[str, Any]) -> Callable[[str], str]:
    """``type 'name'`` for a key of ``doc`` (the key itself when it has no name)."""
    names = {n["key"]: n["name"] for n in doc["nodes"]}

    def name(key: str) -> str:
        n = names.get(key) or ""
        return f"{key.split(':', 1)[0]} {n!r}" if n else key
    return name


def render_report(console: Console, doc: dict[str, Any], *, limit: int = 5,
                  saved_as: str = "MAPPING.json") -> None:
    """The one-minute report: counts, limits, cycles, depth, dangling, failover;
    ``saved_as`` names the document in the hints to read the rest offline."""
    name = _namer(doc)
    stats = doc["stats"]
    console.rule(f"[bold]{doc.get('orgName') or 'org'}[/] · {doc.get('environment')} · "
                 f"region {doc.get('region') or 'unknown'}")
    t = Table(title="Objects by type", show_edge=False)
    t.add_column("type")
    t.add_column("count", justify="right")
    for typ, n in sorted(stats["nodesByType"].items(), key=lambda kv: (-kv[1], kv[0])):
        t.add_row(typ, str(n))
    console.print(t)
    console.print(f"{len(doc['nodes'])} objects, {len(doc['edges'])} references; "
                  f"resolution accuracy {stats['resolutionAccuracy']:.2%} "
                  f"({stats['referencesResolved']} of {stats['referencesSeen']} resolved)")
    if "apiCalls" in stats:
        console.print(f"read with {stats['apiCalls']} API calls in "
                      f"{stats.get('durationMs', 0) / 1000:.1f} s")
    if doc.get("limits"):
        lt = Table(title="Organization limits", show_edge=False)
        lt.add_column("limit")
        lt.add_column("value", justify="right")
        lt.add_column("in use", justify="right")
        from gcmap.domain.document import limit_usage

        used = limit_usage(stats["nodesByType"])
        for k, v in doc["limits"].items():
            lt.add_row(k, str(v), str(used.get(k, "")))
        console.print(lt)
    findings = doc["findings"]
    sev = Counter(f["severity"] for f in findings)
    console.print(f"[bold]Findings[/]: [bold red]{sev['error']} errors[/], "
                  f"[yellow]{sev['warning']} warnings[/], [cyan]{sev['info']} info[/]")
    cycles = [f for f in findings if f["rule"] == "cycle"]
    if cycles:
        console.rule("Cycles")
        for f in sorted(cycles, key=lambda f: ({"error": 0, "warning": 1, "info": 2}[
                f["severity"]], f["nodes"]))[:limit]:
            console.print(f"[{SEV_STYLE[f['severity']]}]{f['severity']}[/] "
                          f"{f['evidence']['size']} objects: " + " → ".join(
                              name(k) for k in f["evidence"]["path"]))
            fields = " → ".join(hop["field"] for hop in f["evidence"]["hops"])
            console.print(f"    via {fields}", highlight=False)
            console.print(f"    [dim]{f['evidence']['advice']}[/]", highlight=False)
            shown = 3 if f["evidence"].get("loopKind") == "config" else 0
            for d in f["evidence"]["deferEdges"][:shown]:
                console.print(f"    [dim]IaC:[/] {d['action']}", highlight=False)
        if len(cycles) > limit:
            console.print(f"  … and {len(cycles) - limit} more: gcmap findings -m {saved_as} "
                          "--rule cycle", highlight=False)
    console.rule("Deepest reference chain")
    depth = [f for f in findings if f["rule"] == "depth-exceeded"]
    console.print(f"depth {stats['depth']} (limit {stats['maxDepth']})"
                  + (" [yellow]exceeds the limit[/]" if depth else ""))
    chain = depth[0]["evidence"]["chain"] if depth else []
    if chain:
        console.print("  " + " → ".join(name(k) for k in chain))
    dangling = [f for f in findings if f["rule"] == "dangling-reference"]
    if dangling:
        console.rule(f"Dangling references ({len(dangling)})")
        for f in dangling[:limit]:
            ev = f["evidence"]
            gone = "deleted" if ev.get("targetDeleted") else "missing"
            console.print(f"[bold red]error[/] {name(f['nodes'][0])}.{ev['field']} → "
                          f"{gone} {ev['targetType']} {ev['targetId']}")
        if len(dangling) > limit:
            console.print(f"  … and {len(dangling) - limit} more: gcmap findings -m {saved_as}"
                          " --rule dangling-reference", highlight=False)
    render_failover(console, doc)
    selfs = [f for f in findings if f["rule"] == "self-reference"]
    if selfs:
        console.rule(f"Self references ({len(selfs)})")
        for f in selfs[:limit]:
            console.print(f"[yellow]warning[/] {f['message']}")
    if "endpoints" in stats:
        render_endpoints(console, doc, limit=limit)


def render_endpoints(console: Console, doc: dict[str, Any], *, limit: int = 20) -> None:
    """Probed endpoints, unreachable first, then slowest first."""
    rows = doc["stats"].get("endpoints") or []
    console.rule(f"Endpoints probed ({len(rows)}), slowest first")
    t = Table(show_edge=False)
    for col in ("endpoint", "result", "p50 ms", "p95 ms", "dns ms", "connect ms"):
        t.add_column(col, overflow="fold")  # a URL folds onto the next line, never cut
    for r in rows[:limit]:
        result = "[green]ok[/]" if r["ok"] and not r["error"] else \
            f"[red]{r['error']}[/] {r['detail'][:60]}"
        t.add_row(r["url"], result, *(str(r.get(k) if r.get(k) is not None else "-")
                                      for k in ("totalMsP50", "totalMsP95", "dnsMsP50",
                                                "connectMsP50")))
    console.print(t)


def render_failover(console: Console, doc: dict[str, Any], *, limit: int = 50) -> None:
    """Failover findings grouped by rule, worst first, with one example each."""
    rows = [f for f in doc["findings"] if f["rule"].startswith("failover.")]
    console.rule(f"Failover weaknesses ({len(rows)})")
    if not rows:
        console.print("[green]no failover weaknesses found[/]")
        return
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in rows:
        by_rule.setdefault(f["rule"], []).append(f)
    order = {"error": 0, "warning": 1, "info": 2}
    t = Table(show_edge=False)
    t.add_column("severity", no_wrap=True)
    t.add_column("rule", no_wrap=True)
    t.add_column("count", justify="right", no_wrap=True)
    t.add_column("example", ratio=1)
    ranked = sorted(by_rule.items(), key=lambda kv: (order[kv[1][0]["severity"]], kv[0]))
    for rule, items in ranked[:limit]:
        sev = items[0]["severity"]
        t.add_row(f"[{SEV_STYLE[sev]}]{sev}[/]", rule, str(len(items)), items[0]["message"])
    console.print(t)


def render_impact(console: Console, result: dict[str, Any], doc: dict[str, Any]) -> None:
    """What an object uses or is used by, by name, nearest first."""
    name = _namer(doc)
    verb = "uses" if result["direction"] == "uses" else "is used by"
    console.print(f"{name(result['node'])} {verb} {result['count']} objects within depth "
                  f"{result['depth']}: " + ", ".join(f"{n} {t}" for t, n in
                                                     result["byType"].items()),
                  highlight=False)
    t = Table(show_edge=False)
    for col in ("distance", "type", "name"):
        t.add_column(col)
    for n in result["nodes"]:
        t.add_row(str(n["distance"]), n["type"], n["name"] or n["key"])
    console.print(t)
    granted = result.get("grantedInDivision") or []
    if granted:  # who could change it: a role in its division (roles' permissions not read)
        shown = ", ".join(f"{g['type']} {g['name'] or g['key']!r}" for g in granted[:10])
        more = f" and {len(granted) - 10} more" if len(granted) > 10 else ""
        console.print(f"{len(granted)} hold a role in its division: {shown}{more}",
                      highlight=False)
    console.print("--json gives each object's key", style="dim")


def render_diff(console: Console, diff: dict[str, Any], old: dict[str, Any],
                new: dict[str, Any]) -> None:
    """What changed, one block per object by name: added, removed, or changed with its
    attributes and references."""
    if diff["empty"]:
        console.print("[green]no changes[/]")
        return
    names = {n["key"]: n["name"] for n in old["nodes"]}
    names.update({n["key"]: n["name"] for n in new["nodes"]})

    def name(key: str) -> str:
        n = names.get(key)
        return f"{key.split(':', 1)[0]} {n!r}" if n else key

    blocks: dict[str, list[str]] = {}
    heads: dict[str, str] = {}
    for n in diff["nodesAdded"]:
        heads[n["key"]] = f"[green]+ {name(n['key'])}[/] added"
    for n in diff["nodesRemoved"]:
        heads[n["key"]] = f"[red]- {name(n['key'])}[/] removed"
    for n in diff["nodesChanged"]:
        heads.setdefault(n["key"], f"[yellow]~ {name(n['key'])}[/]")
        blocks.setdefault(n["key"], []).extend(
            f"{k.removeprefix('attrs.')}: {v['old']!r} → {v['new']!r}"
            for k, v in n["changes"].items())
    for sign, key, style in (("+", "edgesAdded", "green"), ("-", "edgesRemoved", "red")):
        for e in diff[key]:
            heads.setdefault(e["from"], f"[yellow]~ {name(e['from'])}[/]")
            blocks.setdefault(e["from"], []).append(
                f"[{style}]{sign}[/] {e['field']} → {name(e['to'])}")
    order = sorted(heads, key=lambda k: (k.split(":", 1)[0], names.get(k) or "", k))
    for k in order:
        console.print(heads[k], highlight=False)
        for line in blocks.get(k, []):
            console.print(f"    {line}", highlight=False)
    console.print(f"{len(diff['nodesAdded'])} added, {len(diff['nodesRemoved'])} removed, "
                  f"{len(diff['nodesChanged'])} changed, {len(diff['edgesAdded'])} references "
                  f"added, {len(diff['edgesRemoved'])} removed; --json gives the keys",
                  style="dim")


def render_order(console: Console, steps: list[dict[str, Any]],
                 doc: dict[str, Any]) -> None:
    """The create order as waves of objects by name, grouped by type within a wave; a wave
    holds everything whose references the earlier waves created."""
    name = _namer(doc)
    from gcmap.domain.order import waves_of

    depth = waves_of(steps, doc)
    waves: dict[int, list[str]] = {}
    deferred: dict[int, list[dict[str, Any]]] = {}
    for i, s in enumerate(steps):
        waves.setdefault(depth[i], []).extend(s["nodes"])
        deferred.setdefault(depth[i], []).extend(s["deferred"])
    for w in sorted(waves):
        by_type: dict[str, list[str]] = {}
        for k in waves[w]:
            by_type.setdefault(k.split(":", 1)[0], []).append(k)
        console.rule(f"wave {w + 1}: {len(waves[w])} object(s)")
        for t in sorted(by_type):
            keys = sorted(by_type[t], key=name)
            shown = ", ".join(name(k).split(" ", 1)[-1] for k in keys[:8])
            more = f" (+{len(keys) - 8} more)" if len(keys) > 8 else ""
            console.print(f"  {t} ({len(keys)}): {shown}{more}", highlight=False)
        for d in deferred[w]:
            console.print(f"  then set {d['field']} on {name(d['from'])} to {name(d['to'])}",
                          highlight=False)
