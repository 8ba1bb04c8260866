"""The CLI as a user runs it: gcsim org -> map -> validate -> export, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gcmap.cli.main import app
from gcsim import SimConfig, SimServer, generate_org

runner = CliRunner()


@pytest.fixture(scope="module")
def org_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("org") / "org.json"
    path.write_text(json.dumps(generate_org("small", 4)))
    return path


@pytest.fixture(scope="module")
def mapping(org_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("map") / "mapping.json"
    res = runner.invoke(app, ["map", "--from-file", str(org_file), "--format", "json",
                              "--output", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_map_from_file_is_deterministic(org_file: Path, mapping: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    runner.invoke(app, ["map", "--from-file", str(org_file), "-f", "json", "-o", str(again)])
    a, b = json.loads(mapping.read_text()), json.loads(again.read_text())
    assert a["snapshotHash"] == b["snapshotHash"]
    for d in (a, b):
        d.pop("generatedAt")
    assert a == b


def test_fail_on_sets_exit_code(org_file: Path) -> None:
    res = runner.invoke(app, ["map", "--from-file", str(org_file), "-f", "json",
                              "--fail-on", "error"])
    assert res.exit_code == 1
    healthy = org_file.parent / "healthy.json"
    healthy.write_text(json.dumps(generate_org("tiny", 1, weaknesses=False)))
    res = runner.invoke(app, ["failover", "--from-file", str(healthy), "--fail-on", "error"])
    assert res.exit_code == 0, res.output
    # A healthy org still has structural single points of failure (routes share a domain,
    # IVRs a flow), and those are warnings: nothing else is.
    res = runner.invoke(app, ["failover", "--from-file", str(healthy), "--fail-on", "warning"],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 1
    rules = {line.split()[2] for line in res.output.splitlines() if "│ failover." in line}
    assert rules == {"failover.single-point-of-failure"}


def test_table_report_names_every_kind_of_finding(org_file: Path) -> None:
    res = runner.invoke(app, ["map", "--from-file", str(org_file)], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for text in ("Objects by type", "Organization limits", "Cycles", "Deepest reference chain",
                 "Dangling references", "Failover weaknesses", "failover.single-trunk"):
        assert text in res.output


@pytest.mark.parametrize(("args", "fix"), [
    (["map", "--from-file", "/nope.json"], "not found"),
    (["map", "--format", "xml", "--from-file", "x"], "--format must be one of"),
    (["impact", "queue:x", "--mapping", "/nope.json"], "not found"),
])
def test_usage_errors_exit_2_with_the_fix(args: list[str], fix: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert fix in res.output


def test_live_map_without_credentials_names_the_variables(monkeypatch: Any) -> None:
    monkeypatch.delenv("GENESYS_CLIENT_ID", raising=False)
    res = runner.invoke(app, ["map"])
    assert res.exit_code == 2 and "GENESYS_CLIENT_ID" in res.output


def test_not_an_org_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    res = runner.invoke(app, ["map", "--from-file", str(bad)])
    assert res.exit_code == 2 and "gcmap capture" in res.output


def test_impact_diff_export_order(mapping: Path, tmp_path: Path) -> None:
    doc = json.loads(mapping.read_text())
    queue = next(n["key"] for n in doc["nodes"] if n["type"] == "queue")
    res = runner.invoke(app, ["impact", queue, "--mapping", str(mapping), "--direction", "uses",
                              "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["node"] == queue
    name = next(n["name"] for n in doc["nodes"] if n["key"] == queue)
    by_name = runner.invoke(app, ["impact", name, "--mapping", str(mapping), "--direction",
                                  "uses", "--json"])
    assert by_name.exit_code == 0 and json.loads(by_name.output)["node"] == queue
    res = runner.invoke(app, ["impact", "Queue 0000", "--mapping", str(mapping)])
    assert res.exit_code == 2 and "did you mean" in res.output
    res = runner.invoke(app, ["diff", str(mapping), str(mapping), "--json"])
    assert json.loads(res.output)["empty"] is True
    dot = tmp_path / "n.mmd"
    res = runner.invoke(app, ["export", "--mapping", str(mapping), "--format", "mermaid",
                              "--node", queue, "--depth", "1", "-o", str(dot)])
    assert res.exit_code == 0 and dot.read_text().startswith("flowchart")
    res = runner.invoke(app, ["export", "--mapping", str(mapping), "--format", "mermaid"])
    assert res.exit_code == 2 and "neighbourhood" in res.output


def test_order_lists_referenced_objects_first(org_file: Path) -> None:
    res = runner.invoke(app, ["order", "--from-file", str(org_file), "--json"])
    steps = json.loads(res.output)
    pos = {k: i for i, s in enumerate(steps) for k in s["nodes"]}
    doc = json.loads(org_file.read_text())
    q = doc["/api/v2/routing/queues"][10]
    assert pos[f"division:{q['division']['id']}"] < pos[f"queue:{q['id']}"]


def test_capture_then_map_offline_redacts_secrets(tmp_path: Path, monkeypatch: Any) -> None:
    org = generate_org("tiny", 2)
    org["/api/v2/integrations/actions"][0]["config"]["request"]["headers"] = {
        "Authorization": "Bearer canary-123"}
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        monkeypatch.setenv("GCMAP_RATE_PER_MIN", "0")
        monkeypatch.setenv("GENESYS_CLIENT_ID", "gcsim-client")
        monkeypatch.setenv("GENESYS_CLIENT_SECRET", "gcsim-secret")
        monkeypatch.setenv("GENESYS_API_BASE_URL", sim.base_url)
        out = tmp_path / "cap.json"
        res = runner.invoke(app, ["capture", "--out", str(out)])
        assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "canary-123" not in text
    captured = json.loads(text)
    # Credential references are ids, not secrets: they survive and still give edges.
    assert captured["/api/v2/integrations/credentials/listing"]
    res = runner.invoke(app, ["map", "--from-file", str(out), "-f", "json"])
    assert res.exit_code == 0
    assert len(json.loads(res.stdout)["nodes"]) > 50


def test_a_capture_maps_to_the_same_snapshot_as_the_live_org(tmp_path: Path,
                                                             monkeypatch: Any) -> None:
    org = generate_org("small", 4)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        monkeypatch.setenv("GCMAP_RATE_PER_MIN", "0")
        monkeypatch.setenv("GENESYS_CLIENT_ID", "gcsim-client")
        monkeypatch.setenv("GENESYS_CLIENT_SECRET", "gcsim-secret")
        monkeypatch.setenv("GENESYS_API_BASE_URL", sim.base_url)
        live = runner.invoke(app, ["map", "-f", "json"])
        assert live.exit_code == 0, live.output
        out = tmp_path / "cap.json"
        assert runner.invoke(app, ["capture", "--out", str(out)]).exit_code == 0
        env = sim.base_url
    captured = json.loads(out.read_text())
    assert captured["/api/v2/authorization/divisions"] == org["/api/v2/authorization/divisions"]
    offline = runner.invoke(app, ["map", "--from-file", str(out), "-f", "json",
                                  "--environment", env])
    assert offline.exit_code == 0, offline.output
    live_doc, offline_doc = json.loads(live.stdout), json.loads(offline.stdout)
    assert offline_doc["snapshotHash"] == live_doc["snapshotHash"]
    assert len(live_doc["findings"]) == len(offline_doc["findings"])


def test_demo_runs_and_writes_the_mapping(tmp_path: Path) -> None:
    out = tmp_path / "demo.json"
    res = runner.invoke(app, ["demo", "--org", "small", "--output", str(out)],
                        env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "Failover weaknesses" in res.output and "gcmap impact" in res.output
    assert "Endpoints probed" in res.output and "/ui" in res.output
    rules = {f["rule"] for f in json.loads(out.read_text())["findings"]}
    assert {"cycle", "self-reference", "depth-exceeded", "dangling-reference",
            "failover.endpoint-unreachable", "failover.endpoint-slow"} <= rules
    assert json.loads(out.read_text())["stats"]["apiCalls"] > 50
    # Offline, the demo's API is gcsim: the real region's host is never probed (it would
    # only report this machine as offline).
    probed = [e["url"] for e in json.loads(out.read_text())["stats"]["endpoints"]]
    assert probed and not [u for u in probed if "mypurecloud" in u]
    narrow = runner.invoke(app, ["demo", "--org", "tiny"], env={"COLUMNS": "80"})
    assert narrow.exit_code == 0
    assert "127.0.0.1…" not in narrow.output  # URLs fold, never cut


def test_doctor_names_the_missing_permission(monkeypatch: Any) -> None:
    import urllib.request

    with SimServer(generate_org("tiny", 2), SimConfig(rate_limit=0)) as sim:
        monkeypatch.setenv("GENESYS_CLIENT_ID", "gcsim-client")
        monkeypatch.setenv("GENESYS_CLIENT_SECRET", "gcsim-secret")
        monkeypatch.setenv("GENESYS_API_BASE_URL", sim.base_url)
        ok = runner.invoke(app, ["doctor"], env={"COLUMNS": "160"})
        assert ok.exit_code == 0, ok.output
        req = urllib.request.Request(
            sim.base_url + "/__sim/faults", method="POST",
            data=json.dumps({"rules": {"/api/v2/flows": {"status": 403}}}).encode(),
            headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req).close()
        bad = runner.invoke(app, ["doctor"], env={"COLUMNS": "160"})
    assert bad.exit_code == 1
    assert "grant architect:flow:view" in bad.output
    monkeypatch.setenv("GENESYS_CLIENT_SECRET", "wrong")
    with SimServer(generate_org("tiny", 2), SimConfig(rate_limit=0)) as sim:
        monkeypatch.setenv("GENESYS_API_BASE_URL", sim.base_url)
        res = runner.invoke(app, ["doctor"])
    assert res.exit_code == 2 and "GENESYS_CLIENT_SECRET" in res.output


def test_failover_probe_reports_unreachable_endpoints(tmp_path: Path, monkeypatch: Any) -> None:
    import socket

    org = generate_org("tiny", 1, weaknesses=False)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    for a in org["/api/v2/integrations/actions"]:
        a["config"]["request"]["requestUrlTemplate"] = f"http://127.0.0.1:{port}/x"
    f = tmp_path / "org.json"
    f.write_text(json.dumps(org))
    monkeypatch.setenv("GCMAP_PROBE_TIMEOUT", "0.5")
    monkeypatch.setenv("GCMAP_PROBE_ATTEMPTS", "1")
    blocked = runner.invoke(app, ["failover", "--from-file", str(f), "--probe",
                                  "--environment", "http://127.0.0.1:1"],
                            env={"COLUMNS": "200"})
    assert "blocked" in blocked.output  # loopback is refused without an allow list
    monkeypatch.setenv("GCMAP_OUTBOUND_ALLOW_CIDRS", "127.0.0.0/8")
    res = runner.invoke(app, ["failover", "--from-file", str(f), "--probe", "--fail-on",
                              "error", "--environment", "http://127.0.0.1:1"],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 1
    assert "failover.endpoint-unreachable" in res.output and "connect" in res.output


def test_apikey_audit_and_db_commands(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("GCMAP_DATABASE_URL", f"sqlite:///{tmp_path}/g.db")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    res = runner.invoke(app, ["apikey", "create", "--name", "ci", "--scope", "mappings:read"])
    assert res.exit_code == 0
    secret = res.stdout.strip().splitlines()[-1]
    assert secret.startswith("gcm_")
    listed = runner.invoke(app, ["apikey", "list"]).stdout
    assert "ci" in listed and secret not in listed
    key_id = listed.split()[0]
    assert runner.invoke(app, ["apikey", "revoke", key_id]).exit_code == 0
    assert runner.invoke(app, ["apikey", "revoke", key_id]).exit_code == 2
    bad = runner.invoke(app, ["apikey", "create", "--name", "x", "--scope", "root"])
    assert bad.exit_code == 2 and "mappings:read" in bad.output
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.stdout


def test_findings_reads_every_finding_offline_filtered_and_named(tmp_path: Path) -> None:
    from gcmap.services.mapping import map_org

    doc = map_org(generate_org("small", 3), environment="mypurecloud.com",
                  generated_at="2026-01-01T00:00:00Z").document
    m = tmp_path / "m.json"
    m.write_text(json.dumps(doc))
    res = runner.invoke(app, ["findings", "-m", str(m), "--format", "json"])
    assert res.exit_code == 0
    got = json.loads(res.stdout)
    assert len(got) == len(doc["findings"])
    order = ["error", "warning", "info"]
    assert [order.index(f["severity"]) for f in got] == sorted(
        order.index(f["severity"]) for f in got)
    errors = json.loads(runner.invoke(app, ["findings", "-m", str(m), "--severity", "error",
                                            "--format", "json"]).stdout)
    assert errors and {f["severity"] for f in errors} == {"error"}
    fo = json.loads(runner.invoke(app, ["findings", "-m", str(m), "--rule", "failover.",
                                        "--type", "queue", "--format", "json"]).stdout)
    assert fo and all(f["rule"].startswith("failover.") for f in fo)
    assert all(any(k.startswith("queue:") for k in f["nodes"]) for f in fo)
    md = tmp_path / "f.md"
    res = runner.invoke(app, ["findings", "-m", str(m), "--format", "markdown", "-o", str(md)])
    text = md.read_text()
    assert res.exit_code == 0 and text.startswith("| severity | rule | objects | message |")
    assert "queue 'Queue 00" in text  # objects by name
    csv_out = runner.invoke(app, ["findings", "-m", str(m), "--format", "csv"]).stdout
    assert csv_out.splitlines()[0] == "severity,rule,objects,message"
    assert len(csv_out.splitlines()) == len(doc["findings"]) + 1
    bad = runner.invoke(app, ["findings", "-m", str(m), "--severity", "fatal"])
    assert bad.exit_code == 2 and "--severity must be one of" in bad.output


def test_version() -> None:
    from gcmap import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"gcmap {__version__}"


def test_failover_reads_a_mapping_offline(tmp_path: Path) -> None:
    from gcmap.services.mapping import map_org

    doc = map_org(generate_org("small", 3), environment="mypurecloud.com",
                  generated_at="2026-01-01T00:00:00Z").document
    m = tmp_path / "m.json"
    m.write_text(json.dumps(doc))
    res = runner.invoke(app, ["failover", "-m", str(m), "--fail-on", "error"],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 1  # the small org has failover errors
    assert "failover.queue-no-agents" in res.output
    bad = runner.invoke(app, ["failover", "-m", str(m), "--probe"])
    assert bad.exit_code == 2 and "--mapping reads a finished mapping" in bad.output


def test_order_from_a_mapping_equals_order_from_the_org(org_file: Path, tmp_path: Path) -> None:
    m = tmp_path / "m.json"
    res = runner.invoke(app, ["map", "--from-file", str(org_file), "-f", "json", "-o", str(m)])
    assert res.exit_code == 0
    assert any(e.get("deferrable") for e in json.loads(m.read_text())["edges"])
    live = runner.invoke(app, ["order", "--from-file", str(org_file), "--json"])
    offline = runner.invoke(app, ["order", "-m", str(m), "--json"])
    assert offline.exit_code == 0

    def steps(text: str) -> list[tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]]:
        return sorted((tuple(sorted(s["nodes"])), tuple(sorted(
            (d["from"], d["to"], d["field"]) for d in s["deferred"])))
            for s in json.loads(text))

    # The same steps and deferred fields (a graph rebuilt from the document keeps which
    # fields can be set later); steps with no path between them may come in either order.
    assert steps(offline.stdout) == steps(live.stdout)
    waves = runner.invoke(app, ["order", "-m", str(m)], env={"COLUMNS": "200"})
    assert "wave 1:" in waves.output and "division (" in waves.output
    assert "division:" not in waves.output.split("wave 2")[0]  # names, not keys


def test_compare_two_orgs_by_identity(tmp_path: Path) -> None:
    from gcmap.services.mapping import map_org

    org = generate_org("tiny", 2)
    a = map_org(org, environment="mypurecloud.com", generated_at="x").document
    changed = json.loads(json.dumps(org))
    changed["/api/v2/routing/queues"][0]["skillEvaluationMethod"] = "BEST"
    b = map_org(changed, environment="mypurecloud.ie", generated_at="x").document
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    pa.write_text(json.dumps(a))
    pb.write_text(json.dumps(b))
    same = runner.invoke(app, ["compare", str(pa), str(pa), "--fail-on-difference"])
    assert same.exit_code == 0
    res = runner.invoke(app, ["compare", str(pa), str(pb), "--json", "--fail-on-difference"])
    assert res.exit_code == 1
    got = json.loads(res.stdout)
    assert [(d["type"], d["attributes"]) for d in got["different"]] == [
        ("queue", {"skillEvaluationMethod": {"a": "ALL", "b": "BEST"}})]
    table = runner.invoke(app, ["compare", str(pa), str(pb)], env={"COLUMNS": "200"})
    assert "skillEvaluationMethod: 'ALL' → 'BEST'" in table.output


@pytest.mark.parametrize(("argv", "says"), [
    (["map", "--fail-on", "critical"], "--fail-on must be one of"),
    (["map", "--type", "queues"], "did you mean queue?"),
    (["map", "--from-file", "{org}", "--type", "queue"], "drop --type"),
    (["failover", "--fail-on", "critical"], "--fail-on must be one of"),
    (["capture", "--out", "unused.json", "--type", "queues"], "did you mean queue?"),
])
def test_options_are_checked_before_anything_is_read(argv: list[str], says: str,
                                                     org_file: Path) -> None:
    res = runner.invoke(app, [a.format(org=org_file) for a in argv],
                        env={"GENESYS_CLIENT_ID": "", "GENESYS_CLIENT_SECRET": ""})
    assert res.exit_code == 2 and says in res.output


def test_promote_plans_what_the_target_needs(tmp_path: Path) -> None:
    from gcmap.services.mapping import map_org

    org = generate_org("tiny", 2)
    target = json.loads(json.dumps(org))
    gone = target["/api/v2/routing/queues"].pop()  # B lacks a queue A has
    target["/api/v2/routing/queues"][0]["skillEvaluationMethod"] = "BEST"
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    pa.write_text(json.dumps(map_org(org, environment="mypurecloud.com",
                                     generated_at="x").document))
    pb.write_text(json.dumps(map_org(target, environment="mypurecloud.ie",
                                     generated_at="x").document))
    res = runner.invoke(app, ["promote", str(pa), str(pb), "--json"])
    assert res.exit_code == 0, res.output
    plan = json.loads(res.stdout)
    assert [c["name"] for w in plan["create"]["waves"] for c in w["create"]] == [gone["name"]]
    first = target["/api/v2/routing/queues"][0]["name"]
    assert [c["set"] for c in plan["change"] if c["name"] == first] == [
        {"skillEvaluationMethod": "ALL"}]
    table = runner.invoke(app, ["promote", str(pa), str(pb)], env={"COLUMNS": "200"})
    assert f"queue {gone['name']!r}" in table.output and "set skillEvaluationMethod to 'ALL'" \
        in table.output
    assert "queue:" not in table.output  # names, not keys


def test_diff_groups_changes_by_object_and_names_them(tmp_path: Path) -> None:
    from gcmap.services.mapping import map_org

    org = generate_org("small", 2)
    later = json.loads(json.dumps(org))
    queues = later["/api/v2/routing/queues"]
    renamed = queues[0]
    renamed["skillEvaluationMethod"] = "BEST"
    flows = [f for f in later["/api/v2/flows"] if f["type"].startswith("INQUEUE")
             and f["id"] != (renamed.get("queueFlow") or {}).get("id")]
    renamed["queueFlow"] = {"id": flows[0]["id"], "name": flows[0]["name"]}
    gone = queues.pop()
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    for path, o in ((pa, org), (pb, later)):
        path.write_text(json.dumps(map_org(o, environment="mypurecloud.com",
                                           generated_at="x").document))
    res = runner.invoke(app, ["diff", str(pa), str(pb)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    head = lines.index(f"~ queue {renamed['name']!r}")
    block = lines[head + 1:head + 6]
    assert "    skillEvaluationMethod: 'ALL' → 'BEST'" in block
    assert f"    + queueFlow → flow {flows[0]['name']!r}" in block
    assert f"- queue {gone['name']!r} removed" in lines
    assert not [ln for ln in lines if "queue:" in ln]  # names, not keys
