"""Webhook signing secrets are sealed at rest (AES-256-GCM, GCMAP_SECRET_KEY), with rotation."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gcmap.api.app import create_app
from gcmap.container import build_container
from gcmap.settings import GcmapSettings
from gcmap.storage import SqlStore
from gcmap.storage.secretbox import SecretBox, SecretKeyError, SecretKeyMissing, new_key
from tests.keys import TEST_SECRET_KEY, sealing_box

CANARY = "whsec_Y2FuYXJ5LXNlY3JldC0xMjM0NTY3ODkwYWJjZGVmZ2g="


def test_a_sealed_secret_opens_only_for_its_row_and_with_its_key() -> None:
    box = sealing_box()
    sealed = box.seal(CANARY, "webhook:a")
    assert CANARY not in sealed and sealed.startswith("enc:v1:")
    assert box.open(sealed, "webhook:a") == CANARY
    with pytest.raises(SecretKeyError):
        box.open(sealed, "webhook:b")  # copied onto another row
    other = SecretBox.from_setting(new_key())
    assert other is not None
    with pytest.raises(SecretKeyError, match="does not hold"):
        other.open(sealed, "webhook:a")
    with pytest.raises(SecretKeyError, match="new-key"):
        SecretBox.from_setting("c2hvcnQ=")  # 5 bytes


def test_the_database_never_holds_the_secret_in_clear_and_rotation_reseals(
        tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = SqlStore(f"sqlite:///{db}", sealing_box())
    store.migrate()
    hook = store.create_webhook("https://hooks.example/x", ["mapping.completed"], None, "",
                                CANARY, time.time())
    store.rotate_secret(hook["id"], CANARY + "2", time.time() + 60)
    assert store.webhook_secrets(hook["id"], time.time()) == [CANARY + "2", CANARY]
    store.engine.dispose()
    assert CANARY.encode() not in db.read_bytes()
    # Rotation: a new key first, the old one after it; reseal; then the old key can go.
    new = new_key()
    rotated = SqlStore(f"sqlite:///{db}", SecretBox.from_setting(f"{new},{TEST_SECRET_KEY}"))
    assert rotated.reseal_secrets() == 1
    only_new = SqlStore(f"sqlite:///{db}", SecretBox.from_setting(new))
    assert only_new.webhook_secrets(hook["id"], time.time())[0] == CANARY + "2"


def test_without_a_key_nothing_is_stored_and_the_api_says_how_to_set_one(
        monkeypatch: Any) -> None:
    monkeypatch.delenv("GCMAP_SECRET_KEY")
    store = SqlStore("sqlite://")
    store.migrate()
    with pytest.raises(SecretKeyMissing):
        store.create_webhook("https://h.example/x", ["graph.changed"], None, "", CANARY, 1.0)
    assert store.list_webhooks() == []
    container = build_container(GcmapSettings(database_url="memory://", workers=0,
                                              deliver_webhooks=False,
                                              outbound_allow_cidrs="127.0.0.0/8"))
    _, key = container.store.create_api_key("ops", ["webhooks:admin"], time.time())
    with TestClient(create_app(container, start_workers=False)) as client:
        res = client.post("/api/v1/webhooks", headers={"Authorization": f"Bearer {key}"},
                          json={"url": "http://127.0.0.1:9/x"})
    assert res.status_code == 503
    assert res.json()["error"]["code"] == "secret_key_missing"
    assert "GCMAP_SECRET_KEY" in res.json()["error"]["message"]
    assert "gcmap secrets new-key" in res.json()["error"]["message"]


def test_a_canary_secret_appears_nowhere_but_the_one_answer_that_hands_it_over(
        tmp_path: Path, caplog: Any, monkeypatch: Any) -> None:
    import gcmap.api.webhooks as routes

    monkeypatch.setattr(routes, "new_secret", lambda: CANARY)
    db = tmp_path / "c.db"
    container = build_container(GcmapSettings(database_url=f"sqlite:///{db}", workers=0,
                                              deliver_webhooks=False,
                                              outbound_allow_cidrs="127.0.0.0/8"))
    _, key = container.store.create_api_key("ops", ["admin"], time.time())
    h = {"Authorization": f"Bearer {key}"}
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG), TestClient(
            create_app(container, start_workers=False)) as client:
        created = client.post("/api/v1/webhooks", headers=h,
                              json={"url": "http://127.0.0.1:9/h"})
        assert created.json()["secret"] == CANARY  # handed over once, to configure the receiver
        wid = created.json()["id"]
        for path in (f"/api/v1/webhooks/{wid}", "/api/v1/webhooks", "/api/v1/audit",
                     f"/api/v1/webhooks/{wid}/deliveries", "/api/v1/stats"):
            seen.append(client.get(path, headers=h).text)
        seen.append(client.get("/metrics").text)
    assert not any(CANARY in text for text in seen)
    assert CANARY not in caplog.text
    container.store.engine.dispose()
    assert CANARY.encode() not in db.read_bytes()
