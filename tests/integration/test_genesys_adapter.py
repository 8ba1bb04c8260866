"""The real SDK against gcsim over HTTP: paging, caps, throttling, faults, tokens, 403."""

from __future__ import annotations

import copy
import json
import time
import urllib.request
from typing import Any

import pytest

from gcmap.adapters.genesys.client import ClientConfig, GenesysClient, resolve_base_url
from gcmap.adapters.genesys.crawl_plan import CRAWL
from gcmap.adapters.genesys.errors import AuthError
from gcmap.adapters.genesys.source import CrawlOptions, GenesysOrgSource
from gcmap.adapters.genesys.transport import RetryPolicy
from gcsim import SimConfig, SimServer, generate_org

FAST = RetryPolicy(connect_timeout=2, read_timeout=2, max_attempts=4, backoff_base=0.05,
                   backoff_cap=0.2, budget=60)


def config(sim: SimServer, **kw: Any) -> ClientConfig:
    base = {"client_id": "gcsim-client", "client_secret": "gcsim-secret",
            "base_url": sim.base_url, "rate_per_min": 0, "concurrency": 4, "policy": FAST}
    base.update(kw)
    return ClientConfig(**base)


def sim_stats(sim: SimServer) -> dict[str, Any]:
    with urllib.request.urlopen(sim.base_url + "/__sim/stats") as r:
        return dict(json.load(r))


def post(sim: SimServer, path: str, body: Any) -> None:
    req = urllib.request.Request(sim.base_url + path, data=json.dumps(body).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).close()


def test_crawl_reads_every_type_completely_with_the_largest_pages(small_org: dict[str, Any],
                                                                  ) -> None:
    with SimServer(small_org, SimConfig(rate_limit=0)) as sim:
        src = GenesysOrgSource(config(sim))
        result = src.crawl()
        stats = sim_stats(sim)
    doc = result.doc
    for spec in CRAWL:
        if spec.paging == "single":
            assert doc[spec.path]["id"] == small_org[spec.path]["id"]
            continue
        if spec.parent is not None:
            assert doc[spec.doc_key] == small_org[spec.doc_key], spec.kind
            continue
        got = sorted(e["id"] for e in doc[spec.doc_key])
        # Everything listed, deleted telephony objects included; users: active and inactive.
        want = [e for e in small_org[spec.doc_key]
                if spec.node_type != "user" or e["state"] != "deleted"]
        assert got == sorted(e["id"] for e in want), spec.kind
    # Expanded fields come back on the list call, no per-object GETs.
    assert all("skills" in u for u in doc["/api/v2/users"])
    assert sum("team" in u for u in doc["/api/v2/users"]) == sum(
        "team" in u for u in small_org["/api/v2/users"] if u["state"] != "deleted") > 0
    assert all("config" in a for a in doc["/api/v2/integrations/actions"])
    assert not any(p.count("/") > 5 and p.startswith("/api/v2/routing/queues/")
                   and not p.endswith("/members") for p in stats["byPath"])
    members = doc["/api/v2/routing/queues/{queueId}/members"]
    for q in small_org["/api/v2/routing/queues"]:
        assert len(members.get(q["id"], [])) == q["memberCount"]
    consumed = doc["/api/v2/architect/dependencytracking/consumedresources"]
    assert consumed == small_org["/api/v2/architect/dependencytracking/consumedresources"]
    assert doc["/api/v2/organizations/limits/namespaces/{namespaceName}"]["routing"]
    assert result.report["partial"] is False
    assert result.report["apiCalls"] == stats["requests"]  # token requests included
    # One request per page: users fit in one 500-page, phones need two 100-pages.
    assert stats["byPath"]["/api/v2/users"] == 1
    assert stats["byPath"]["/api/v2/telephony/providers/edges/phones"] == 2


def test_cursor_paging_follows_next_uri(tiny_org: dict[str, Any]) -> None:
    org = copy.deepcopy(tiny_org)
    org["/api/v2/teams"] = [dict(t, id=f"team-{i:03d}", name=f"T{i}")
                            for i, t in enumerate(org["/api/v2/teams"] * 130)]
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        result = GenesysOrgSource(config(sim)).crawl(CrawlOptions(types=frozenset({"team"})))
        stats = sim_stats(sim)
    assert len(result.doc["/api/v2/teams"]) == 260
    assert stats["byPath"]["/api/v2/teams"] == 3  # 100 + 100 + 60


def test_429_storm_never_sends_before_retry_after(tiny_org: dict[str, Any]) -> None:
    # Client pacing off and a tight server limit: every burst is throttled.
    with SimServer(tiny_org, SimConfig(rate_limit=120, burst=3)) as sim:
        src = GenesysOrgSource(config(sim, concurrency=6))
        result = src.crawl(CrawlOptions(types=frozenset({"queue", "skill", "flow", "user"}),
                                        dependency_tracking=False, limits=False,
                                        queue_members=False))
        stats = sim_stats(sim)
    assert stats["throttled"] > 0
    assert stats["earlyRetries"] == 0
    assert result.report["partial"] is False
    assert len(result.doc["/api/v2/routing/queues"]) == len(tiny_org["/api/v2/routing/queues"])


def test_5xx_bursts_and_resets_are_retried_for_reads(tiny_org: dict[str, Any]) -> None:
    with SimServer(tiny_org, SimConfig(rate_limit=0, fault_rate=0.25, seed=11)) as sim:
        result = GenesysOrgSource(config(sim, policy=RetryPolicy(
            connect_timeout=2, read_timeout=2, max_attempts=8, backoff_base=0.01,
            backoff_cap=0.05))).crawl()
        stats = sim_stats(sim)
    assert sum(v for k, v in stats["byStatus"].items() if k in ("0", "502", "503", "504")) > 0
    assert result.report["partial"] is False
    assert result.report["retries"] > 0
    assert sorted(f["id"] for f in result.doc["/api/v2/flows"]) == sorted(
        f["id"] for f in tiny_org["/api/v2/flows"])


def test_hanging_endpoint_is_bounded_by_the_read_timeout(tiny_org: dict[str, Any]) -> None:
    with SimServer(tiny_org, SimConfig(rate_limit=0)) as sim:
        post(sim, "/__sim/faults", {"rules": {"/api/v2/routing/skills": {"hang": 30}}})
        policy = RetryPolicy(connect_timeout=1, read_timeout=0.5, max_attempts=2,
                             backoff_base=0.01, backoff_cap=0.01, budget=10)
        t0 = time.monotonic()
        result = GenesysOrgSource(config(sim, policy=policy)).crawl(
            CrawlOptions(types=frozenset({"skill", "queue"}), queue_members=False))
        elapsed = time.monotonic() - t0
    assert elapsed < 5
    fail = next(f for f in result.report["failures"] if f["type"] == "skill")
    assert fail["status"] == "timeout"
    assert result.report["partial"] is True
    assert "/api/v2/routing/skills" not in result.doc
    assert result.doc["/api/v2/routing/queues"]


def test_forbidden_type_makes_a_partial_mapping_naming_the_permission(
        tiny_org: dict[str, Any]) -> None:
    with SimServer(tiny_org, SimConfig(rate_limit=0)) as sim:
        post(sim, "/__sim/faults", {"rules": {"/api/v2/architect/ivrs": {"status": 403}}})
        result = GenesysOrgSource(config(sim)).crawl()
    fail = [f for f in result.report["failures"] if f["type"] == "ivr"]
    assert fail and fail[0]["status"] == 403
    assert fail[0]["missingPermission"] == "routing:callRoute:view"
    assert result.report["partial"] is True
    assert "/api/v2/architect/ivrs" not in result.doc


def test_token_expiry_mid_crawl_renews_exactly_once(small_org: dict[str, Any]) -> None:
    with SimServer(small_org, SimConfig(rate_limit=0)) as sim:
        src = GenesysOrgSource(config(sim, concurrency=8))
        calls = {"n": 0}
        original = src.client.transport.request

        def expire_once(*args: Any, **kw: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 20:  # several threads are in flight by now
                post(sim, "/__sim/expire-tokens", {})
            return original(*args, **kw)

        src.client.transport.request = expire_once  # type: ignore[method-assign]
        result = src.crawl()
        stats = sim_stats(sim)
    assert stats["tokensIssued"] == 2  # the first token and exactly one renewal
    assert stats["byStatus"].get("401", 0) >= 1
    assert result.report["partial"] is False
    assert result.report["tokenRenewals"] == 2


def test_token_pool_spreads_requests_over_several_tokens(tiny_org: dict[str, Any]) -> None:
    with SimServer(tiny_org, SimConfig(rate_limit=0)) as sim:
        GenesysOrgSource(config(sim, tokens=3)).crawl()
        assert sim_stats(sim)["tokensIssued"] == 3


def test_bad_credentials_fail_fast_naming_the_fix(tiny_org: dict[str, Any]) -> None:
    with SimServer(tiny_org, SimConfig(rate_limit=0)) as sim, \
            pytest.raises(AuthError, match="GENESYS_CLIENT_SECRET"):
        GenesysOrgSource(config(sim, client_secret="wrong")).crawl()


def test_unreachable_login_names_the_environment_setting() -> None:
    cfg = ClientConfig("id", "secret", base_url="http://127.0.0.1:9", policy=RetryPolicy(
        connect_timeout=0.5, read_timeout=0.5, max_attempts=1))
    with pytest.raises(AuthError, match="GENESYS_ENVIRONMENT"):
        GenesysClient(cfg).tokens.token(0)


def test_environment_resolution() -> None:
    assert resolve_base_url("mypurecloud.ie", None) == "https://api.mypurecloud.ie"
    assert resolve_base_url("eu-central-1", None) == "https://api.mypurecloud.de"
    assert resolve_base_url("x", "http://127.0.0.1:1/") == "http://127.0.0.1:1"
    with pytest.raises(ValueError, match="GENESYS_API_BASE_URL"):
        resolve_base_url("mypurecloud.nowhere", None)


def test_sdk_global_configuration_stays_empty(tiny_org: dict[str, Any]) -> None:
    from gcmap.adapters.genesys.sdk import load_sdk

    with SimServer(tiny_org, SimConfig(rate_limit=0)) as sim:
        client = GenesysClient(config(sim))
        client.get("/api/v2/organizations/me")
    cfg = load_sdk().Configuration()
    assert cfg.access_token == ""
    assert cfg.live_reload_config is False


def test_division_filter_applies_before_reading(small_org: dict[str, Any]) -> None:
    home = small_org["/api/v2/authorization/divisions"][0]["id"]
    with SimServer(small_org, SimConfig(rate_limit=0)) as sim:
        result = GenesysOrgSource(config(sim)).crawl(CrawlOptions(
            types=frozenset({"queue", "skill"}), divisions=frozenset({home}),
            queue_members=False))
        stats = sim_stats(sim)
    queues = result.doc["/api/v2/routing/queues"]
    assert queues and all(q["division"]["id"] == home for q in queues)
    assert all(s["division"]["id"] == home for s in result.doc["/api/v2/routing/skills"])
    assert "/api/v2/users" not in stats["byPath"]


def test_json_fields_newer_than_the_sdk_are_kept(tiny_org: dict[str, Any]) -> None:
    org = copy.deepcopy(tiny_org)
    org["/api/v2/routing/queues"][0]["brandNewField"] = {"x": 1}
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        body = GenesysClient(config(sim)).get("/api/v2/routing/queues", {"pageSize": 100})
    assert body["entities"][0]["brandNewField"] == {"x": 1}


def test_generated_org_crawls_identically_through_a_capture(tmp_path: Any) -> None:
    org = generate_org("tiny", 9)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        doc = GenesysOrgSource(config(sim)).crawl().doc
    with SimServer(json.loads(json.dumps(doc)), SimConfig(rate_limit=0)) as sim2:
        again = GenesysOrgSource(config(sim2)).crawl().doc
    assert again == doc


def test_paced_threads_wait_out_another_threads_retry_after(tiny_org: dict[str, Any]) -> None:
    # Client pacing above the server's limit, 8 threads: slots reserved before a 429 come due
    # inside its Retry-After hold, and must wait it out instead of sending (this sent 6 early
    # before the fix).
    with SimServer(tiny_org, SimConfig(rate_limit=600, burst=2)) as sim:
        src = GenesysOrgSource(config(sim, concurrency=8, rate_per_min=1200))
        result = src.crawl(CrawlOptions(
            types=frozenset({"queue", "phone", "did", "prompt", "schedule"}),
            dependency_tracking=False, limits=False))
        stats = sim_stats(sim)
    assert stats["throttled"] > 0
    assert stats["earlyRetries"] == 0
    assert result.report["partial"] is False
    members = result.doc["/api/v2/routing/queues/{queueId}/members"]
    assert sum(map(len, members.values())) == sum(
        map(len, tiny_org["/api/v2/routing/queues/{queueId}/members"].values()))


def test_queue_members_are_read_when_only_queues_are_asked_for(tiny_org: dict[str, Any],
                                                                ) -> None:
    with SimServer(tiny_org, SimConfig(rate_limit=0)) as sim:
        result = GenesysOrgSource(config(sim)).crawl(CrawlOptions(types=frozenset({"queue"})))
    members = result.doc["/api/v2/routing/queues/{queueId}/members"]
    assert set(members) == {q["id"] for q in tiny_org["/api/v2/routing/queues"]
                            if q["memberCount"]}
