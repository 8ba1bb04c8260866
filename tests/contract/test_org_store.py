"""Registered orgs in every store: the same behaviour, and the client secret sealed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from gcmap.storage import MemoryStore, SqlStore
from gcmap.storage.orgs_common import OrgExists
from gcmap.storage.secretbox import SecretKeyMissing
from tests.contract.test_store import pg_url, store  # noqa: F401  (fixtures)

CANARY = "canary-secret-7f3a9c"


def test_register_list_read_and_remove(store: Any) -> None:  # noqa: F811
    a = store.create_org("Prod EU", "mypurecloud.ie", None, "client-a", CANARY, 1.0)
    b = store.create_org("Dev", "mypurecloud.com", "http://127.0.0.1:1", "client-b", "s2", 2.0)
    assert a["id"] != b["id"] and "secret" not in str(a).lower() and CANARY not in str(a)
    assert [o["name"] for o in store.list_orgs()] == ["Dev", "Prod EU"]
    assert store.get_org(a["id"]) == a
    assert store.org_secret(a["id"]) == CANARY
    assert store.org_secret("org_none") is None and store.get_org("org_none") is None
    with pytest.raises(OrgExists, match="Prod EU"):
        store.create_org("Prod EU", "mypurecloud.ie", None, "x", "y", 3.0)
    assert store.delete_org(a["id"]) is True and store.delete_org(a["id"]) is False
    assert [o["name"] for o in store.list_orgs()] == ["Dev"]


def test_no_key_no_stored_secret(tmp_path: Path) -> None:
    for s in (MemoryStore(None), SqlStore(f"sqlite:///{tmp_path}/g.db", None)):
        if isinstance(s, SqlStore):
            s.migrate()
        with pytest.raises(SecretKeyMissing, match="GCMAP_SECRET_KEY"):
            s.create_org("Prod", "mypurecloud.com", None, "id", CANARY, 1.0)
        assert s.list_orgs() == []


def test_the_secret_is_never_in_the_database_in_clear(tmp_path: Path) -> None:
    from tests.keys import sealing_box

    url = f"sqlite:///{tmp_path}/g.db"
    s = SqlStore(url, sealing_box())
    s.migrate()
    org = s.create_org("Prod", "mypurecloud.com", None, "id", CANARY, 1.0)
    s.engine.dispose()
    assert CANARY.encode() not in (tmp_path / "g.db").read_bytes()
    with create_engine(url).connect() as c:
        sealed = c.execute(text("SELECT client_secret FROM orgs")).scalar()
    assert str(sealed).startswith("enc:v1:")
    assert SqlStore(url, sealing_box()).org_secret(org["id"]) == CANARY


def test_keys_limited_to_orgs_and_runs_listed_by_org(store: Any) -> None:  # noqa: F811
    _, limited = store.create_api_key("customer", ["mappings:read"], 1.0, ["org_b", "org_a"])
    _, every = store.create_api_key("ops", ["admin"], 1.0)
    assert store.find_api_key(limited)["orgs"] == ["org_a", "org_b"]
    assert store.find_api_key(every)["orgs"] is None
    assert sorted(k["orgs"] or [] for k in store.list_api_keys()) == [[], ["org_a", "org_b"]]
    for org, t in (("org_a", 1.0), ("org_b", 2.0), ("org_c", 3.0)):
        store.create_run(org, "t", t)
    runs, total = store.list_runs(10, 0, None, ["org_a", "org_c"])
    assert total == 2 and sorted(r["orgKey"] for r in runs) == ["org_a", "org_c"]
    assert store.list_runs(10, 0)[1] == 3
