"""The graph view driven as a person drives it, by typing and clicking in headless Chromium
(Playwright): the overview first, a findings selection, a cut neighbourhood with a
collapsed fan-in that expands, and a depth change that redraws; screenshots of each."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_ui_browser import CHROMIUM, FLAGS, _mapped, _serving

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def _status(page: Any) -> dict[str, str]:
    return dict(page.evaluate("Object.assign({}, document.getElementById('status').dataset)"))


def _wait_status(page: Any, key: str, value: str) -> dict[str, str]:
    page.wait_for_function(
        f"document.getElementById('status').dataset['{key}'] === '{value}'", timeout=20_000)
    return _status(page)


def test_a_person_clicks_through_overview_findings_and_a_neighbourhood(tmp_path: Path) -> None:
    container, key, _, doc = _mapped(tmp_path)
    out = Path("out")
    out.mkdir(exist_ok=True)
    flags = [f for f in FLAGS if not f.startswith("--virtual-time") and f != "--headless"]
    with _serving(container) as port, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=flags)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/ui")
        page.fill("#key", key)
        page.press("#key", "Enter")  # the change event fires on Enter after typing
        page.dispatch_event("#key", "change")
        status = _wait_status(page, "view", "overview")
        assert int(status["nodes"]) == len(doc["stats"]["nodesByType"])
        legend = page.inner_text("#legend")
        assert "queue" in legend and "flow" in legend
        page.screenshot(path=str(out / "ui-overview.png"))
        # Findings, grouped by rule: open the cycles and pick the first one.
        page.fill("#ffilter", "cycle")
        page.click("li.rule:has-text('cycle')")
        page.click("li.rule:has-text('cycle') li.finding >> nth=0")
        status = _wait_status(page, "view", "finding")
        assert status["rule"] == "cycle" and int(status["nodes"]) >= 2
        page.screenshot(path=str(out / "ui-finding.png"))
        # A division everything belongs to: a neighbourhood that must be cut and collapsed.
        division = next(n for n in doc["nodes"] if n["type"] == "division")
        page.fill("#q", division["name"])
        page.press("#q", "Enter")
        page.click(f"#results li:has-text('{division['name']}') >> nth=0")
        status = _wait_status(page, "node", division["key"])
        assert int(status["total"]) > int(status["shown"])  # "N of M shown"
        assert "shown" in page.inner_text("#status")
        assert int(status["collapsed"]) > 0
        page.screenshot(path=str(out / "ui-neighbourhood-300.png"))
        before = int(status["nodes"])
        page.evaluate("window.gcmapCy.$('node.collapsed')[0].emit('tap')")
        page.wait_for_function("window.gcmapCy.$('node.collapsed').length < "
                               f"{status['collapsed']}", timeout=20_000)  # it expanded
        # Depth 1 redraws at once, smaller.
        page.select_option("#depth", "1")
        page.wait_for_function(
            f"Number(document.getElementById('status').dataset.total) < {status['total']}",
            timeout=20_000)
        assert int(_status(page)["nodes"]) <= before
        browser.close()
    for name in ("ui-overview.png", "ui-finding.png", "ui-neighbourhood-300.png"):
        shot = out / name
        assert shot.stat().st_size > 10_000
        shutil.copy(shot, tmp_path / name)
