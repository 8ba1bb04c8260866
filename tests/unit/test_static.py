"""The graph view's own script parses (a syntax error would leave the page blank)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from gcmap.api.routes.system import STATIC


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_graph_view_script_parses() -> None:
    res = subprocess.run(["node", "--check", str(STATIC / "app.js")], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0, res.stderr
