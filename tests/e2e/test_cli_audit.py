"""Every CLI command that changes state is audited like the API, actor ``cli:<user>``.

Each command runs against a fresh SQLite database; a command that changes any table but the
audit log without adding an audit record fails, and so does a command this table misses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from gcmap.cli.admin import WRITING_COMMANDS
from gcmap.cli.main import app

runner = CliRunner()

# How to run each command offline; None: the command cannot write (it reads the org or a
# file and writes no database), and is run to prove it.
INVOCATIONS: dict[str, list[str] | None] = {
    "apikey create": ["apikey", "create", "--name", "ci", "--scope", "mappings:read"],
    "apikey list": ["apikey", "list"],
    "apikey revoke": ["apikey", "revoke", "{key}"],
    "audit verify": ["audit", "verify"],
    "db upgrade": ["db", "upgrade"],
    "db prune": ["db", "prune"],
    "secrets new-key": ["secrets", "new-key"],
    "org add": ["org", "add", "--name", "Prod", "--client-id", "cid"],
    "org list": ["org", "list"],
    "org remove": ["org", "remove", "{org_id}"],
    "secrets reseal": ["secrets", "reseal"],
    "map": ["map", "--from-file", "{org}", "-f", "json"],
    "demo": None,  # maps gcsim in-process and writes only its output file
    "capture": None,  # needs a live org; writes only its output file
    "impact": ["impact", "{queue}", "-m", "{mapping}"],
    "findings": ["findings", "-m", "{mapping}", "--format", "csv"],
    "compare": ["compare", "{mapping}", "{mapping}", "--json"],
    "report": ["report", "-m", "{mapping}", "-o", "{tmp}/report.html"],
    "promote": ["promote", "{mapping}", "{mapping}", "--json"],
    "whatif": ["whatif", "{queue}", "-m", "{mapping}", "--json"],
    "resilience": ["resilience", "-m", "{mapping}"],
    "diff": ["diff", "{mapping}", "{mapping}"],
    "export": ["export", "--mapping", "{mapping}", "--format", "dot"],
    "order": ["order", "--from-file", "{org}", "--json"],
    "failover": ["failover", "--from-file", "{org}"],
    "doctor": None,  # needs a live org
    "serve": None,  # a long-running service; its writes are audited by the API
}


def _commands() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore
    for g in app.registered_groups:
        names += [f"{g.name} {c.name}" for c in g.typer_instance.registered_commands]
    return sorted(names)


def _counts(url: str) -> dict[str, int]:
    eng = create_engine(url)
    with eng.connect() as c:
        return {t: int(c.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() or 0)
                for t in inspect(eng).get_table_names() if t != "alembic_version"}


def test_every_command_is_in_the_table() -> None:
    assert sorted(INVOCATIONS) == _commands()


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: Any) -> dict[str, str]:
    import json

    from gcmap.services.mapping import map_org
    from gcsim import generate_org

    db = tmp_path / "g.db"
    url = f"sqlite:///{db}"
    monkeypatch.setenv("GCMAP_DATABASE_URL", url)
    org = generate_org("tiny", 1)
    (tmp_path / "org.json").write_text(json.dumps(org))
    doc = map_org(org, environment="mypurecloud.com", generated_at="2026-01-01T00:00:00Z")
    (tmp_path / "m.json").write_text(json.dumps(doc.document))
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    res = runner.invoke(app, ["apikey", "create", "--name", "x", "--scope", "admin"])
    key = res.output.split("key id ", 1)[1].split()[0]
    monkeypatch.setenv("GENESYS_CLIENT_SECRET", "cli-canary-secret")
    from gcmap.storage import open_store
    from tests.keys import sealing_box

    org_id = open_store(url, sealing_box()).create_org("Existing", "mypurecloud.com", None,
                                                       "cid", "s", 1.0)["id"]
    return {"org_id": org_id, "url": url, "tmp": str(tmp_path), "org": str(tmp_path / "org.json"),
            "mapping": str(tmp_path / "m.json"),
            "key": key, "queue": f"queue:{org['/api/v2/routing/queues'][0]['id']}"}


@pytest.mark.parametrize("name", [n for n, v in INVOCATIONS.items() if v is not None])
def test_state_changes_through_the_cli_are_audited(name: str, env: dict[str, str]) -> None:
    args = [a.format(**env) for a in INVOCATIONS[name] or []]
    before = _counts(env["url"])
    res = runner.invoke(app, args)
    assert res.exit_code in (0, 1), res.output
    after = _counts(env["url"])
    changed = sorted(t for t in after if t != "audit_log" and after[t] != before.get(t))
    audited = after["audit_log"] - before["audit_log"]
    if name in WRITING_COMMANDS:
        assert audited == 1
        from gcmap.storage import open_store

        record = open_store(env["url"]).list_audit(1, 0)[0][0]
        assert record["action"] == WRITING_COMMANDS[name]
        assert record["actor"]["id"].startswith("cli:")
    else:
        assert changed == [] and audited == 0, (name, changed)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_reading_a_database_that_does_not_exist_is_refused(tmp_path: Path,
                                                          monkeypatch: Any) -> None:
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("GCMAP_DATABASE_URL", f"sqlite:///{missing}")
    res = runner.invoke(app, ["audit", "verify"])
    assert res.exit_code == 2 and "no database at" in res.output
    assert not missing.exists()
