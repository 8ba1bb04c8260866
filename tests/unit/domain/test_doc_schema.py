"""The mapping document's schema: published as enforced, and checked against jsonschema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from gcmap.cli.main import app
from gcmap.domain.doc_schema import MAPPING_SCHEMA, DocumentError, check_document
from gcmap.services.mapping import map_org
from gcsim import generate_org

DOC = map_org(generate_org("tiny", 4), environment="mypurecloud.com",
              generated_at="2026-01-01T00:00:00Z").document


def _broken() -> dict[str, Any]:
    no_edges = {k: v for k, v in DOC.items() if k != "edges"}
    null_nodes = dict(DOC, nodes=None)
    int_key = copy.deepcopy(DOC)
    int_key["nodes"][3]["key"] = 7
    bad_severity = copy.deepcopy(DOC)
    bad_severity["findings"][0]["severity"] = "fatal"
    return {"no edges": no_edges, "null nodes": null_nodes, "int key": int_key,
            "bad severity": bad_severity, "version 2": dict(DOC, schemaVersion=2),
            "bad hash": dict(DOC, snapshotHash="md5:x")}


def test_the_published_schema_is_the_enforced_one() -> None:
    published = json.loads((Path(__file__).parents[3] / "docs/mapping.schema.json").read_text())
    assert published == MAPPING_SCHEMA
    jsonschema.Draft202012Validator.check_schema(MAPPING_SCHEMA)


def test_a_real_document_passes_both_checks() -> None:
    assert check_document(DOC) is DOC
    jsonschema.validate(DOC, MAPPING_SCHEMA)


@pytest.mark.parametrize("name", list(_broken()))
def test_broken_documents_are_refused_like_jsonschema_refuses_them(name: str) -> None:
    doc = _broken()[name]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, MAPPING_SCHEMA)
    with pytest.raises(DocumentError, match="not a valid gcmap mapping document"):
        check_document(doc)


@pytest.mark.parametrize("argv", [["impact", "{q}", "-m", "{bad}"], ["diff", "{ok}", "{bad}"],
                                  ["export", "--mapping", "{bad}", "--format", "dot"]])
def test_the_cli_refuses_a_broken_document_with_one_line_and_exit_2(
        argv: list[str], tmp_path: Path) -> None:
    ok, bad = tmp_path / "ok.json", tmp_path / "noedges.json"
    ok.write_text(json.dumps(DOC))
    bad.write_text(json.dumps(_broken()["no edges"]))
    q = next(n["key"] for n in DOC["nodes"] if n["type"] == "queue")
    res = CliRunner().invoke(app, [a.format(ok=ok, bad=bad, q=q) for a in argv])
    assert res.exit_code == 2
    assert "missing 'edges'" in res.output and "Traceback" not in res.output
