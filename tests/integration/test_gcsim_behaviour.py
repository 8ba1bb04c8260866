"""gcsim limits, faults, tokens, writes and audits behave like the platform."""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gcsim import SimConfig, SimServer, generate_org
from gcsim.cli import main as gcsim_main

BASIC = "Basic " + base64.b64encode(b"gcsim-client:gcsim-secret").decode()


def call(sim: SimServer, path: str, method: str = "GET", body: Any = None,
         token: str | None = None, headers: dict[str, str] | None = None,
         ) -> tuple[int, dict[str, str], Any]:
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(sim.base_url + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            headers_ = {k.lower(): v for k, v in r.headers.items()}
            return r.status, headers_, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        headers_ = {k.lower(): v for k, v in e.headers.items()}
        return e.code, headers_, (json.loads(raw) if raw else None)


def token(sim: SimServer) -> str:
    status, _, body = call(sim, "/oauth/token", "POST", b"grant_type=client_credentials",
                           headers={"Authorization": BASIC,
                                    "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and body["token_type"] == "bearer"
    return str(body["access_token"])


def test_token_endpoint_refuses_bad_credentials(fresh_sim: SimServer) -> None:
    bad = "Basic " + base64.b64encode(b"gcsim-client:wrong").decode()
    status, _, body = call(fresh_sim, "/oauth/token", "POST", b"grant_type=client_credentials",
                           headers={"Authorization": bad})
    assert status == 401 and body["error"] == "invalid_client"


def test_api_refuses_missing_unknown_and_expired_tokens(tiny_org: dict[str, Any]) -> None:
    clock = [0.0]
    with SimServer(tiny_org, SimConfig(rate_limit=0, token_ttl=60)) as sim:
        sim.state.clock = lambda: clock[0]
        assert call(sim, "/api/v2/routing/queues")[0] == 401
        status, headers, body = call(sim, "/api/v2/routing/queues", token="forged")
        assert status == 401 and body["status"] == 401 and "inin-correlation-id" in headers
        t = token(sim)
        assert call(sim, "/api/v2/routing/queues", token=t)[0] == 200
        clock[0] = 61.0
        status, _, body = call(sim, "/api/v2/routing/queues", token=t)
        assert status == 401 and body["code"] == "bad.credentials"


def test_rate_limit_answers_429_with_retry_after_and_counts_early_retries(
        tiny_org: dict[str, Any]) -> None:
    clock = [100.0]
    with SimServer(tiny_org, SimConfig(rate_limit=60, burst=2)) as sim:
        sim.state.limiter.clock = lambda: clock[0]
        t = token(sim)
        assert call(sim, "/api/v2/routing/queues", token=t)[0] == 200
        assert call(sim, "/api/v2/routing/queues", token=t)[0] == 200
        status, headers, body = call(sim, "/api/v2/routing/queues", token=t)
        assert status == 429 and headers["retry-after"] == "1"
        assert body["code"] == "too.many.requests.retry.after"
        clock[0] += 0.5  # before Retry-After elapsed: early, and still refused
        assert call(sim, "/api/v2/routing/queues", token=t)[0] == 429
        clock[0] += 1.0
        assert call(sim, "/api/v2/routing/queues", token=t)[0] == 200
        stats = call(sim, "/__sim/stats")[2]
        assert stats["throttled"] == 2 and stats["earlyRetries"] == 1
        call(sim, "/__sim/reset-stats", "POST", b"")
        assert call(sim, "/__sim/stats")[2]["requests"] == 0


def test_injected_faults_are_deterministic_by_seed(tiny_org: dict[str, Any]) -> None:
    def statuses(seed: int) -> list[int]:
        with SimServer(tiny_org, SimConfig(rate_limit=0, fault_rate=0.5, seed=seed)) as sim:
            t = token(sim)
            out = []
            for _ in range(30):
                try:
                    out.append(call(sim, "/api/v2/routing/skills", token=t)[0])
                except (urllib.error.URLError, ConnectionError, OSError, http.client.HTTPException):
                    out.append(-1)  # reset mid-response
            return out

    first = statuses(5)
    assert first == statuses(5)
    assert {502, 503, 504} & set(first) and 200 in first


def test_per_path_fault_rules(fresh_sim: SimServer) -> None:
    t = token(fresh_sim)
    call(fresh_sim, "/__sim/faults", "POST", {"rules": {"/api/v2/routing/queues": {
        "status": 403, "times": 1}}})
    status, _, body = call(fresh_sim, "/api/v2/routing/queues", token=t)
    assert status == 403 and "routing:queue:view" in body["message"]
    assert call(fresh_sim, "/api/v2/routing/queues", token=t)[0] == 200


def test_writes_change_the_org_and_leave_audit_records(fresh_sim: SimServer) -> None:
    t = token(fresh_sim)
    start = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    status, _, q = call(fresh_sim, "/api/v2/routing/queues", "POST", {"name": "New queue"},
                        token=t)
    assert status == 200 and q["id"]
    q["description"] = "changed"
    assert call(fresh_sim, f"/api/v2/routing/queues/{q['id']}", "PUT", q, token=t)[0] == 200
    assert call(fresh_sim, f"/api/v2/routing/queues/{q['id']}", token=t)[2]["description"] \
        == "changed"
    status, _, f = call(fresh_sim, "/api/v2/flows", "POST", {"name": "F", "type": "INBOUNDCALL"},
                        token=t)
    assert call(fresh_sim, f"/api/v2/flows/{f['id']}", "DELETE", token=t)[0] == 204
    assert call(fresh_sim, f"/api/v2/flows/{f['id']}", token=t)[0] == 404
    end = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    status, _, res = call(fresh_sim, "/api/v2/audits/query/realtime", "POST",
                          {"interval": f"{start}/{end}", "serviceName": "Routing",
                           "filters": [{"property": "EntityType", "value": "Queue"}]},
                          token=t)
    assert status == 200
    assert [e["action"] for e in res["entities"]] == ["Create", "Update"]
    change = res["entities"][1]["propertyChanges"]
    assert change == [{"property": "description", "oldValues": [],
                       "newValues": ["changed"]}]
    arch = call(fresh_sim, "/api/v2/audits/query/realtime", "POST",
                {"interval": f"{start}/{end}", "serviceName": "Architect"}, token=t)[2]
    assert [e["action"] for e in arch["entities"]] == ["Create", "Delete"]
    assert call(fresh_sim, "/api/v2/audits/query/realtime", "POST", {"interval": "x"},
                token=t)[0] == 400


def test_membership_and_publishing_write_through_their_endpoints(fresh_sim: SimServer) -> None:
    t = token(fresh_sim)
    start = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    q = call(fresh_sim, "/api/v2/routing/queues", "POST", {"name": "Members"}, token=t)[2]
    users = [u["id"] for u in fresh_sim.state.org["/api/v2/users"][:3]]
    members = f"/api/v2/routing/queues/{q['id']}/members"
    assert call(fresh_sim, members, "POST", [{"id": u} for u in users], token=t)[0] == 204
    assert call(fresh_sim, members + "?delete=true", "POST", [{"id": users[0]}],
                token=t)[0] == 204
    listed = call(fresh_sim, members, token=t)[2]["entities"]
    assert sorted(m["id"] for m in listed) == sorted(users[1:])
    queue = call(fresh_sim, f"/api/v2/routing/queues/{q['id']}", token=t)[2]
    assert (queue["memberCount"], queue["joinedMemberCount"]) == (2, 2)  # counts follow
    flow = next(f for f in fresh_sim.state.org["/api/v2/flows"] if f.get("publishedVersion"))
    before = flow["publishedVersion"]["id"]
    dep = {"id": q["id"], "name": "Members", "type": "QUEUE", "deleted": False,
           "updated": False, "stateUnknown": False}
    call(fresh_sim, f"/__sim/flows/{flow['id']}/dependencies", "PUT", [dep])
    assert call(fresh_sim, f"/api/v2/flows/actions/publish?flow={flow['id']}", "POST",
                token=t)[0] == 200
    after = call(fresh_sim, f"/api/v2/flows/{flow['id']}", token=t)[2]["publishedVersion"]
    assert float(after["id"]) == float(before) + 1
    consumed = call(fresh_sim, "/api/v2/architect/dependencytracking/consumedresources?"
                    f"id={flow['id']}&version={after['id']}&objectType=INBOUNDCALLFLOW",
                    token=t)[2]["entities"]
    assert [c["id"] for c in consumed] == [q["id"]]  # the draft's dependencies, published
    end = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    audit = [(e["serviceName"], e["entityType"], e["action"]) for svc in ("Routing",
             "Architect") for e in call(fresh_sim, "/api/v2/audits/query/realtime", "POST",
                                        {"interval": f"{start}/{end}", "serviceName": svc},
                                        token=t)[2]["entities"]]
    assert audit == [("Routing", "Queue", "Create"), ("Routing", "Queue", "MemberAdd"),
                     ("Routing", "Queue", "MemberRemove"), ("Architect", "Flow", "Publish")]


def test_audit_records_deserialize_through_the_sdk(fresh_sim: SimServer) -> None:
    from tests.integration.sdk_models import unknown_fields

    t = token(fresh_sim)
    call(fresh_sim, "/api/v2/routing/queues", "POST", {"name": "Audited"}, token=t)
    now = datetime.now(UTC)
    body = call(fresh_sim, "/api/v2/audits/query/realtime", "POST",
                {"interval": f"{(now - timedelta(hours=1)).isoformat()}/"
                             f"{(now + timedelta(hours=1)).isoformat()}",
                 "serviceName": "Routing"}, token=t)[2]
    assert body["total"] == 1
    assert unknown_fields(body, "AuditRealtimeQueryResultsResponse") == []


def test_org_file_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    assert gcsim_main(["generate", "--org", "tiny", "--seed", "4", "--out", str(out)]) == 0
    loaded = json.loads(out.read_text())
    assert loaded == json.loads(json.dumps(generate_org("tiny", 4)))
    with SimServer(loaded, SimConfig(rate_limit=0)) as sim:
        body = call(sim, "/api/v2/routing/queues?pageSize=100", token=token(sim))[2]
        assert [q["id"] for q in body["entities"]] == \
            [q["id"] for q in loaded["/api/v2/routing/queues"]]


def test_generator_is_deterministic_and_sized() -> None:
    from gcsim.orgs import object_count

    assert json.dumps(generate_org("small", 2)) == json.dumps(generate_org("small", 2))
    assert json.dumps(generate_org("small", 2)) != json.dumps(generate_org("small", 3))
    assert 800 <= object_count(generate_org("small", 1)) <= 1200
    assert 9000 <= object_count(generate_org("medium", 1)) <= 12000
    large = generate_org("large", 1)
    assert sum(u["state"] != "deleted" for u in large["/api/v2/users"]) == 5000
    assert len(large["/api/v2/routing/queues"]) == 800
    flows = large["/api/v2/flows"]
    assert len(flows) == 606  # the profile's 600 and its 6 outbound call flows
    assert sum(f["type"] == "OUTBOUNDCALL" for f in flows) == 6


def test_healthy_org_plants_no_dangling_queue_flows() -> None:
    org = generate_org("small", 1, weaknesses=False)
    flow_ids = {f["id"] for f in org["/api/v2/flows"]}
    assert all(q["queueFlow"]["id"] in flow_ids for q in org["/api/v2/routing/queues"])
    weak = generate_org("small", 1, weaknesses=True)
    flow_ids = {f["id"] for f in weak["/api/v2/flows"]}
    assert any(q["queueFlow"]["id"] not in flow_ids for q in weak["/api/v2/routing/queues"])


def test_call_analysis_reactions_and_web_deployment_configurations_are_modelled() -> None:
    # SDK Reaction.data: "For transfer_flow, this would be the outbound flow id"; a web
    # deployment names the configuration it runs.
    org = generate_org("small", 1)
    flows = {f["id"]: f for f in org["/api/v2/flows"]}
    reactions = [r for rs in org["/api/v2/outbound/callanalysisresponsesets"]
                 for r in rs["responses"].values()]
    transfers = [r for r in reactions if r["reactionType"] == "transfer_flow"]
    assert transfers and all(flows[r["data"]]["type"] == "OUTBOUNDCALL"
                             and "publishedVersion" in flows[r["data"]] for r in transfers)
    assert all("data" not in r for r in reactions if r["reactionType"] != "transfer_flow")
    configs = {c["id"] for c in org["/api/v2/webdeployments/configurations"]}
    assert {d["configuration"]["id"] for d in org["/api/v2/webdeployments/deployments"]} \
        <= configs
