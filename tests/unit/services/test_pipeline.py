"""The one mapping pipeline: the phases a run goes through, the depth limit and probing as
the CLI and the service both get them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from gcmap.cli.main import app
from gcmap.domain.model import Finding
from gcmap.services.pipeline import MappingPipeline
from gcsim import generate_org

ORG = generate_org("small", 3)


class Reader:
    environment = "mypurecloud.ie"

    def read(self, progress: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return ORG, {"apiCalls": 7, "partial": False}


def _probe(doc: dict[str, Any], environment: str,
           ) -> tuple[list[Finding], list[dict[str, Any]]]:
    return ([Finding("endpoint.unreachable", "error", (), f"down in {environment}", {})],
            [{"url": "https://crm.example.com", "ok": False}])


def _rules(document: dict[str, Any]) -> list[str]:
    return sorted({f["rule"] for f in document["findings"]})


def test_a_run_reads_probes_then_maps_and_keeps_what_each_step_found() -> None:
    heard: list[str] = []
    outcome = MappingPipeline(probe=_probe, clock=lambda: 86_400.0).run(
        Reader(), phase=heard.append)
    doc = outcome.document
    assert heard == ["crawl", "probe", "validate"]
    assert doc["generatedAt"] == "1970-01-02T00:00:00Z"
    assert doc["stats"]["endpoints"] == [{"url": "https://crm.example.com", "ok": False}]
    assert doc["stats"]["apiCalls"] == 7
    [probe] = [f for f in doc["findings"] if f["rule"] == "endpoint.unreachable"]
    assert probe["message"] == "down in mypurecloud.ie"
    assert doc["region"] == "eu-west-1"


def test_without_a_probe_step_nothing_is_probed() -> None:
    heard: list[str] = []
    doc = MappingPipeline().run(Reader(), phase=heard.append).document
    assert heard == ["crawl", "validate"]
    assert "endpoints" not in doc["stats"]


def test_the_depth_limit_decides_depth_exceeded() -> None:
    deep = MappingPipeline(max_depth=2).map(ORG, None, "mypurecloud.com").document
    shallow = MappingPipeline(max_depth=60).map(ORG, None, "mypurecloud.com").document
    assert "depth-exceeded" in _rules(deep)
    assert "depth-exceeded" not in _rules(shallow)
    [f] = [f for f in deep["findings"] if f["rule"] == "depth-exceeded"]
    assert f["evidence"]["maxDepth"] == 2


def test_the_cli_maps_with_gcmap_max_depth_as_the_service_does(tmp_path: Path) -> None:
    org = tmp_path / "org.json"
    org.write_text(json.dumps(ORG))
    runner = CliRunner()
    got = {}
    for depth in ("2", "60"):
        res = runner.invoke(app, ["map", "--from-file", str(org), "-f", "json"],
                            env={"GCMAP_MAX_DEPTH": depth})
        assert res.exit_code == 0, res.output
        got[depth] = json.loads(res.stdout)
    assert "depth-exceeded" in _rules(got["2"])
    assert "depth-exceeded" not in _rules(got["60"])
