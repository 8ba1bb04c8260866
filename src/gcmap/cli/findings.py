"""``gcmap findings``: every finding of a mapping document, filtered, in the form asked for.

Severity first, then rule, then the objects; objects are named, not keyed, wherever a person
reads them (the JSON form keeps the keys too).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from gcmap.cli.common import SEVERITIES, UsageError, errors, load_mapping, out, write

__all__ = ["FINDING_FORMATS", "findings", "select_findings"]

FINDING_FORMATS = ("table", "csv", "markdown", "json")


def select_findings(doc: dict[str, Any], severity: str | None = None, rule: str | None = None,
                    node_type: str | None = None) -> list[dict[str, Any]]:
    """Findings at ``severity`` or worse, whose rule starts with ``rule``, that touch an
    object of ``node_type``; severity first, then rule, then objects."""
    if severity is not None and severity not in SEVERITIES:
        raise UsageError(f"--severity must be one of {', '.join(SEVERITIES)}")
    worst = SEVERITIES.index(severity) if severity else len(SEVERITIES)
    picked = [f for f in doc["findings"]
              if SEVERITIES.index(f["severity"]) <= worst
              and (rule is None or f["rule"].startswith(rule))
              and (node_type is None or any(k.split(":", 1)[0] == node_type
                                            for k in f["nodes"]))]
    return sorted(picked, key=lambda f: (SEVERITIES.index(f["severity"]), f["rule"],
                                         f["nodes"], f["message"]))


def _names(doc: dict[str, Any], keys: list[str]) -> str:
    names = {n["key"]: n["name"] for n in doc["nodes"]}
    shown = [f"{k.split(':', 1)[0]} {names[k]!r}" if names.get(k) else k for k in keys[:5]]
    more = f" (+{len(keys) - 5} more)" if len(keys) > 5 else ""
    return ", ".join(shown) + more


def render(doc: dict[str, Any], items: list[dict[str, Any]], fmt: str) -> str | None:
    """The findings as text in ``fmt``; None for the table form (printed directly)."""
    rows = [(f["severity"], f["rule"], _names(doc, f["nodes"]), f["message"]) for f in items]
    if fmt == "json":
        return json.dumps([dict(f, objects=_names(doc, f["nodes"])) for f in items],
                          indent=1, sort_keys=True) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["severity", "rule", "objects", "message"])
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "markdown":
        def cell(v: str) -> str:
            return v.replace("|", "\\|").replace("\n", " ")
        lines = ["| severity | rule | objects | message |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    t = Table(title=f"{len(items)} finding(s)", show_lines=False)
    for col in ("severity", "rule", "objects", "message"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(*r)
    out.print(t)
    return None


def findings(mapping: Path = typer.Option(..., "--mapping", "-m",
                                          help="a mapping document (gcmap map -f json)"),
             severity: str | None = typer.Option(None, "--severity",
                                                 help="error|warning|info: this or worse"),
             rule: str | None = typer.Option(None, "--rule", help="a rule id or its prefix "
                                             "(failover.)"),
             node_type: str | None = typer.Option(None, "--type",
                                                  help="only findings about this type"),
             fmt: str = typer.Option("table", "--format", "-f",
                                     help="|".join(FINDING_FORMATS)),
             output: Path | None = typer.Option(None, "--output", "-o")) -> None:
    """Every finding of a mapping, offline: severity first, objects by name.

    Examples: gcmap findings -m out/demo-mapping.json · gcmap findings -m m.json
    --severity error --format markdown -o findings.md · gcmap findings -m m.json --rule failover.
    """
    with errors():
        if fmt not in FINDING_FORMATS:
            raise UsageError(f"--format must be one of {', '.join(FINDING_FORMATS)}")
        doc = load_mapping(mapping)
        items = select_findings(doc, severity, rule, node_type)
        text = render(doc, items, fmt)
        if text is not None:
            write(text, output)
