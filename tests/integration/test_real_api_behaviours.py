"""gcsim serves the real API's inconvenient behaviours, and the crawl handles each of them.

Each behaviour has two tests: one that fails if gcsim stops modelling it, one that fails if
gcmap stops handling it. The evidence for each is in docs/crawl.md.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from gcmap.adapters.genesys.source import CrawlOptions, GenesysOrgSource
from gcmap.services.mapping import map_org
from gcsim import SimConfig, SimServer, generate_org
from tests.integration.test_gcsim_behaviour import call, token
from tests.integration.test_genesys_adapter import config

USERS = "/api/v2/users"
PHONES = "/api/v2/telephony/providers/edges/phones"
ROUTES = "/api/v2/routing/email/domains/{domainName}/routes"
DOMAINS = "/api/v2/routing/email/domains"
pytestmark = pytest.mark.xdist_group("big-org")


@pytest.fixture(scope="module")
def big_org() -> dict[str, Any]:
    """The tiny org with 10,050 inactive users and 12,000 phones: past both 10,000 limits."""
    org = copy.deepcopy(generate_org("tiny", seed=3))
    template = org[USERS][0]
    org[USERS] += [dict(template, id=f"gone-{i:05d}", name=f"Leaver {i:05d}",
                        state="inactive", email=f"leaver{i}@example.com")
                   for i in range(10_050)]
    phone = org[PHONES][0]
    org[PHONES] = [dict(phone, id=f"ph-{i:05d}", name=f"Phone {i:05d}") for i in range(12_000)]
    return org


@pytest.fixture(scope="module")
def big_sim(big_org: dict[str, Any]) -> Iterator[SimServer]:
    with SimServer(big_org, SimConfig(rate_limit=0)) as sim:
        yield sim


def _ids(body: dict[str, Any]) -> list[str]:
    return [e["id"] for e in body["entities"]]


# -- gcsim models the real API ------------------------------------------------------------
def test_users_default_to_active_and_state_selects(big_sim: SimServer,
                                                   big_org: dict[str, Any]) -> None:
    t = token(big_sim)
    active = sum(u["state"] == "active" for u in big_org[USERS])
    assert call(big_sim, f"{USERS}?pageSize=500", token=t)[2]["total"] == active
    body = call(big_sim, f"{USERS}?pageSize=500&state=inactive", token=t)[2]
    assert body["total"] == 10_050 + sum(u["state"] == "inactive" for u in big_org[USERS][:20])
    assert call(big_sim, f"{USERS}?state=any", token=t)[2]["total"] == len(big_org[USERS])
    assert call(big_sim, f"{USERS}?state=gone", token=t)[0] == 400


def test_inactive_users_answer_400_past_10000_but_the_cursor_listing_reaches_all(
        big_sim: SimServer, big_org: dict[str, Any]) -> None:
    t = token(big_sim)
    assert call(big_sim, f"{USERS}?state=inactive&pageSize=500&pageNumber=20", token=t)[0] == 200
    status, _, body = call(big_sim, f"{USERS}?state=inactive&pageSize=500&pageNumber=21",
                           token=t)
    assert status == 400 and body["code"] == "bad.request"
    seen: list[str] = []
    page = call(big_sim, "/api/v2/users/query?state=inactive&pageSize=500", token=t)[2]
    for _ in range(30):
        seen += _ids(page)
        if "nextUri" not in page:
            break
        assert page["cursor"] in page["nextUri"]
        page = call(big_sim, page["nextUri"], token=t)[2]
    assert len(seen) == len(set(seen)) == sum(u["state"] == "inactive" for u in big_org[USERS])


def test_phones_stop_at_10000_results_unless_sorted_by_id(big_sim: SimServer) -> None:
    t = token(big_sim)
    capped = call(big_sim, f"{PHONES}?pageSize=100&pageNumber=1", token=t)[2]
    assert capped["total"] == 10_000 and capped["pageCount"] == 100
    assert call(big_sim, f"{PHONES}?pageSize=100&pageNumber=101", token=t)[2]["entities"] == []
    by_id = call(big_sim, f"{PHONES}?pageSize=100&pageNumber=1&sortBy=id", token=t)[2]
    assert by_id["total"] == 12_000 and by_id["pageCount"] == 120
    assert _ids(by_id) == sorted(_ids(by_id))


def test_expandable_fields_come_only_when_expanded(sim: SimServer) -> None:
    t = token(sim)
    plain = call(sim, f"{USERS}?pageSize=500", token=t)[2]["entities"]
    assert not any(k in u for u in plain for k in ("skills", "languages", "groups",
                                                    "locations", "team"))
    full = call(sim, f"{USERS}?pageSize=500&expand=team,skills", token=t)[2]["entities"]
    assert any("team" in u for u in full) and all("skills" in u for u in full)
    assert not any("groups" in u for u in full)
    site = call(sim, "/api/v2/telephony/providers/edges/sites", token=t)[2]["entities"][0]
    assert not {"edges", "location", "primarySites", "secondarySites"} & set(site)
    site = call(sim, "/api/v2/telephony/providers/edges/sites?expand=location",
                token=t)[2]["entities"][0]
    assert "location" in site and "edges" not in site
    table = call(sim, "/api/v2/flows/datatables", token=t)[2]["entities"][0]
    assert "schema" not in table


def test_telephony_listings_and_emergency_groups_include_deleted_entities(
        sim: SimServer) -> None:
    t = token(sim)
    for path in ("/api/v2/telephony/providers/edges/sites",
                 "/api/v2/telephony/providers/edges/edgegroups",
                 "/api/v2/telephony/providers/edges/trunkbasesettings",
                 "/api/v2/telephony/providers/edges/phonebasesettings",
                 "/api/v2/telephony/providers/edges/didpools", PHONES,
                 "/api/v2/architect/emergencygroups"):
        states: set[str] = set()
        page = call(sim, f"{path}?pageSize=100", token=t)[2]
        for _ in range(20):
            states |= {e.get("state") for e in page["entities"]}
            if "nextUri" not in page:
                break
            page = call(sim, page["nextUri"], token=t)[2]
        assert "deleted" in states, path


def test_email_routes_are_listed_per_domain_only(sim: SimServer,
                                                 small_org: dict[str, Any]) -> None:
    t = token(sim)
    assert call(sim, "/api/v2/routing/email/routes", token=t)[0] == 404
    domain = small_org[DOMAINS][0]["id"]
    body = call(sim, f"/api/v2/routing/email/domains/{domain}/routes", token=t)[2]
    assert _ids(body) == [r["id"] for r in small_org[ROUTES][domain]]
    assert call(sim, "/api/v2/routing/email/domains/nope.example/routes", token=t)[0] == 404


def test_the_first_conditional_routing_rule_carries_the_holding_queue(
        small_org: dict[str, Any]) -> None:
    cgr = [q for q in small_org["/api/v2/routing/queues"] if q.get("conditionalGroupRouting")]
    assert cgr
    assert all(q["conditionalGroupRouting"]["rules"][0]["queue"]["id"] == q["id"] for q in cgr)


def test_oversized_language_pages_are_capped_at_100(tiny_org: dict[str, Any]) -> None:
    org = copy.deepcopy(tiny_org)
    lang = org["/api/v2/routing/languages"][0]
    org["/api/v2/routing/languages"] = [dict(lang, id=f"l-{i}") for i in range(150)]
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        body = call(sim, "/api/v2/routing/languages?pageSize=500", token=token(sim))[2]
    assert len(body["entities"]) == 100 and body["pageCount"] == 2


def test_a_queue_created_through_the_api_has_an_empty_member_listing(
        fresh_sim: SimServer) -> None:
    t = token(fresh_sim)
    status, _, q = call(fresh_sim, "/api/v2/routing/queues", "POST", {"name": "New"}, token=t)
    assert status == 200
    members = f"/api/v2/routing/queues/{q['id']}/members"
    status, _, body = call(fresh_sim, members, token=t)
    assert status == 200 and body["entities"] == []
    assert call(fresh_sim, f"/api/v2/routing/queues/{q['id']}/wrapupcodes", token=t)[0] == 200
    assert call(fresh_sim, f"/api/v2/routing/queues/{q['id']}", "DELETE", token=t)[0] == 204
    assert call(fresh_sim, members, token=t)[0] == 404


# -- gcmap handles it ---------------------------------------------------------------------
def test_the_crawl_reads_past_both_10000_limits(big_sim: SimServer,
                                                big_org: dict[str, Any]) -> None:
    result = GenesysOrgSource(config(big_sim, concurrency=8)).crawl(
        CrawlOptions(types=frozenset({"user", "phone"}), limits=False,
                     dependency_tracking=False))
    assert result.report["partial"] is False
    assert len(result.doc[PHONES]) == 12_000
    want = sorted(u["id"] for u in big_org[USERS] if u["state"] != "deleted")
    assert sorted(u["id"] for u in result.doc[USERS]) == want


def test_every_behaviour_together_maps_with_no_false_finding(small_org: dict[str, Any],
                                                             ) -> None:
    healthy = generate_org("small", seed=7, weaknesses=False)
    with SimServer(healthy, SimConfig(rate_limit=0)) as sim:
        result = GenesysOrgSource(config(sim, concurrency=8)).crawl()
    doc = map_org(result.doc, environment="mypurecloud.com",
                  generated_at="2026-01-01T00:00:00Z").document
    rules = {f["rule"] for f in doc["findings"]}
    assert not rules & {"dangling-reference", "self-reference", "failover.inactive-user",
                        "crawl.partial", "failover.trunk-base-missing"}
    deleted = {e["id"] for path, v in healthy.items() if isinstance(v, list)
               for e in v if isinstance(e, dict) and e.get("state") == "deleted"}
    keys = {n["id"] for n in doc["nodes"]}
    assert deleted and not deleted & keys
    assert not any(k.split(":", 1)[1] in deleted for f in doc["findings"] for k in f["nodes"])
    types = doc["stats"]["nodesByType"]
    assert types["phone"] == sum(p.get("state") != "deleted" for p in healthy[PHONES])
    assert types["email_route"] == sum(map(len, healthy[ROUTES].values()))
    inactive = {u["id"] for u in healthy[USERS] if u["state"] == "inactive"}
    assert inactive <= keys
    assert any(e["to"] == f"team:{t['id']}" for e in doc["edges"]
               for t in healthy["/api/v2/teams"])


def test_planted_real_org_weaknesses_are_found_exactly(small_org: dict[str, Any]) -> None:
    with SimServer(small_org, SimConfig(rate_limit=0)) as sim:
        result = GenesysOrgSource(config(sim, concurrency=8)).crawl()
    doc = map_org(result.doc, environment="mypurecloud.com",
                  generated_at="2026-01-01T00:00:00Z").document
    to_deleted = sorted((f["nodes"][0].split(":")[0], f["evidence"]["field"])
                        for f in doc["findings"] if f["rule"] == "dangling-reference"
                        and f["evidence"]["targetDeleted"])
    assert to_deleted == [("flow", "consumedResources"), ("outbound_route",
                                                          "externalTrunkBases[]"),
                          ("phone", "phoneBaseSettings")]
    inactive = sorted(f["nodes"][0].split(":")[0] for f in doc["findings"]
                      if f["rule"] == "failover.inactive-user")
    assert inactive == ["did", "queue"]


def test_queue_wrapup_codes_are_an_option_costing_one_call_per_queue(
        small_org: dict[str, Any]) -> None:
    wrapups = "/api/v2/routing/queues/{queueId}/wrapupcodes"
    with SimServer(small_org, SimConfig(rate_limit=0)) as sim:
        plain = GenesysOrgSource(config(sim, concurrency=8)).crawl()
        full = GenesysOrgSource(config(sim, concurrency=8)).crawl(
            CrawlOptions(queue_wrapups=True))
    queues = [q["id"] for q in small_org["/api/v2/routing/queues"]]
    assert wrapups not in plain.doc
    assert full.report["apiCalls"] - plain.report["apiCalls"] == len(queues)
    assert sorted(full.doc[wrapups]) == sorted(queues)
    doc = map_org(full.doc, environment="mypurecloud.com", generated_at="x").document
    edges = {(e["from"], e["to"]) for e in doc["edges"] if e["field"] == "wrapupCodes[]"}
    want = {(f"queue:{qid}", f"wrapup_code:{w['id']}")
            for qid, ws in small_org[wrapups].items() for w in ws}
    assert edges == want
