"""``gcmap whatif`` and ``gcmap resilience`` as a user runs them on a gcsim org's mapping:
the planted single points of failure are found, by key and by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gcmap.cli.main import app
from gcsim import generate_org
from gcsim.orgs import plants_of

runner = CliRunner()


@pytest.fixture(scope="module")
def mapping(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("svc")
    (d / "org.json").write_text(json.dumps(generate_org("small", 1)))
    res = runner.invoke(app, ["map", "--from-file", str(d / "org.json"), "-f", "json",
                              "-o", str(d / "m.json")])
    assert res.exit_code == 0, res.output
    return d / "m.json"


def test_resilience_finds_every_planted_single_point_of_failure(mapping: Path) -> None:
    res = runner.invoke(app, ["resilience", "-m", str(mapping), "--json"])
    assert res.exit_code == 0, res.output
    ranked = {o["key"]: o["entryPoints"] for o in json.loads(res.stdout)["objects"]}
    plants = [p for p in plants_of("small", 1)
              if p.name in ("shared-single-queue", "shared-chat-flow")]
    assert len(plants) == 3  # the IVRs' flow and queue, the deployments' flow
    for p in plants:
        obj = next(k for k in p.nodes if k.split(":")[0] not in ("ivr", "web_deployment"))
        assert set(p.nodes) - {obj} <= set(ranked[obj])
    doc = json.loads(mapping.read_text())
    found = {tuple(sorted(f["nodes"])) for f in doc["findings"]
             if f["rule"] == "failover.single-point-of-failure"}
    assert all(any(set(p.nodes) <= set(f) for f in found) for p in plants)


def test_every_email_route_depends_on_its_domain(mapping: Path) -> None:
    # Routes are read per domain (docs/crawl.md): losing the domain loses every route on it.
    org = generate_org("small", 1)
    res = runner.invoke(app, ["resilience", "-m", str(mapping), "--json"])
    per_entry = json.loads(res.stdout)["entryPoints"]
    routes = org["/api/v2/routing/email/domains/{domainName}/routes"]
    assert routes
    for domain, listed in routes.items():
        for r in listed:
            assert f"email_domain:{domain}" in per_entry[f"email_route:{r['id']}"]


def test_whatif_by_name_and_the_table_names_objects(mapping: Path) -> None:
    doc = json.loads(mapping.read_text())
    [queue] = [next(k for k in p.nodes if k.startswith("queue:"))
               for p in plants_of("small", 1) if p.name == "shared-single-queue"
               and any(k.startswith("queue:") for k in p.nodes)]
    name = next(n["name"] for n in doc["nodes"] if n["key"] == queue)
    by_key = runner.invoke(app, ["whatif", queue, "-m", str(mapping), "--json"])
    by_name = runner.invoke(app, ["whatif", name, "-m", str(mapping), "--json"])
    assert by_key.exit_code == 0 and by_key.stdout == by_name.stdout
    assert json.loads(by_key.stdout)["failed"] == [queue]
    table = runner.invoke(app, ["whatif", name, "-m", str(mapping)], env={"COLUMNS": "80"})
    assert table.exit_code == 0 and f"queue '{name}'" in table.stdout
    assert "ok -> down" in table.stdout and "ivr:" not in table.stdout


def test_whatif_refuses_what_it_cannot_fail(mapping: Path) -> None:
    none = runner.invoke(app, ["whatif", "-m", str(mapping)])
    assert none.exit_code == 2 and "name what fails" in none.output
    unknown = runner.invoke(app, ["whatif", "queue:nope", "-m", str(mapping)])
    assert unknown.exit_code == 2 and "queue:nope is not in" in unknown.output
    region = runner.invoke(app, ["whatif", "--region", "ap-south-1", "-m", str(mapping)])
    assert region.exit_code == 2 and "nothing in" in region.output
    assert "placed in ap-south-1" in region.output


def test_a_region_fails_the_data_actions_on_its_hosts(tmp_path: Path) -> None:
    org = generate_org("small", 1)
    actions = org["/api/v2/integrations/actions"][:2]
    for a in actions:
        a["config"]["request"]["requestUrlTemplate"] = \
            "https://orders.execute-api.us-east-1.amazonaws.com/v1/${input.id}"
    (tmp_path / "org.json").write_text(json.dumps(org))
    runner.invoke(app, ["map", "--from-file", str(tmp_path / "org.json"), "-f", "json",
                        "-o", str(tmp_path / "m.json")])
    res = runner.invoke(app, ["whatif", "--region", "us-east-1", "-m",
                              str(tmp_path / "m.json"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["failed"] == sorted(f"data_action:{a['id']}"
                                                      for a in actions)
