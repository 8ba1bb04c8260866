"""``gcmap report``: one self-contained HTML file of a mapping, to open or share offline."""

from __future__ import annotations

from pathlib import Path

import typer

from gcmap.cli.common import err, errors, load_mapping, write

__all__ = ["report"]


def report(mapping: Path = typer.Option(..., "--mapping", "-m",
                                        help="a mapping document (gcmap map -f json)"),
           output: Path = typer.Option(Path("report.html"), "--output", "-o",
                                       help="the HTML file to write"),
           top: int = typer.Option(25, "--top", min=1,
                                   help="cycles and single points of failure listed")) -> None:
    """Write the mapping as one HTML page: summary, limits, findings by severity and rule,
    cycles with their paths, failover weaknesses, the deepest chain, charts. No network is
    needed to open it."""
    from gcmap.domain.report_html import render_html

    with errors():
        html = render_html(load_mapping(mapping), top=top)
        write(html, output)
    err.print(f"wrote {output} ({len(html.encode()) // 1024} KB); open it in a browser")
