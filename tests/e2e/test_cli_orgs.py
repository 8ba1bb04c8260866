"""``gcmap org``: register from an environment variable, list without secrets, remove."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gcmap.cli.main import app

runner = CliRunner()
CANARY = "org-cli-canary-91d0"


def test_org_add_list_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "g.db"
    monkeypatch.setenv("GCMAP_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("GENESYS_CLIENT_SECRET", raising=False)
    missing = runner.invoke(app, ["org", "add", "--name", "Prod", "--client-id", "c1"])
    assert missing.exit_code == 2 and "set GENESYS_CLIENT_SECRET" in missing.output
    monkeypatch.setenv("PROD_SECRET", CANARY)
    bad_env = runner.invoke(app, ["org", "add", "--name", "Prod", "--client-id", "c1",
                                  "--client-secret-env", "PROD_SECRET",
                                  "--environment", "example.org"])
    assert bad_env.exit_code == 2 and "no Genesys Cloud environment" in bad_env.output
    added = runner.invoke(app, ["org", "add", "--name", "Prod", "--client-id", "c1",
                                "--client-secret-env", "PROD_SECRET",
                                "--environment", "https://api.mypurecloud.ie"])
    assert added.exit_code == 0, added.output
    org_id = added.output.split()[1]
    twice = runner.invoke(app, ["org", "add", "--name", "Prod", "--client-id", "c1",
                                "--client-secret-env", "PROD_SECRET"])
    assert twice.exit_code == 2 and "already registered" in twice.output
    listed = runner.invoke(app, ["org", "list"])
    assert f"{org_id}  Prod  mypurecloud.ie  client c1" in listed.output
    assert CANARY not in listed.output + added.output
    assert CANARY.encode() not in db.read_bytes()
    assert runner.invoke(app, ["org", "remove", org_id]).exit_code == 0
    gone = runner.invoke(app, ["org", "remove", org_id])
    assert gone.exit_code == 2 and "no registered org" in gone.output
