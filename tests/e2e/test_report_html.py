"""``gcmap report``: one HTML file that opens with no network, rendered in headless Chromium
and checked for what a reader sees."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gcmap.cli.main import app
from gcsim import generate_org
from tests.e2e.test_ui_browser import CHROMIUM, _browser

runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    d = tmp_path_factory.mktemp("report")
    (d / "org.json").write_text(json.dumps(generate_org("small", 1)))
    res = runner.invoke(app, ["map", "--from-file", str(d / "org.json"), "-f", "json",
                              "-o", str(d / "m.json")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["report", "-m", str(d / "m.json"), "-o", str(d / "r.html")])
    assert res.exit_code == 0, res.output
    return d / "r.html", json.loads((d / "m.json").read_text())


def test_the_report_needs_no_network(report: tuple[Path, dict[str, object]]) -> None:
    html = report[0].read_text()
    fetched = re.findall(r"""(?:src|href)\s*=\s*["']?([^"' >]+)""", html)
    assert fetched == []  # no script, stylesheet, image or font from anywhere
    assert "@import" not in html and "url(" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_the_report_shows_summary_findings_cycles_and_charts(
        report: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    path, doc = report
    dom = _browser(path.as_uri(), tmp_path, "--dump-dom")
    shot = tmp_path / "report.png"
    _browser(path.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1200,2400")
    findings = doc["findings"]
    assert isinstance(findings, list)
    errors = sum(1 for f in findings if f["severity"] == "error")
    assert re.search(rf"<b>{errors}</b>errors", dom)
    for section in ("summary", "types", "rules", "limits", "findings", "cycles", "chain",
                    "failover"):
        assert f"id=\"{section}\"" in dom, section
    # Charts: one bar per type and per rule.
    types = len(doc["stats"]["nodesByType"])  # type: ignore[index]
    rules = len({(f["rule"], f["severity"]) for f in findings})
    assert dom.count("<rect") == types + rules
    # A cycle by names, not keys; the deepest chain; a single point of failure by name.
    cycle = next(f for f in findings if f["rule"] == "cycle")
    names = {n["key"]: n["name"] for n in doc["nodes"]}  # type: ignore[attr-defined]
    first = cycle["evidence"]["path"][0]
    assert names[first] in dom.split('id="cycles"')[1]
    shown = re.sub(r"title=\"[^\"]*\"", "", dom)
    assert not [k for k in names if k.startswith("queue:") and k in shown]  # named instead
    assert "Single points of failure" in dom
    assert shot.exists() and shot.stat().st_size > 20_000
    out = Path("out")
    out.mkdir(exist_ok=True)
    shutil.copy(shot, out / "report.png")
