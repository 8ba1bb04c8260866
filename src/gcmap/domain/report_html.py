"""One self-contained HTML report of a mapping document (``gcmap report``).

Everything is inline (styles, SVG charts), so the file opens with no network and can be
shared as it is. Objects are named, never keyed, wherever a person reads; keys stay in
``title`` attributes for whoever needs them.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from gcmap.domain.advice import named
from gcmap.domain.document import graph_from_document, limit_usage
from gcmap.domain.service_model import model_from_document
from gcmap.domain.service_paths import by_object, resilience
from gcmap.domain.validate import counts_toward_depth

__all__ = ["render_html"]

SEVERITIES = ("error", "warning", "info")
COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0", "bar": "#5c7c8a"}
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2327}
header{background:#1d3557;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
main{padding:8px 28px 40px;max-width:1200px}h2{margin-top:32px;border-bottom:1px solid #ddd}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:22px}table{border-collapse:collapse;margin:8px 0}
td,th{border-bottom:1px solid #eee;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.num{text-align:right}.error{color:#c62828}.warning{color:#ef6c00}
.info{color:#1565c0}details{margin:4px 0}summary{cursor:pointer}code{font-size:12px}
.path{font-family:ui-monospace,monospace;font-size:12px}.muted{color:#666}
"""


def _namer(doc: dict[str, Any]) -> Any:
    names = {n["key"]: n["name"] for n in doc["nodes"]}
    return lambda key: named(key, names.get(key))


def _bars(rows: list[tuple[str, int, str]], width: int = 640) -> str:
    """A horizontal bar chart as inline SVG: (label, value, colour) rows."""
    if not rows:
        return "<p class='muted'>none</p>"
    top = max(v for _, v, _ in rows) or 1
    h, label_w = 20, 200
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' "
             f"height='{h * len(rows) + 4}' role='img'>"]
    for i, (label, value, colour) in enumerate(rows):
        y = i * h + 2
        w = max(1, int((width - label_w - 60) * value / top))
        parts.append(f"<text x='{label_w - 6}' y='{y + 14}' text-anchor='end' "
                     f"font-size='12'>{escape(label)}</text>"
                     f"<rect x='{label_w}' y='{y + 2}' width='{w}' height='{h - 6}' "
                     f"fill='{colour}'><title>{escape(label)}: {value}</title></rect>"
                     f"<text x='{label_w + w + 6}' y='{y + 14}' font-size='12'>{value}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(
        f"<td class='num'>{c}</td>" if i in numeric else f"<td>{c}</td>"
        for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _chain(doc: dict[str, Any]) -> list[str]:
    deep = [f for f in doc["findings"] if f["rule"] == "depth-exceeded"]
    if deep:
        return list(deep[0]["evidence"]["chain"])
    return graph_from_document(doc).longest_chain(counts_toward_depth)


def render_html(doc: dict[str, Any], *, top: int = 25) -> str:
    """The report as one HTML page."""
    name = _namer(doc)
    stats, findings = doc["stats"], doc["findings"]
    sev = Counter(f["severity"] for f in findings)
    org = escape(doc.get("orgName") or "org")
    out = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>",
           f"<title>gcmap report: {org}</title><style>{STYLE}</style></head><body>",
           f"<header><h1>{org}</h1><div>{escape(str(doc.get('environment')))} · region "
           f"{escape(str(doc.get('region') or 'unknown'))} · mapped "
           f"{escape(str(doc.get('generatedAt')))} · snapshot "
           f"<code>{escape(str(doc.get('snapshotHash', ''))[:16])}</code></div></header><main>"]
    cards = [("objects", len(doc["nodes"])), ("references", len(doc["edges"])),
             ("errors", sev["error"]), ("warnings", sev["warning"]), ("info", sev["info"]),
             ("resolution", f"{stats.get('resolutionAccuracy', 0):.2%}"),
             ("depth", f"{stats.get('depth')} / {stats.get('maxDepth')}")]
    if "apiCalls" in stats:
        cards.append(("API calls", stats["apiCalls"]))
    out.append("<section id='summary'><h2>Summary</h2><div class='cards'>" + "".join(
        f"<div class='card'><b>{escape(str(v))}</b>{escape(k)}</div>" for k, v in cards)
        + "</div>")
    if stats.get("partial"):
        out.append("<p class='warning'>This mapping is partial: some listings could not be "
                   "read (see crawl.partial findings).</p>")
    out.append("</section>")
    by_type = sorted(stats["nodesByType"].items(), key=lambda kv: (-kv[1], kv[0]))
    out.append("<section id='types'><h2>Objects by type</h2>"
               + _bars([(t, n, COLOURS["bar"]) for t, n in by_type]) + "</section>")
    rules = Counter((f["rule"], f["severity"]) for f in findings)
    ranked = sorted(rules.items(), key=lambda kv: (SEVERITIES.index(kv[0][1]), -kv[1],
                                                    kv[0][0]))
    out.append("<section id='rules'><h2>Findings by rule</h2>"
               + _bars([(r, n, COLOURS[s]) for (r, s), n in ranked]) + "</section>")
    if doc.get("limits"):
        used = limit_usage(stats["nodesByType"])
        rows = [[escape(k), str(v), str(used.get(k, "")),
                 f"{used[k] / v:.0%}" if k in used and isinstance(v, int | float) and v else ""]
                for k, v in doc["limits"].items()]
        out.append("<section id='limits'><h2>Organization limits</h2>"
                   + _table(["limit", "value", "in use", "used"], rows, {1, 2, 3})
                   + "</section>")
    out.append(_findings(findings, name))
    out.append(_cycles(findings, name, top))
    chain = _chain(doc)
    out.append(f"<section id='chain'><h2>Deepest reference chain</h2><p>depth "
               f"{max(0, len(chain) - 1)} (limit {stats.get('maxDepth')})</p><p class='path'>"
               + " → ".join(escape(name(k)) for k in chain) + "</p></section>")
    out.append(_single_points(doc, name, top))
    out.append("<p class='muted'>Generated by gcmap from one mapping document; "
               "`gcmap findings -m` lists every finding in a terminal.</p></main></body></html>")
    return "\n".join(out)


def _findings(findings: list[dict[str, Any]], name: Any) -> str:
    parts = ["<section id='findings'><h2>Findings by severity and rule</h2>"]
    for s in SEVERITIES:
        mine = [f for f in findings if f["severity"] == s]
        parts.append(f"<h3 class='{s}'>{s}: {len(mine)}</h3>")
        by_rule: dict[str, list[dict[str, Any]]] = {}
        for f in mine:
            by_rule.setdefault(f["rule"], []).append(f)
        for rule in sorted(by_rule, key=lambda r: (-len(by_rule[r]), r)):
            items = "".join(
                f"<li title='{escape(', '.join(f['nodes'][:5]))}'>{escape(f['message'])}"
                + (f" <span class='muted'>({escape(', '.join(name(k) for k in f['nodes'][:3]))}"
                   ")</span>" if f["nodes"] else "") + "</li>"
                for f in sorted(by_rule[rule], key=lambda f: f["nodes"]))
            parts.append(f"<details><summary><b>{escape(rule)}</b> ({len(by_rule[rule])})"
                         f"</summary><ul>{items}</ul></details>")
    parts.append("</section>")
    return "".join(parts)


def _cycles(findings: list[dict[str, Any]], name: Any, top: int) -> str:
    cycles = sorted((f for f in findings if f["rule"] == "cycle"),
                    key=lambda f: (SEVERITIES.index(f["severity"]), f["nodes"]))
    rows = [[f"<span class='{f['severity']}'>{f['severity']}</span>",
             str(f["evidence"]["size"]), escape(f["evidence"].get("loopKind", "")),
             "<span class='path'>" + " → ".join(escape(name(k))
                                                for k in f["evidence"]["path"]) + "</span>"
             + "<br><span class='muted'>via " + escape(" → ".join(
                 h["field"] for h in f["evidence"]["hops"])) + "</span>"]
            for f in cycles[:top]]
    more = (f"<p class='muted'>… and {len(cycles) - top} more</p>"
            if len(cycles) > top else "")
    return ("<section id='cycles'><h2>Cycles</h2>"
            + (_table(["severity", "objects", "kind", "path"], rows, {1}) if rows
               else "<p>none</p>") + more + "</section>")


def _single_points(doc: dict[str, Any], name: Any, top: int) -> str:
    ranked = by_object(resilience(model_from_document(doc)))
    failover = Counter(f["rule"] for f in doc["findings"] if f["rule"].startswith("failover."))
    rows = [[escape(name(k)), str(len(eps)), escape(", ".join(name(e) for e in eps[:4]))
             + (" …" if len(eps) > 4 else "")] for k, eps in ranked[:top]]
    return ("<section id='failover'><h2>Failover weaknesses</h2>"
            + _table(["rule", "count"], [[escape(r), str(n)] for r, n in
                                         sorted(failover.items(), key=lambda kv: -kv[1])], {1})
            + "<h3>Single points of failure</h3><p class='muted'>Objects whose failure alone "
            "leaves entry points with no path to anyone who can serve them.</p>"
            + (_table(["object", "entry points", "which"], rows, {1}) if rows
               else "<p>none</p>") + "</section>")
