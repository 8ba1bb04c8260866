"""The API-key cache: one store lookup per secret per TTL, and a revocation seen once the
TTL has passed."""

from __future__ import annotations

from typing import Any

from gcmap.api.auth import KeyCache


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_a_key_is_looked_up_once_per_ttl_and_its_revocation_is_seen_after() -> None:
    clock, lookups = Clock(), []
    state = {"revoked": False}

    def find(secret: str) -> dict[str, Any] | None:
        lookups.append(secret)
        return {"id": "k1", "revoked": state["revoked"]} if secret == "gcm_ok" else None

    keys = KeyCache(find, 2.0, clock)
    assert keys.find("gcm_ok") == {"id": "k1", "revoked": False}
    assert keys.find("gcm_ok") is not None and keys.find("gcm_nope") is None
    assert lookups == ["gcm_ok", "gcm_nope"]
    state["revoked"] = True  # revoked from the CLI, in another process
    clock.t += 1.9
    assert keys.find("gcm_ok")["revoked"] is False  # within the TTL
    clock.t += 0.2
    assert keys.find("gcm_ok")["revoked"] is True
    assert lookups == ["gcm_ok", "gcm_nope", "gcm_ok"]


def test_ttl_zero_looks_every_request_up_and_unknown_secrets_cannot_grow_it() -> None:
    lookups: list[str] = []
    keys = KeyCache(lambda s: lookups.append(s) or None, 0, Clock())
    keys.find("a")
    keys.find("a")
    assert lookups == ["a", "a"]
    bounded = KeyCache(lambda s: None, 5.0, Clock(), size=3)
    for i in range(10):
        bounded.find(f"guess-{i}")
    assert len(bounded._held) <= 3
